//! The order of names as a Chinese reader expects it: by pinyin, so 安 comes
//! before 白 and 张伟 sits beside "Zhang Wei". The readings come from the
//! `pinyin` crate (its table of the CJK ideographs), not from a table of
//! our own.

use pinyin::ToPinyin;

/// A sort key for a name: each Chinese character by its (first) pinyin
/// reading, syllables apart; every other character lowercased as it is.
/// `王芳` → `wang fang`, `Wang Fang` → `wang fang`.
pub fn sort_key(name: &str) -> String {
    let mut key = String::with_capacity(name.len() * 2);
    for (c, py) in name.chars().zip(name.to_pinyin()) {
        match py {
            Some(p) => {
                if !key.is_empty() && !key.ends_with(' ') {
                    key.push(' ');
                }
                key.push_str(p.plain());
                key.push(' ');
            }
            None => key.extend(c.to_lowercase()),
        }
    }
    key.trim_end().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_names_sort_by_pinyin() {
        assert_eq!(sort_key("王芳"), "wang fang");
        assert_eq!(sort_key("Wang Fang"), "wang fang");
        assert_eq!(sort_key("北京日报社"), "bei jing ri bao she");
        // By code point 张 (U+5F20) comes before 李 (U+674E) and 安 (U+5B89)
        // before 白 (U+767D) only by chance; pinyin puts 李 first.
        let mut names = vec!["张伟", "李娜", "安琪", "Bob", "白雪", "Zhao Lei"];
        names.sort_by_cached_key(|n| sort_key(n));
        assert_eq!(names, ["安琪", "白雪", "Bob", "李娜", "张伟", "Zhao Lei"]);
    }
}
