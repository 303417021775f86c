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

/// Breaks text into lines of at most `cols` display columns: English at
/// the spaces, Chinese between any two characters, a word longer than a
/// line cut where it must be. Never an empty result.
pub fn wrap(s: &str, cols: usize) -> Vec<String> {
    let cols = cols.max(1);
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    // Tokens: a run of narrow non-space characters, one wide character, or a space.
    let mut tokens: Vec<String> = Vec::new();
    for c in s.chars() {
        let wide = c.width().unwrap_or(0) > 1;
        match tokens.last_mut() {
            Some(t)
                if !wide
                    && c != ' '
                    && !t.ends_with(' ')
                    && t.chars().all(|x| x.width().unwrap_or(0) <= 1) =>
            {
                t.push(c)
            }
            _ => tokens.push(c.to_string()),
        }
    }
    for tok in tokens {
        if tok == " " {
            if !line.is_empty() && width(&line) < cols {
                line.push(' ');
            }
            continue;
        }
        if width(&line) + width(&tok) > cols {
            let kept = line.trim_end().to_string();
            if !kept.is_empty() {
                lines.push(kept);
            }
            line = String::new();
        }
        // A word wider than a whole line: cut it.
        for c in tok.chars() {
            if width(&line) + c.width().unwrap_or(0) > cols {
                lines.push(std::mem::take(&mut line));
            }
            line.push(c);
        }
    }
    let last = line.trim_end().to_string();
    if !last.is_empty() || lines.is_empty() {
        lines.push(last);
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
        assert_eq!(wrap("T31（14:30）已过", 10), ["T31（14:30", "）已过"]);
        assert_eq!(wrap("W202611260001", 5), ["W2026", "11260", "001"]);
        assert_eq!(wrap("", 5), [""]);
        for l in wrap("超时 contact the customer 联系用户 now", 7) {
            assert!(width(&l) <= 7, "{l}");
        }
    }
}
