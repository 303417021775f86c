//! Display-width text: Chinese characters take two columns, so columns are
//! measured with `unicode-width`, and truncation never cuts a wide character.

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Display width of a string in terminal columns.
pub fn width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

/// At most `max` columns of `s`; a cut string ends in `…`. A wide character
/// that would straddle the limit is dropped, never halved.
pub fn truncate(s: &str, max: usize) -> String {
    if width(s) <= max {
        return s.to_string();
    }
    if max == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = c.width().unwrap_or(0);
        if used + w > max - 1 {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    out
}

/// Exactly `cols` columns: truncated, then padded with spaces on the right.
pub fn fit(s: &str, cols: usize) -> String {
    let mut out = truncate(s, cols);
    let w = width(&out);
    out.extend(std::iter::repeat_n(' ', cols.saturating_sub(w)));
    out
}

/// Exactly `cols` columns, padded on the left (numbers, countdowns).
pub fn fit_right(s: &str, cols: usize) -> String {
    let t = truncate(s, cols);
    let pad = cols.saturating_sub(width(&t));
    format!("{}{t}", " ".repeat(pad))
}

/// Marks that close a phrase: never the first character of a line.
const CLOSING: &str = ",.;:!?)]}，。；：！？）】、》」』";

/// `s` in lines of at most `cols` columns: a word of narrow characters
/// (a ticket number, a phone, an English word) moves whole to the next line
/// when it fits there; Chinese text breaks between any two characters; a
/// wide character is never halved. At least one line.
pub fn wrap(s: &str, cols: usize) -> Vec<String> {
    let cols = cols.max(2);
    // Tokens: a run of narrow non-space characters, one wide character, or one space.
    let mut tokens: Vec<String> = Vec::new();
    for c in s.chars() {
        let narrow_word = c != ' ' && c.width().unwrap_or(0) < 2;
        match tokens.last_mut() {
            Some(t)
                if narrow_word
                    && t.chars()
                        .last()
                        .is_some_and(|p| p != ' ' && p.width().unwrap_or(0) < 2) =>
            {
                t.push(c)
            }
            _ => tokens.push(c.to_string()),
        }
    }
    let mut lines = Vec::new();
    let mut line = String::new();
    // Where the line's last token starts: a closing mark that does not fit
    // takes it along, so no line starts with `，` `）` `,`.
    let mut last_start = 0;
    for tok in tokens {
        let w = width(&tok);
        if width(&line) + w <= cols {
            last_start = line.len();
            line.push_str(&tok);
            continue;
        }
        if tok == " " {
            lines.push(std::mem::take(&mut line).trim_end().to_string());
            continue;
        }
        let closing = tok.chars().next().is_some_and(|c| CLOSING.contains(c));
        if closing && last_start > 0 && width(&line[last_start..]) + w <= cols {
            let carried = line.split_off(last_start);
            lines.push(std::mem::take(&mut line).trim_end().to_string());
            line = carried + &tok;
            last_start = 0;
            continue;
        }
        if w <= cols {
            lines.push(std::mem::take(&mut line).trim_end().to_string());
            line = tok;
            last_start = 0;
            continue;
        }
        // A word longer than a line: cut it where the line ends.
        for c in tok.chars() {
            if width(&line) + c.width().unwrap_or(0) > cols {
                lines.push(std::mem::take(&mut line).trim_end().to_string());
            }
            line.push(c);
        }
        last_start = 0;
    }
    lines.push(line.trim_end().to_string());
    lines.retain(|l| !l.is_empty());
    if lines.is_empty() {
        lines.push(String::new());
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_is_two_columns_wide() {
        assert_eq!(width("张伟"), 4);
        assert_eq!(width("ZD-1 张伟"), 9);
    }

    #[test]
    fn truncation_never_splits_a_wide_character() {
        // 5 columns: two characters (4) + ellipsis (1).
        assert_eq!(truncate("北京市海淀区", 5), "北京…");
        // 6 columns: "北京" (4) + "…" (1) = 5; the next character would need 7.
        assert_eq!(truncate("北京市海淀区", 6), "北京…");
        assert_eq!(width(&truncate("北京市海淀区", 6)), 5);
        assert_eq!(truncate("北京市", 6), "北京市");
        assert_eq!(truncate("abc", 0), "");
    }

    #[test]
    fn wrap_keeps_every_character_within_the_width() {
        let addr = "朝阳区 望京街92号华通写字楼26层616室";
        let lines = wrap(addr, 12);
        assert!(lines.iter().all(|l| width(l) <= 12), "{lines:?}");
        assert_eq!(lines.concat().replace(' ', ""), addr.replace(' ', ""));
        assert_eq!(
            wrap("fault: the screen flickers", 12),
            ["fault: the", "screen", "flickers"]
        );
        // A ticket number moves whole; the Chinese before it fills the line.
        assert_eq!(
            wrap("两个上门：W202611230015 昌平区", 14),
            ["两个上门：", "W202611230015", "昌平区"]
        );
        assert_eq!(wrap("W202611230015", 6), ["W20261", "123001", "5"]);
        // A closing mark takes the character before it to the next line.
        assert_eq!(wrap("第二栋）", 6), ["第二", "栋）"]);
        // A wide character that would straddle the edge goes to the next line.
        assert_eq!(wrap("ab北京", 3), ["ab", "北", "京"]);
        assert_eq!(wrap("", 10), [""]);
    }

    #[test]
    fn fit_pads_to_the_exact_width() {
        assert_eq!(fit("北京市海淀区", 6), "北京… ");
        assert_eq!(width(&fit("北京市海淀区", 6)), 6);
        assert_eq!(fit("ab", 4), "ab  ");
        assert_eq!(fit_right("ab", 4), "  ab");
        assert_eq!(width(&fit("王工", 3)), 3);
    }

    #[test]
    fn wrap_breaks_english_at_spaces_and_chinese_anywhere() {
        assert_eq!(
            wrap("serve now, or agree a new time", 12),
            ["serve now,", "or agree a", "new time"]
        );
        assert_eq!(
            wrap("立即服务或另约时间", 8),
            ["立即服务", "或另约时", "间"]
        );
        assert_eq!(wrap("T31（14:30）已过", 10), ["T31（", "14:30）已", "过"]);
        assert_eq!(wrap("W202611260001", 5), ["W2026", "11260", "001"]);
        assert_eq!(wrap("", 5), [""]);
        for l in wrap("超时 contact the customer 联系用户 now", 7) {
            assert!(width(&l) <= 7, "{l}");
        }
    }
}
