//! The one key table. Dispatch, the footer hints and the help overlay all
//! read it, so they cannot drift apart. `[keys]` in the config file patches
//! the defaults: `action = "key"` (several keys separated by spaces).

use std::collections::BTreeMap;
use std::fmt;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::domain::text::Lang;

/// Where an action is available.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Scope {
    /// Everywhere, also inside a form or the filter line.
    Always,
    /// Everywhere except inside a form or the filter line.
    Global,
    /// Moving in a list or scrolling a page.
    Nav,
    /// Narrowing the panes or a list of tickets.
    Find,
    /// The four panes.
    Panes,
    /// The engineer view (left/right change the day, h/l the engineer).
    Engineer,
    /// The reports view (left/right change the month).
    Reports,
    /// A ticket is selected or shown: the process transitions.
    Ticket,
    /// Inside a form.
    Form,
}

/// The screen whose keys are in force.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Context {
    Panes,
    Detail,
    /// Cancel requests, closed, alerts.
    List,
    Engineer,
    /// The month's figures and charts.
    Reports,
    Form,
    Help,
}

impl Context {
    pub fn scopes(self) -> &'static [Scope] {
        match self {
            Context::Panes => &[
                Scope::Always,
                Scope::Global,
                Scope::Nav,
                Scope::Find,
                Scope::Panes,
                Scope::Ticket,
            ],
            Context::Detail => &[Scope::Always, Scope::Global, Scope::Nav, Scope::Ticket],
            Context::List => &[
                Scope::Always,
                Scope::Global,
                Scope::Nav,
                Scope::Find,
                Scope::Ticket,
            ],
            Context::Engineer => &[
                Scope::Always,
                Scope::Global,
                Scope::Nav,
                Scope::Engineer,
                Scope::Ticket,
            ],
            Context::Reports => &[Scope::Always, Scope::Global, Scope::Nav, Scope::Reports],
            Context::Form => &[Scope::Always, Scope::Form],
            Context::Help => &[Scope::Always, Scope::Global, Scope::Nav],
        }
    }
}

macro_rules! actions {
    ($($variant:ident => $name:literal, $scope:ident, [$($key:literal),*], $hint:literal, $szh:literal, $sen:literal, $lzh:literal, $len:literal;)+) => {
        /// Everything a key can do.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Action { $($variant,)+ }
        impl Action {
            pub const ALL: &'static [Action] = &[$(Action::$variant,)+];
            /// The name used in `[keys]` of the config file.
            pub fn name(self) -> &'static str { match self { $(Action::$variant => $name,)+ } }
            pub fn scope(self) -> Scope { match self { $(Action::$variant => Scope::$scope,)+ } }
            fn default_keys(self) -> &'static [&'static str] { match self { $(Action::$variant => &[$($key),*],)+ } }
            /// Shown in the footer of its screens.
            pub fn hinted(self) -> bool { self.hint_rank() > 0 }
            /// How much the footer needs it: 1 is kept longest when the
            /// footer is too narrow for every hint; 0 is not hinted.
            pub fn hint_rank(self) -> u8 { match self { $(Action::$variant => $hint,)+ } }
            /// A word for the footer.
            pub fn short(self, lang: Lang) -> &'static str { match self { $(Action::$variant => lang.pick($szh, $sen),)+ } }
            /// A sentence for the help overlay.
            pub fn describe(self, lang: Lang) -> &'static str { match self { $(Action::$variant => lang.pick($lzh, $len),)+ } }
            pub fn parse(name: &str) -> Option<Action> {
                let n = name.trim().replace('-', "_").to_lowercase();
                Action::ALL.iter().copied().find(|a| a.name() == n)
            }
        }
    };
}

actions! {
    QuitNow => "quit_now", Always, ["ctrl-c"], 0, "退出", "quit", "立即退出（表单中也可）", "quit at once (also inside a form)";
    Suspend => "suspend", Always, ["ctrl-z"], 0, "挂起", "suspend", "挂起到后台（fg 回来）", "suspend to the shell (fg returns)";
    Quit => "quit", Global, ["q"], 2, "退出", "quit", "主屏退出；其他屏返回", "quit on the main screen; go back elsewhere";
    Help => "help", Global, ["?", "F1"], 1, "帮助", "help", "显示/关闭按键帮助", "show or close this help";
    Back => "back", Global, ["esc"], 0, "返回", "back", "返回上一屏；清除过滤", "go back; clear the filter";
    Refresh => "refresh", Global, ["ctrl-r"], 0, "刷新", "refresh", "立即重新读取数据库", "reload from the database now";
    Mouse => "mouse", Global, ["m"], 0, "鼠标", "mouse", "鼠标开/关（关时可拖选复制电话号码）", "mouse on/off (off: drag to copy a phone number)";
    GoTo => "goto", Global, [":"], 0, "跳转", "go to", "按单号跳到维修单", "jump to a ticket by its number";
    ViewMain => "view_main", Global, ["M"], 0, "看板", "panes", "四个工作栏", "the four panes";
    ViewAlerts => "view_alerts", Global, ["A"], 0, "告警", "alerts", "告警列表（最紧急在前）", "alerts, most urgent first";
    ViewCancels => "view_cancels", Global, ["W"], 0, "撤单", "cancels", "撤单申请（待大区审批）", "cancel requests waiting for the region";
    ViewClosed => "view_closed", Global, ["L"], 0, "已关闭", "closed", "已解决/已撤单，待回访", "resolved and cancelled, awaiting follow-up";
    ViewEngineer => "view_engineer", Global, ["E"], 0, "工程师", "engineer", "工程师当天的安排", "an engineer's day";
    ViewReports => "view_reports", Global, ["R"], 0, "报表", "reports", "月度指标与图表", "the month's figures and charts";
    ViewSpecials => "view_specials", Global, ["I"], 0, "特殊用户", "specials", "特殊用户单（R14）", "special customers' tickets (R14)";
    Up => "up", Nav, ["k", "up"], 0, "上", "up", "上移", "move up";
    Down => "down", Nav, ["j", "down"], 0, "下", "down", "下移", "move down";
    Top => "top", Nav, ["g", "home"], 0, "顶部", "top", "到第一行", "first row";
    Bottom => "bottom", Nav, ["G", "end"], 0, "底部", "bottom", "到最后一行", "last row";
    PageUp => "page_up", Nav, ["pgup"], 0, "上页", "page up", "上一页", "page up";
    PageDown => "page_down", Nav, ["pgdown"], 0, "下页", "page down", "下一页", "page down";
    Open => "open", Nav, ["enter"], 7, "详情", "detail", "打开所选维修单的详情", "open the selected ticket";
    Left => "left", Panes, ["h", "left"], 0, "左", "left", "左边的栏", "pane to the left";
    Right => "right", Panes, ["l", "right"], 0, "右", "right", "右边的栏", "pane to the right";
    NextPane => "next_pane", Panes, ["tab"], 0, "下一栏", "next pane", "下一栏", "next pane";
    PrevPane => "prev_pane", Panes, ["backtab"], 0, "上一栏", "prev pane", "上一栏", "previous pane";
    Pane1 => "pane_1", Panes, ["1"], 0, "待处理", "queued", "待处理栏", "the Queued pane";
    Pane2 => "pane_2", Panes, ["2"], 0, "处理中", "in progress", "处理中栏", "the In progress pane";
    Pane3 => "pane_3", Panes, ["3"], 0, "备件", "parts", "备件申领中栏", "the Parts pending pane";
    Pane4 => "pane_4", Panes, ["4"], 0, "多次维修", "multi-repair", "多次维修中栏", "the Multi-repair pane";
    Zoom => "zoom", Panes, ["z"], 11, "放大", "zoom", "放大/还原当前栏", "zoom the focused pane in or out";
    Sort => "sort", Panes, ["s"], 10, "排序", "sort", "切换排序：期限、T1、用户、工程师", "cycle the sort: deadline, T1, customer, engineer";
    Reverse => "reverse", Panes, ["S"], 0, "倒序", "reverse", "倒转排序", "reverse the sort";
    Filter => "filter", Find, ["/"], 8, "查找", "filter", "按单号、姓名、电话、主机号、地址、故障描述过滤", "filter by ticket number, name, phone, serial, address, fault";
    NextMatch => "next_match", Panes, ["n"], 0, "下一个", "next match", "过滤时：下一个匹配", "while filtering: the next match";
    PrevMatch => "prev_match", Panes, ["N"], 0, "上一个", "prev match", "过滤时：上一个匹配", "while filtering: the previous match";
    PrevDay => "prev_day", Engineer, ["[", "left"], 3, "前一天", "prev day", "前一天的安排", "the previous day";
    NextDay => "next_day", Engineer, ["]", "right"], 4, "后一天", "next day", "后一天的安排", "the next day";
    Today => "today", Engineer, ["t"], 5, "今天", "today", "回到今天", "back to today";
    PrevEngineer => "prev_engineer", Engineer, ["h"], 6, "上一位", "prev eng.", "上一位工程师", "previous engineer";
    NextEngineer => "next_engineer", Engineer, ["l"], 7, "下一位", "next eng.", "下一位工程师", "next engineer";
    PrevMonth => "prev_month", Reports, ["[", "h", "left"], 3, "上月", "prev month", "上一个月的指标", "the previous month's figures";
    NextMonth => "next_month", Reports, ["]", "l", "right"], 4, "下月", "next month", "下一个月的指标（最晚到当月）", "the next month's figures (up to this month)";
    Contact => "contact", Ticket, ["c"], 3, "联系", "contact", "登记一次联系（R1–R3）", "log a contact attempt (R1–R3)";
    Unreachable => "unreachable", Ticket, ["u"], 0, "无法联系", "unreachable", "标记无法联系（R2）", "mark the customer unreachable (R2)";
    Promise => "promise", Ticket, ["p"], 4, "承诺", "promise", "写入下一个 T3（R5、R8、R10、R12）", "write the next T3 (R5, R8, R10, R12)";
    PhoneResolve => "phone_resolve", Ticket, ["r"], 0, "电话解决", "phone fix", "电话解决（R4）", "solved on the phone (R4)";
    OrderParts => "order_parts", Ticket, ["o"], 0, "申领备件", "parts", "申领备件（R6）", "order parts (R6)";
    PartsArrived => "parts_arrived", Ticket, ["a"], 0, "备件到货", "arrived", "备件到货（R8）", "parts delivered (R8)";
    Print => "print", Ticket, ["P"], 0, "打印", "print", "打印维修单（R7）", "print the work order (R7)";
    Dispatch => "dispatch", Ticket, ["d"], 5, "派工", "dispatch", "派工程师（R7、R16、R17）", "dispatch an engineer (R7, R16, R17)";
    Visit => "visit", Ticket, ["v"], 6, "上门", "visit", "登记上门结果（R9、R10）", "record a visit (R9, R10)";
    Close => "close", Ticket, ["x"], 0, "关闭", "close", "用户签字后关闭（R11、P5）", "close with the customer's signature (R11, P5)";
    RequestCancel => "request_cancel", Ticket, ["C"], 0, "申请撤单", "cancel", "向大区申请撤单（R15）", "ask the region to cancel (R15)";
    DecideCancel => "cancel_decision", Ticket, ["D"], 0, "大区决定", "decision", "登记大区对撤单的决定（R15）", "record the region's decision (R15)";
    NotifyRegion => "notify_region", Ticket, ["i"], 0, "通知大区", "notify", "已通知大区特殊用户（R14）", "region notified of a special customer (R14)";
    Followup => "followup", Ticket, ["f"], 0, "回访", "follow-up", "登记回访结果（R13）", "record the follow-up call (R13)";
    Quote => "quote", Ticket, ["Q"], 0, "报价", "quote", "用户确认保外报价（P5）", "the customer approved a quote (P5)";
    Edit => "edit", Ticket, ["e"], 0, "修改", "correct", "修改维修单信息（R19）", "correct the ticket (R19)";
    NewTicket => "new_ticket", Ticket, ["+"], 9, "新建", "new", "新建站端维修单（R18）", "new station ticket (R18)";
    FormSubmit => "form_submit", Form, ["enter"], 1, "提交", "submit", "提交表单", "submit the form";
    FormCancel => "form_cancel", Form, ["esc"], 2, "取消", "cancel", "关闭表单，不写入", "close the form without writing";
    FormNext => "form_next", Form, ["tab", "down"], 3, "下一项", "next field", "下一项", "next field";
    FormPrev => "form_prev", Form, ["backtab", "up"], 0, "上一项", "prev field", "上一项", "previous field";
    ChoicePrev => "choice_prev", Form, ["left"], 0, "选项←", "option ←", "上一个选项", "previous option";
    ChoiceNext => "choice_next", Form, ["right"], 0, "选项→", "option →", "下一个选项", "next option";
}

/// A footer hint: the key, its word, and how much the footer needs it
/// ([`Action::hint_rank`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hint {
    pub key: String,
    pub word: &'static str,
    pub rank: u8,
}

/// One key with its modifiers. Shift is folded into the character
/// (`P`, `?`), so `shift-p` and `P` are the same key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Key {
    pub code: KeyCode,
    pub mods: KeyModifiers,
}

impl Key {
    pub fn from_event(e: &KeyEvent) -> Key {
        let mut mods =
            e.modifiers & (KeyModifiers::CONTROL | KeyModifiers::ALT | KeyModifiers::SHIFT);
        let code = match e.code {
            KeyCode::Char(c) => {
                mods.remove(KeyModifiers::SHIFT);
                KeyCode::Char(if mods.contains(KeyModifiers::CONTROL) {
                    c.to_ascii_lowercase()
                } else {
                    c
                })
            }
            KeyCode::BackTab => {
                mods.remove(KeyModifiers::SHIFT);
                KeyCode::BackTab
            }
            c => c,
        };
        Key { code, mods }
    }

    /// `x`, `X`, `ctrl-r`, `alt-x`, `F5`, `enter`, `esc`, `tab`, `shift-tab`,
    /// `up`, `pgdown`, `space` …
    pub fn parse(text: &str) -> Result<Key, String> {
        let raw = text.trim();
        if raw.is_empty() {
            return Err("empty key".into());
        }
        let mut mods = KeyModifiers::NONE;
        let mut rest = raw;
        loop {
            let lower = rest.to_lowercase();
            let (m, len) = if lower.starts_with("ctrl-") {
                (KeyModifiers::CONTROL, 5)
            } else if lower.starts_with("alt-") {
                (KeyModifiers::ALT, 4)
            } else if lower.starts_with("shift-") && rest.len() > 6 {
                (KeyModifiers::SHIFT, 6)
            } else {
                break;
            };
            mods |= m;
            rest = &rest[len..];
        }
        let lower = rest.to_lowercase();
        let code = match lower.as_str() {
            "enter" | "return" => KeyCode::Enter,
            "esc" | "escape" => KeyCode::Esc,
            "tab" if mods.contains(KeyModifiers::SHIFT) => KeyCode::BackTab,
            "tab" => KeyCode::Tab,
            "backtab" => KeyCode::BackTab,
            "up" => KeyCode::Up,
            "down" => KeyCode::Down,
            "left" => KeyCode::Left,
            "right" => KeyCode::Right,
            "pgup" | "pageup" => KeyCode::PageUp,
            "pgdown" | "pgdn" | "pagedown" => KeyCode::PageDown,
            "home" => KeyCode::Home,
            "end" => KeyCode::End,
            "space" => KeyCode::Char(' '),
            "backspace" => KeyCode::Backspace,
            "delete" | "del" => KeyCode::Delete,
            "insert" | "ins" => KeyCode::Insert,
            f if f.len() >= 2
                && f.starts_with('f')
                && f[1..].chars().all(|c| c.is_ascii_digit()) =>
            {
                match f[1..].parse::<u8>() {
                    Ok(n) if (1..=12).contains(&n) => KeyCode::F(n),
                    _ => return Err(format!("'{raw}': no such function key (F1–F12)")),
                }
            }
            _ => {
                let mut chars = rest.chars();
                match (chars.next(), chars.next()) {
                    (Some(c), None) if !c.is_control() => {
                        let c = if mods.contains(KeyModifiers::SHIFT) {
                            c.to_ascii_uppercase()
                        } else if mods.contains(KeyModifiers::CONTROL) {
                            c.to_ascii_lowercase()
                        } else {
                            c
                        };
                        KeyCode::Char(c)
                    }
                    _ => {
                        return Err(format!(
                            "'{raw}' is not a key (e.g. x, X, ctrl-r, alt-x, F5, enter, esc, tab, up, pgdown, space)"
                        ));
                    }
                }
            }
        };
        let mut key = Key { code, mods };
        if matches!(code, KeyCode::Char(_) | KeyCode::BackTab) {
            key.mods.remove(KeyModifiers::SHIFT);
        }
        Ok(key)
    }

    /// A character key without ctrl/alt: it would be typed into a text field.
    pub fn is_plain_char(&self) -> bool {
        matches!(self.code, KeyCode::Char(_))
            && !self
                .mods
                .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.mods.contains(KeyModifiers::CONTROL) {
            f.write_str("ctrl-")?;
        }
        if self.mods.contains(KeyModifiers::ALT) {
            f.write_str("alt-")?;
        }
        if self.mods.contains(KeyModifiers::SHIFT) {
            f.write_str("shift-")?;
        }
        match self.code {
            KeyCode::Char(' ') => f.write_str("space"),
            KeyCode::Char(c) => write!(f, "{c}"),
            KeyCode::Enter => f.write_str("↵"),
            KeyCode::Esc => f.write_str("esc"),
            KeyCode::Tab => f.write_str("tab"),
            KeyCode::BackTab => f.write_str("shift-tab"),
            KeyCode::Up => f.write_str("↑"),
            KeyCode::Down => f.write_str("↓"),
            KeyCode::Left => f.write_str("←"),
            KeyCode::Right => f.write_str("→"),
            KeyCode::PageUp => f.write_str("pgup"),
            KeyCode::PageDown => f.write_str("pgdown"),
            KeyCode::Home => f.write_str("home"),
            KeyCode::End => f.write_str("end"),
            KeyCode::Backspace => f.write_str("backspace"),
            KeyCode::Delete => f.write_str("del"),
            KeyCode::Insert => f.write_str("ins"),
            KeyCode::F(n) => write!(f, "F{n}"),
            other => write!(f, "{other:?}"),
        }
    }
}

/// Action → keys, after the config's overrides.
#[derive(Clone, Debug)]
pub struct KeyMap {
    bindings: BTreeMap<Action, Vec<Key>>,
}

impl Default for KeyMap {
    fn default() -> Self {
        let bindings = Action::ALL
            .iter()
            .map(|a| {
                let keys = a
                    .default_keys()
                    .iter()
                    .filter_map(|k| Key::parse(k).ok())
                    .collect();
                (*a, keys)
            })
            .collect();
        KeyMap { bindings }
    }
}

impl KeyMap {
    /// The defaults patched by `[keys]`. Every problem is reported, one per
    /// line: unknown action names, unreadable keys, clashes.
    pub fn with_overrides(overrides: &BTreeMap<String, String>) -> Result<KeyMap, Vec<String>> {
        let mut map = KeyMap::default();
        let mut errors = Vec::new();
        for (name, value) in overrides {
            let Some(action) = Action::parse(name) else {
                errors.push(format!(
                    "[keys] {name}: no such action; known actions: {}",
                    Action::ALL
                        .iter()
                        .map(|a| a.name())
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
                continue;
            };
            let mut keys = Vec::new();
            for part in value.split_whitespace() {
                match Key::parse(part) {
                    Ok(k) if action.scope() == Scope::Form && k.is_plain_char() => errors.push(format!(
                        "[keys] {name} = \"{value}\": '{part}' would be typed into the form's fields; use ctrl-, alt- or a named key"
                    )),
                    Ok(k) => keys.push(k),
                    Err(e) => errors.push(format!("[keys] {name} = \"{value}\": {e}")),
                }
            }
            if keys.is_empty() && !value.trim().is_empty() {
                continue;
            }
            if keys.is_empty() {
                errors.push(format!("[keys] {name}: no key given"));
                continue;
            }
            map.bindings.insert(action, keys);
        }
        errors.extend(map.clashes());
        if errors.is_empty() {
            Ok(map)
        } else {
            Err(errors)
        }
    }

    /// Two actions on one key in the same screen.
    pub fn clashes(&self) -> Vec<String> {
        let contexts = [
            Context::Help,
            Context::Panes,
            Context::Detail,
            Context::List,
            Context::Engineer,
            Context::Reports,
            Context::Form,
        ];
        let mut out = Vec::new();
        for ctx in contexts {
            let mut seen: Vec<(Key, Action)> = Vec::new();
            for a in self.actions_in(ctx) {
                for k in self.keys(a) {
                    if let Some((_, other)) = seen.iter().find(|(sk, _)| sk == k) {
                        let msg = format!(
                            "[keys] '{k}' is bound to both {} and {}",
                            other.name(),
                            a.name()
                        );
                        if !out.contains(&msg) {
                            out.push(msg);
                        }
                    } else {
                        seen.push((*k, a));
                    }
                }
            }
        }
        out
    }

    pub fn keys(&self, a: Action) -> &[Key] {
        self.bindings.get(&a).map(Vec::as_slice).unwrap_or(&[])
    }

    /// The actions in force on a screen, in table order. The reports view
    /// scrolls with the moving keys but has no ticket to open.
    pub fn actions_in(&self, ctx: Context) -> impl Iterator<Item = Action> + '_ {
        let scopes = ctx.scopes();
        Action::ALL
            .iter()
            .copied()
            .filter(move |a| scopes.contains(&a.scope()))
            // `↵` opens a ticket's detail: nothing to open on the reports,
            // and on a detail it is the ticket already open.
            .filter(move |a| {
                !(matches!(ctx, Context::Reports | Context::Detail) && *a == Action::Open)
            })
    }

    /// What a key does on a screen.
    pub fn action(&self, ctx: Context, e: &KeyEvent) -> Option<Action> {
        let key = Key::from_event(e);
        self.actions_in(ctx).find(|a| self.keys(*a).contains(&key))
    }

    /// `j/↓`
    pub fn label(&self, a: Action) -> String {
        self.keys(a)
            .iter()
            .map(Key::to_string)
            .collect::<Vec<_>>()
            .join("/")
    }

    /// The footer of a screen: `key word` pairs of its hinted actions.
    pub fn hints(&self, ctx: Context, lang: Lang) -> Vec<Hint> {
        self.actions_in(ctx)
            .filter(|a| a.hinted())
            .map(|a| self.hint(a, lang))
            .collect()
    }

    /// One action's footer hint.
    pub fn hint(&self, a: Action, lang: Lang) -> Hint {
        Hint {
            key: self.label(a),
            word: a.short(lang),
            rank: a.hint_rank(),
        }
    }

    /// The help overlay: every action, grouped by scope.
    pub fn help_rows(&self, lang: Lang) -> Vec<(Scope, String, &'static str)> {
        let mut rows: Vec<_> = Action::ALL
            .iter()
            .map(|a| (a.scope(), self.label(*a), a.describe(lang)))
            .collect();
        rows.sort_by_key(|r| r.0);
        rows
    }
}

/// A key as the documentation writes it: `Esc`, `Ctrl-R`, `Shift-Tab`, `x`.
fn doc_key(k: &Key) -> String {
    let shown = k.to_string();
    let named = match k.code {
        KeyCode::Enter => "Enter".to_string(),
        KeyCode::Up | KeyCode::Down | KeyCode::Left | KeyCode::Right => shown.clone(),
        KeyCode::PageUp => "PgUp".to_string(),
        KeyCode::PageDown => "PgDn".to_string(),
        KeyCode::Char(_) if k.mods.is_empty() => shown.clone(),
        _ => shown
            .split('-')
            .map(|part| {
                let mut c = part.chars();
                match c.next() {
                    Some(f) if part.len() > 1 => f.to_uppercase().collect::<String>() + c.as_str(),
                    _ => part.to_uppercase(),
                }
            })
            .collect::<Vec<_>>()
            .join("-"),
    };
    format!("`{named}`")
}

impl KeyMap {
    /// The key tables of `docs/dashboard.md`, one per scope, from this table.
    pub fn markdown(&self) -> String {
        let mut out = String::new();
        let mut scopes: Vec<Scope> = Action::ALL.iter().map(|a| a.scope()).collect();
        scopes.dedup();
        scopes.sort();
        scopes.dedup();
        for scope in scopes {
            out.push_str(&format!(
                "**{}**\n\n| keys | action (config name) | 说明 |\n|---|---|---|\n",
                scope_title(scope, Lang::En)
            ));
            for a in Action::ALL.iter().filter(|a| a.scope() == scope) {
                let keys: Vec<String> = self.keys(*a).iter().map(doc_key).collect();
                out.push_str(&format!(
                    "| {} | {} (`{}`) | {} |\n",
                    keys.join(" / "),
                    a.describe(Lang::En),
                    a.name(),
                    a.describe(Lang::Zh)
                ));
            }
            out.push('\n');
        }
        out
    }
}

pub fn scope_title(s: Scope, lang: Lang) -> &'static str {
    match s {
        Scope::Always => lang.pick("任何时候", "Always"),
        Scope::Global => lang.pick("通用", "Everywhere"),
        Scope::Nav => lang.pick("移动", "Moving"),
        Scope::Find => lang.pick("查找", "Finding"),
        Scope::Panes => lang.pick("工作栏", "Panes"),
        Scope::Engineer => lang.pick("工程师视图", "Engineer view"),
        Scope::Reports => lang.pick("报表视图", "Reports view"),
        Scope::Ticket => lang.pick("处理所选维修单", "The selected ticket"),
        Scope::Form => lang.pick("表单", "Forms"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn press(code: KeyCode, mods: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, mods)
    }

    #[test]
    fn defaults_have_no_clashes() {
        assert_eq!(KeyMap::default().clashes(), Vec::<String>::new());
    }

    #[test]
    fn keys_parse_and_print() {
        for (text, shown) in [
            ("x", "x"),
            ("X", "X"),
            ("shift-x", "X"),
            ("ctrl-r", "ctrl-r"),
            ("Ctrl-R", "ctrl-r"),
            ("alt-x", "alt-x"),
            ("F5", "F5"),
            ("f12", "F12"),
            ("enter", "↵"),
            ("shift-tab", "shift-tab"),
            ("space", "space"),
            ("?", "?"),
        ] {
            assert_eq!(
                Key::parse(text).map(|k| k.to_string()),
                Ok(shown.to_string()),
                "{text}"
            );
        }
        assert!(Key::parse("F13").is_err());
        assert!(Key::parse("hyper-x").is_err());
        assert!(Key::parse("").is_err());
    }

    #[test]
    fn overrides_patch_only_the_named_actions() {
        let mut o = BTreeMap::new();
        o.insert("dispatch".to_string(), "F5".to_string());
        o.insert("refresh".to_string(), "ctrl-l".to_string());
        let map = KeyMap::with_overrides(&o).unwrap();
        let f5 = press(KeyCode::F(5), KeyModifiers::NONE);
        assert_eq!(map.action(Context::Panes, &f5), Some(Action::Dispatch));
        // The old key no longer dispatches; other keys are untouched.
        let d = press(KeyCode::Char('d'), KeyModifiers::NONE);
        assert_eq!(map.action(Context::Panes, &d), None);
        let p = press(KeyCode::Char('p'), KeyModifiers::NONE);
        assert_eq!(map.action(Context::Panes, &p), Some(Action::Promise));
        let shift_p = press(KeyCode::Char('P'), KeyModifiers::SHIFT);
        assert_eq!(map.action(Context::Panes, &shift_p), Some(Action::Print));
        let ctrl_l = press(KeyCode::Char('l'), KeyModifiers::CONTROL);
        assert_eq!(map.action(Context::Detail, &ctrl_l), Some(Action::Refresh));
    }

    /// `↵` opens the selected ticket from a list, not again from its own
    /// detail (a second detail over the first), and the detail's footer
    /// does not offer it.
    #[test]
    fn enter_opens_from_a_list_not_from_the_detail() {
        let map = KeyMap::default();
        let enter = press(KeyCode::Enter, KeyModifiers::NONE);
        assert_eq!(map.action(Context::Panes, &enter), Some(Action::Open));
        assert_eq!(map.action(Context::List, &enter), Some(Action::Open));
        assert_eq!(map.action(Context::Detail, &enter), None);
        let words: Vec<&str> = map
            .hints(Context::Detail, Lang::En)
            .iter()
            .map(|h| h.word)
            .collect();
        assert!(!words.contains(&"detail"), "{words:?}");
        assert!(words.contains(&"contact"), "{words:?}");
    }

    #[test]
    fn bad_overrides_are_all_reported() {
        let mut o = BTreeMap::new();
        o.insert("dispatchh".to_string(), "d".to_string());
        o.insert("promise".to_string(), "ctrl-".to_string());
        o.insert("contact".to_string(), "p".to_string());
        o.insert("form_submit".to_string(), "s".to_string());
        let errors = KeyMap::with_overrides(&o).unwrap_err();
        let all = errors.join("\n");
        assert!(all.contains("[keys] dispatchh: no such action"), "{all}");
        assert!(all.contains("[keys] promise = \"ctrl-\""), "{all}");
        assert!(all.contains("form_submit"), "{all}");
        assert!(
            all.contains("'p' is bound to both contact and promise"),
            "{all}"
        );
    }

    #[test]
    fn footer_and_help_come_from_the_same_table() {
        let mut o = BTreeMap::new();
        o.insert("zoom".to_string(), "F2".to_string());
        let map = KeyMap::with_overrides(&o).unwrap();
        let hints = map.hints(Context::Panes, Lang::En);
        assert!(
            hints.iter().any(|h| h.key == "F2" && h.word == "zoom"),
            "{hints:?}"
        );
        let help = map.help_rows(Lang::En);
        assert!(
            help.iter()
                .any(|(_, k, d)| k == "F2" && d.starts_with("zoom"))
        );
        // Every hinted key dispatches to its action.
        for a in map.actions_in(Context::Panes).filter(|a| a.hinted()) {
            for k in map.keys(a) {
                let e = KeyEvent::new(k.code, k.mods);
                assert_eq!(map.action(Context::Panes, &e), Some(a));
            }
        }
        assert_eq!(help.len(), Action::ALL.len());
    }
}
