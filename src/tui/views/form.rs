//! A transition's form as a popup: fields, notes, the refusal (if the last
//! submit was refused) and the confirmation question.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use super::help::{centered, clear_popup};
use super::theme;
use crate::present::sanitize::terminal_safe;
use crate::tui::app::Dashboard;
use crate::tui::forms::{FieldKind, Form, Preview};
use crate::tui::keymap::{Action, Context};
use crate::tui::widgets::text::{fit, width, wrap};

const LABEL: usize = 14;

pub fn draw(d: &Dashboard, f: &mut Frame, area: Rect, form: &Form) {
    let l = d.app.lang;
    let th = theme(d);
    let w = 84.min(area.width.saturating_sub(2));
    let inner_w = w.saturating_sub(2) as usize;
    let value_w = inner_w.saturating_sub(LABEL + 3);
    // Notes, the refusal or the dry run, and the question: each wrapped
    // to the popup, a wrapped line indented under the text it continues.
    let mut lower: Vec<Line> = Vec::new();
    let mut say = |mark: &str, text: &str, style: ratatui::style::Style| {
        let indent = " ".repeat(width(mark));
        for (i, row) in wrap(text, inner_w.saturating_sub(1 + width(mark)))
            .into_iter()
            .enumerate()
        {
            let lead = if i == 0 { mark } else { indent.as_str() };
            lower.push(Line::from(Span::styled(format!(" {lead}{row}"), style)));
        }
    };
    for n in &form.notes {
        say("", n, th.dim());
    }
    if let Some(e) = &form.error {
        say("✗ ", &terminal_safe(e), th.breach());
    } else if let Some(p) = &form.preview {
        // The dry run of the same decision, before anything is asked.
        match p {
            Preview::Writes(w) => say(
                "",
                &format!("{} {w}", l.pick("将写入：", "will write:")),
                th.ok(),
            ),
            Preview::Refused(r) => say(
                "✗ ",
                &format!(
                    "{} {}",
                    l.pick("将被拒绝：", "would be refused:"),
                    terminal_safe(r)
                ),
                th.breach(),
            ),
            Preview::Input(i) => say("! ", &terminal_safe(i), th.warning()),
        }
    }
    if form.confirming {
        let text = format!(
            "{} (y {} / n, {} {})",
            l.pick(
                "确认写入？此操作不可撤回",
                "Write this? It cannot be undone"
            ),
            l.pick("确认", "yes"),
            d.keys.label(Action::FormCancel),
            l.pick("返回修改", "back"),
        );
        say("", &text, th.warning());
    }
    let lower_rows = lower.len() as u16;
    let mut hints = vec![Span::raw(" ")];
    for h in d.keys.hints(Context::Form, l) {
        hints.push(Span::styled(h.key, th.key()));
        hints.push(Span::raw(format!(" {}  ", h.word)));
    }
    // ←/→ choose an option only on a choice; on text they move the cursor.
    if matches!(
        form.fields.get(form.focus).map(|x| &x.kind),
        Some(FieldKind::Choice { .. })
    ) {
        hints.push(Span::styled(
            format!(
                "{}/{}",
                d.keys.label(Action::ChoicePrev),
                d.keys.label(Action::ChoiceNext)
            ),
            th.key(),
        ));
        hints.push(Span::raw(format!(" {}  ", l.pick("选择", "choose"))));
    }
    let fields = form.fields.len() as u16;
    let h = 2 + fields + 1 + lower_rows + 1 + 1;
    let popup = centered(area, w, h.min(area.height));
    clear_popup(f, popup, area);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(th.focus_border())
        .title(Span::styled(format!(" {} ", form.title), th.focus_border()));
    let inner = block.inner(popup);
    f.render_widget(block, popup);
    let mut cursor = None;
    for (i, field) in form.fields.iter().enumerate() {
        let y = inner.y + i as u16;
        if y >= inner.bottom() {
            break;
        }
        let focused = i == form.focus && !form.confirming;
        let marker = if focused { "▶" } else { " " };
        let value = match &field.kind {
            FieldKind::Text(input) => {
                let scroll = input.visual_scroll(value_w);
                let text = terminal_safe(input.value()).into_owned();
                let shown: String = skip(&text, scroll);
                if focused {
                    cursor = Some(Position::new(
                        inner.x + (LABEL + 3) as u16 + (input.visual_cursor() - scroll) as u16,
                        y,
                    ));
                }
                Span::styled(
                    fit(&shown, value_w),
                    if focused { th.selected() } else { th.header() },
                )
            }
            FieldKind::Choice { .. } => {
                let text = format!("‹ {} ›", field.shown());
                Span::styled(
                    fit(&text, value_w),
                    if focused { th.selected() } else { th.header() },
                )
            }
        };
        let line = Line::from(vec![
            Span::styled(format!("{marker} "), th.key()),
            Span::raw(fit(&field.label, LABEL)),
            Span::raw(" "),
            value,
        ]);
        f.render_widget(
            Paragraph::new(line),
            Rect {
                y,
                height: 1,
                ..inner
            },
        );
    }
    let lower_area = Rect {
        y: inner.y + fields + 1,
        height: inner.height.saturating_sub(fields + 2),
        ..inner
    };
    f.render_widget(Paragraph::new(lower), lower_area);
    f.render_widget(
        Paragraph::new(Line::from(hints)),
        Rect {
            y: inner.bottom().saturating_sub(1),
            height: 1,
            ..inner
        },
    );
    if let Some(c) = cursor {
        f.set_cursor_position(c);
    }
}

fn skip(s: &str, cols: usize) -> String {
    let mut used = 0;
    s.chars()
        .skip_while(|c| {
            if used < cols {
                used += unicode_width::UnicodeWidthChar::width(*c).unwrap_or(0);
                true
            } else {
                false
            }
        })
        .collect()
}
