//! Below 80×24 (the engineer's day: 40×10): a clear message instead of a
//! broken layout.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Wrap};

use super::theme;
use crate::tui::app::Dashboard;

/// `min`: the size this screen needs.
pub fn draw(d: &Dashboard, f: &mut Frame, area: Rect, (min_w, min_h): (u16, u16)) {
    let l = d.app.lang;
    let th = theme(d);
    let lines = vec![
        Line::from(""),
        Line::from(l.pick("终端太小", "Terminal too small")).style(th.breach()),
        Line::from(format!(
            "{} {min_w}×{min_h}, {} {}×{}",
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
