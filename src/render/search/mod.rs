//! Offline full-text search for the HTML site, for Chinese and Latin text alike.
//!
//! [`write_search_index`] writes `search-index.js`, a classic script that sets
//! `window.DEALBOOK_SEARCH` (so it loads from `file://`, with no fetch); the theme's
//! `static/search.js` answers queries from it in the browser. Format, version 1:
//!
//! ```text
//! window.DEALBOOK_SEARCH = {"v":1,"docs":[{"u":URL,"p":[TITLE,PARAGRAPH,…]},…],"terms":{TERM:[N,…],…}};
//! ```
//!
//! - `docs[i].u` is the link relative to the site root; `docs[i].p` is the title followed by
//!   the non-empty, trimmed paragraphs of the text. Every text is stored once.
//! - Paragraphs are numbered across all documents in order: the title of the first document is
//!   0, its first paragraph 1, and so on.
//! - `terms` maps every term to the sorted numbers of the paragraphs it occurs in,
//!   delta-encoded: the first number as it is, each later one minus the one before it.
//! - Terms (`terms.rs`): the text is normalised character by character (full-width ASCII to
//!   ASCII, the ideographic space to a space, then lowercase where that is one character of
//!   the same UTF-16 length, so an offset in the normalised text is the same offset in the
//!   original). A run of CJK characters gives each character and each pair of neighbours
//!   (`排`, `排他`); a run of other letters and digits gives one word (`poc`, `5s`, `30`);
//!   anything else only separates.
//!
//! The JSON is made safe inside HTML: `<`, `>`, `&`, U+2028 and U+2029 are written as `\uXXXX`
//! escapes, so no text can end the script. `search.js` implements the same normalisation and
//! tokenisation; `tests/search_js_test.mjs` checks that both give the same terms.

use std::io::Write;

mod index;
mod terms;
#[cfg(test)]
mod tests;

/// One searchable document: a section page or a report page.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SearchDoc {
    /// Link relative to the site root, e.g. "decision.html" or
    /// "reports/2026-02-05-aliyun-review.html"; may include "#anchor".
    pub url: String,
    pub title: String,
    /// Plain text of the document (no HTML), paragraphs separated by "\n".
    pub text: String,
}

/// The version of the index format; `search.js` refuses any other.
pub const INDEX_VERSION: u32 = 1;

/// The global `search.js` reads.
pub const INDEX_GLOBAL: &str = "DEALBOOK_SEARCH";

/// Writes the JavaScript file `search-index.js` of `docs` to `to`: `window.DEALBOOK_SEARCH =
/// {...};`, everything the script needs. Deterministic: the same docs give the same bytes.
pub fn write_search_index(docs: Vec<SearchDoc>, to: &mut dyn Write) -> std::io::Result<()> {
    let json = serde_json::to_string(&index::Index::of(docs))?;
    to.write_all(b"/* dealbook search index (generated; read by search.js) */\n")?;
    writeln!(to, "window.{INDEX_GLOBAL} = {};", script_safe(&json))?;
    to.flush()
}

/// `json` made inert inside an HTML `<script>` and valid JavaScript everywhere: `<`, `>`, `&`,
/// U+2028 and U+2029 as `\uXXXX` escapes. Outside strings JSON never holds these characters,
/// so this only changes strings, where the escapes read back as the same text (a backslash
/// before one is itself escaped, so it cannot swallow the escape).
fn script_safe(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}
