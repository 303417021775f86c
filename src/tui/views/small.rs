//! Below 80×24: a clear message instead of a broken layout.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Wrap};

use super::{MIN_H, MIN_W, theme};
use crate::tui::app::Dashboard;

pub fn draw(d: &Dashboard, f: &mut Frame, area: Rect) {
    let l = d.app.lang;
    let th = theme(d);
    let lines = vec![
        Line::from(""),
        Line::from(l.pick("终端太小", "Terminal too small")).style(th.breach()),
        Line::from(format!(
            "{} {MIN_W}×{MIN_H}, {} {}×{}",
            l.pick("至少需要", "need at least"),
            l.pick("当前", "now"),
            area.width,
            area.height
        )),
        Line::from(l.pick("请放大窗口；q 退出", "enlarge the window; q quits")),
    ];
    f.render_widget(
        Paragraph::new(lines).centered().wrap(Wrap { trim: true }),
        area,
    );
}
