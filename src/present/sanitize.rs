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

/// A cell of every CSV file we write (write-back, reports): made inert for
/// a terminal like [`terminal_safe`] (no raw ESC, BEL, C1 or bidi controls),
/// and text that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`,
/// a tab or a carriage return first) gets a leading apostrophe.
pub fn csv_cell(s: &str) -> String {
    let safe = terminal_safe(s);
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{safe}")
    } else {
        safe.into_owned()
    }
}

/// A text cell of every XLSX file we write: inert like [`terminal_safe`]. A
/// string cell is never run as a formula, so it needs no apostrophe.
pub fn sheet_cell(s: &str) -> std::borrow::Cow<'_, str> {
    terminal_safe(s)
}

/// `--json` text: serde escapes C0 controls; this also escapes DEL, the C1
/// controls, bidi and other invisible format characters and line
/// separators as `\uXXXX`, which decodes to the same text but cannot act
/// on a terminal. Such characters only occur inside JSON strings, where the
/// escape is valid.
pub fn json_safe(text: &str) -> std::borrow::Cow<'_, str> {
    // C0 controls inside strings are escaped by serde already; outside
    // strings only the layout's newlines and spaces occur.
    let is_unsafe = |c: char| {
        (c.is_control() && c as u32 >= 0x7F) || is_invisible_format(c) || is_line_separator(c)
    };
    if !text.chars().any(is_unsafe) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if is_unsafe(c) {
            let mut units = [0u16; 2];
            for u in c.encode_utf16(&mut units) {
                out.push_str(&format!("\\u{u:04x}"));
            }
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
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
    fn csv_and_json_cells_are_inert() {
        assert_eq!(csv_cell("=1+1"), "'=1+1");
        assert_eq!(csv_cell("a\u{1b}[2Jb\u{7}"), "a␛[2Jb␇");
        assert_eq!(csv_cell("-\u{202E}x"), "'-\u{FFFD}x");
        let json = serde_json::to_string_pretty(&["a\u{9b}b\u{202e}c\u{7f}\n"]).expect("json");
        let safe = json_safe(&json);
        assert_eq!(safe, "[\n  \"a\\u009bb\\u202ec\\u007f\\n\"\n]");
        let back: Vec<String> = serde_json::from_str(&safe).expect("valid json");
        assert_eq!(back, ["a\u{9b}b\u{202e}c\u{7f}\n"]);
    }

    #[test]
    fn clean_field_trims() {
        assert_eq!(clean_field("  张伟\u{0} "), "张伟␀");
    }
}
