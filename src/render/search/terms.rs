//! How text becomes search terms: each character normalised, then split into runs of CJK
//! characters and runs of other letters and digits. `search.js` mirrors all of this.

/// A run of characters that are searched together, normalised.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Run {
    /// CJK characters: searched by character and by pairs of neighbours.
    Cjk(Vec<char>),
    /// Other letters and digits: searched as one word.
    Word(String),
}

/// CJK ideographs, kana (without the middle dot) and Hangul syllables: searched by character
/// and by pairs. Mirrored in `search.js` (`isCjk`).
fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3005 | 0x3007
        | 0x3041..=0x30FA
        | 0x30FC..=0x30FF
        | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xAC00..=0xD7AF
        | 0xF900..=0xFAFF
        | 0x20000..=0x3FFFF)
}

/// Letters and numbers: `[\p{Alphabetic}\p{N}]` in JavaScript.
fn is_word(c: char) -> bool {
    c.is_alphanumeric()
}

/// One character as it is searched: full-width ASCII as ASCII, the ideographic space as a
/// space, lowercase where that keeps it one character of the same UTF-16 length, so an offset
/// in normalised text is the same offset in the original (search.js highlights by offset).
pub(super) fn normalize(c: char) -> char {
    let c = match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        _ => c,
    };
    let mut lower = c.to_lowercase();
    match (lower.next(), lower.next()) {
        (Some(l), None) if l.len_utf16() == c.len_utf16() => l,
        _ => c,
    }
}

/// The runs of `text`, normalised, in order; anything neither CJK nor a letter or digit only
/// separates runs.
pub(super) fn runs(text: &str) -> Vec<Run> {
    let mut runs = Vec::new();
    let mut current: Option<Run> = None;
    for c in text.chars().map(normalize) {
        let cjk = is_cjk(c);
        match &mut current {
            Some(Run::Cjk(run)) if cjk => run.push(c),
            Some(Run::Word(run)) if !cjk && is_word(c) => run.push(c),
            _ => {
                runs.extend(current.take());
                if cjk {
                    current = Some(Run::Cjk(vec![c]));
                } else if is_word(c) {
                    current = Some(Run::Word(c.to_string()));
                }
            }
        }
    }
    runs.extend(current);
    runs
}

/// Calls `f` with every term of `text` the index records, in the order found, a term as often
/// as it occurs: each CJK character and each pair of neighbouring CJK characters (`排`, `排他`),
/// and each word (`poc`, `5s`, `30`). A callback rather than a list of strings, so the terms of
/// a paragraph are not each allocated only to be looked up.
pub(super) fn for_each_term(text: &str, mut f: impl FnMut(&str)) {
    let mut one = [0; 4];
    let mut pair = String::new();
    for run in runs(text) {
        match run {
            Run::Cjk(chars) => {
                for (i, &c) in chars.iter().enumerate() {
                    f(c.encode_utf8(&mut one));
                    if let Some(&next) = chars.get(i + 1) {
                        pair.clear();
                        pair.push(c);
                        pair.push(next);
                        f(&pair);
                    }
                }
            }
            Run::Word(word) => f(&word),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn terms(text: &str) -> Vec<String> {
        let mut terms = Vec::new();
        for_each_term(text, |term| terms.push(term.to_string()));
        terms
    }

    fn set(text: &str) -> BTreeSet<String> {
        terms(text).into_iter().collect()
    }

    #[test]
    fn terms_are_cjk_characters_and_pairs_and_lowercased_words() {
        let terms = set("PoC 验证延迟 < 5s，成本降低 30%");
        for t in [
            "poc", "验", "证", "延", "迟", "验证", "证延", "延迟", "5s", "成本", "本降", "30",
        ] {
            assert!(terms.contains(t), "{t} missing from {terms:?}");
        }
        assert!(!terms.contains("迟5s") && !terms.contains("迟 ") && !terms.contains("%"));
        assert!(!terms.contains("PoC"), "words are lowercased");
        // Full-width Latin and digits are their ASCII selves.
        assert!(set("ＰｏＣ ３０％").is_superset(&set("poc 30")));
        // The kana middle dot separates; astral ideographs are CJK characters.
        let terms = set("カタカナ・テスト 𠀀𠀁");
        assert!(terms.contains("ナ") && !terms.contains("ナテ") && terms.contains("𠀀𠀁"));
    }

    #[test]
    fn runs_split_where_the_kind_of_character_changes() {
        assert_eq!(
            runs("PoC验证 v2.0，延迟"),
            [
                Run::Word("poc".into()),
                Run::Cjk(vec!['验', '证']),
                Run::Word("v2".into()),
                Run::Word("0".into()),
                Run::Cjk(vec!['延', '迟']),
            ]
        );
        // A word between two CJK runs keeps them apart: no pair across it.
        assert_eq!(
            terms("成本5s降低"),
            ["成", "成本", "本", "5s", "降", "降低", "低"]
        );
        assert!(runs(" ，。！ ").is_empty());
    }

    #[test]
    fn normalising_keeps_every_offset() {
        // Lowercase forms of another length are left alone: İ lowercases to two characters.
        assert_eq!(normalize('İ'), 'İ');
        assert_eq!(normalize('Σ'), 'σ');
        assert_eq!(normalize('Ａ'), 'a');
        assert_eq!(normalize('\u{3000}'), ' ');
        assert_eq!(normalize('排'), '排');
    }
}
