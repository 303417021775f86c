//! Phone numbers as they come from the call centre (R3).

/// Splits a cell holding several numbers (`/`, `;`, `；`, `、`, `,`, `，` or
/// line breaks between them) and trims each.
pub fn split_phones(cell: &str) -> Vec<String> {
    cell.split(['/', ';', '；', '、', ',', '，', '\n', '\r'])
        .map(|p| p.trim().to_string())
        .filter(|p| !p.is_empty())
        .collect()
}

/// Could this be a real Chinese number? An 11-digit mobile starting with 1,
/// or a landline with its area code (0 + 2–3 digits, then 7–8 digits), with
/// an optional extension. Spaces and dashes are ignored; `+86`/`0086` is
/// allowed in front of a mobile.
pub fn is_valid_phone(raw: &str) -> bool {
    let s: String = raw
        .trim()
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            _ => c,
        })
        .collect();
    // Extension: "010-12345678-123", "010-12345678转123", "…ext 12".
    let (main, ext) = split_extension(&s);
    if let Some(ext) = ext
        && (ext.is_empty() || ext.len() > 6 || !ext.chars().all(|c| c.is_ascii_digit()))
    {
        return false;
    }
    if main
        .chars()
        .any(|c| !(c.is_ascii_digit() || matches!(c, ' ' | '-' | '+' | '(' | ')')))
    {
        return false;
    }
    let mut digits: String = main.chars().filter(char::is_ascii_digit).collect();
    if main.trim_start().starts_with('+') {
        match digits.strip_prefix("86") {
            Some(rest) => digits = rest.to_string(),
            None => return false,
        }
    } else if let Some(rest) = digits.strip_prefix("0086") {
        digits = rest.to_string();
    }
    let mobile = digits.len() == 11 && digits.starts_with('1') && ext.is_none();
    let landline =
        digits.starts_with('0') && !digits.starts_with("00") && (10..=12).contains(&digits.len());
    mobile || landline
}

fn split_extension(s: &str) -> (&str, Option<&str>) {
    for sep in ["转", "ext.", "ext", "EXT", "x", "#"] {
        if let Some((a, b)) = s.split_once(sep) {
            return (a, Some(b.trim()));
        }
    }
    // A third dash-separated group is an extension: 010-12345678-123.
    let parts: Vec<&str> = s.split('-').collect();
    if parts.len() == 3 && parts[0].starts_with('0') {
        let cut = parts[0].len() + 1 + parts[1].len();
        return (&s[..cut], Some(&s[cut + 1..]));
    }
    (s, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_numbers() {
        for p in [
            "13812345678",
            "138 1234 5678",
            "+86 13812345678",
            "010-62345678",
            "0755-2345678",
            "01062345678",
            "010-62345678-123",
            "010-62345678转8001",
            "１３８１２３４５６７８",
        ] {
            assert!(is_valid_phone(p), "{p} should be valid");
        }
    }

    #[test]
    fn impossible_numbers() {
        for p in [
            "",
            "12345",
            "23812345678",
            "1381234567",
            "138123456789",
            "62345678",
            "010-1234",
            "phone",
            "+1 2025550100",
            "010-62345678-",
            "13812345678转1",
        ] {
            assert!(!is_valid_phone(p), "{p} should be invalid");
        }
    }

    #[test]
    fn split_several() {
        assert_eq!(
            split_phones("13812345678/010-62345678、 13900001111；"),
            vec!["13812345678", "010-62345678", "13900001111"]
        );
        assert!(split_phones(" / ").is_empty());
    }
}
