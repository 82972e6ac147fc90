//! Our dependencies' English, said in Chinese: the one place that matches the wording of
//! their messages. [`yaml`] reads serde-saphyr's errors (and serde's, which it passes on),
//! [`tera`] Tera's, [`clap`] clap's help pages and usage errors.
//!
//! A dependency's wording is not part of its API: an upgrade may change it without a
//! compiler error, and the message would then reach the team in English. So each submodule's
//! tests make real errors with its dependency and assert that the English we match on is
//! still there (an upgrade that rewords it fails a test here), and that what we make of those
//! errors has none of the dependency's English words left.
//!
//! clap's part is here as functions on strings only. The command line itself — clap's types,
//! the Chinese help and usage errors — is the binary's (`src/bin/dealbook/cli/`), which calls
//! them; keeping every pattern of every dependency's English in one module means one place to
//! check on an upgrade, and the library's code still uses nothing of clap (only its tests do,
//! to make clap's real text).
//!
//! What is matched is translated; what is not passes through after a Chinese frame, on
//! purpose: a parser's syntax message (`YAML 格式错误：…`, `模板有错误：…`) in English is
//! better than no reason at all.

pub mod clap;
pub mod tera;
pub mod yaml;

/// The words and phrases of `english` that `text` holds as whole words (a key `titles` does
/// not hold the word `title`): for the tests, here and in the binary's, that check no English
/// of a dependency is left in what we show.
pub fn english_left<'a>(text: &str, english: &[&'a str]) -> Vec<&'a str> {
    let words: String = text
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect();
    let words = format!(
        " {} ",
        words.split_whitespace().collect::<Vec<_>>().join(" ")
    );
    english
        .iter()
        .copied()
        .filter(|phrase| words.contains(&format!(" {phrase} ")))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::english_left;

    #[test]
    fn english_is_found_as_whole_words_and_phrases() {
        let text = "未知的键「titles」；expected: one  of`x`";
        assert_eq!(
            english_left(text, &["title", "expected", "one of", "x", "of x y"]),
            ["expected", "one of", "x"]
        );
    }
}
