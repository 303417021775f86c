//! Text from files and users is untrusted: before it reaches a terminal or a
//! printout, control characters, escape sequences and bidi overrides are made
//! visible or removed, so they cannot move the cursor, recolour the screen or
//! set the window title.

/// Replaces control characters (C0, DEL, C1), bidi controls and other
/// invisible format characters: ESC becomes `␛`, other C0 controls their
/// Unicode "control picture", the rest `�`. Newlines and tabs become a space.
pub fn terminal_safe(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.chars().any(is_unsafe) {
        return std::borrow::Cow::Borrowed(s);
    }
    std::borrow::Cow::Owned(s.chars().map(make_visible).collect())
}

/// Like [`terminal_safe`] but keeps line breaks (for multi-line output).
pub fn terminal_safe_multiline(s: &str) -> String {
    s.split('\n')
        .map(|l| terminal_safe(l.trim_end_matches('\r')).into_owned())
        .collect::<Vec<_>>()
        .join("\n")
}

fn is_unsafe(c: char) -> bool {
    c.is_control() || is_invisible_format(c) || is_line_separator(c)
}

/// U+2028/U+2029 end a line for some terminals and viewers.
fn is_line_separator(c: char) -> bool {
    matches!(c, '\u{2028}' | '\u{2029}')
}

/// Bidi embeddings/overrides/isolates and other zero-width format controls.
fn is_invisible_format(c: char) -> bool {
    matches!(c,
        '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}'
        | '\u{2066}'..='\u{2069}' | '\u{FEFF}' | '\u{FFF9}'..='\u{FFFB}' | '\u{061C}')
}

fn make_visible(c: char) -> char {
    match c {
        '\n' | '\r' | '\t' | '\u{2028}' | '\u{2029}' => ' ',
        '\u{1B}' => '␛',
        c if (c as u32) < 0x20 => char::from_u32(0x2400 + c as u32).unwrap_or('\u{FFFD}'),
        '\u{7F}' => '␡',
        c if is_unsafe(c) => '\u{FFFD}',
        c => c,
    }
}

/// Cleans a field read from a file before it is stored: trims, removes NULs
/// and other controls except that escape sequences stay visible (as `␛`).
pub fn clean_field(s: &str) -> String {
    terminal_safe(s.trim()).trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_become_visible() {
        assert_eq!(terminal_safe("a\u{1b}[31mred"), "a␛[31mred");
        assert_eq!(terminal_safe("\u{1b}]0;title\u{7}x"), "␛]0;title␇x");
        assert_eq!(terminal_safe("abc\u{202E}def"), "abc\u{FFFD}def");
        assert_eq!(terminal_safe("line\nnext"), "line next");
        assert_eq!(terminal_safe("line\u{2028}next\u{2029}"), "line next ");
        assert_eq!(terminal_safe("\u{9b}31m"), "\u{FFFD}31m");
        assert_eq!(terminal_safe("张伟 正常"), "张伟 正常");
    }

    #[test]
    fn clean_field_trims() {
        assert_eq!(clean_field("  张伟\u{0} "), "张伟␀");
    }
}
