//! `{name}` placeholders in framework text, replaced by the threshold of that name, so every
//! number is written once. `{vendor}` is left for [`super::vendor`] to fill in.

use std::collections::BTreeMap;
use std::path::Path;

use super::vendor::VENDOR;
use crate::diag::{Diagnostic, suggestion};
use crate::location::Pos;

/// A placeholder found in a text, with its position (1-based, in characters).
#[derive(Debug, PartialEq)]
pub struct Placeholder<'a> {
    pub name: &'a str,
    pub pos: Pos,
    /// Byte range of `{name}` in the text.
    pub range: std::ops::Range<usize>,
}

/// Every `{name}` where name is `[a-z_][a-z0-9_]*`; other braces are left alone.
pub fn find(text: &str) -> Vec<Placeholder<'_>> {
    let mut found = Vec::new();
    for (line_index, line) in text.split('\n').enumerate() {
        let line_start = line.as_ptr() as usize - text.as_ptr() as usize;
        let mut rest = line;
        while let Some(open) = rest.find('{') {
            let after = &rest[open + 1..];
            let name_len = after
                .find(|c: char| !(c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'))
                .unwrap_or(after.len());
            let name = &after[..name_len];
            let offset_in_line = line.len() - rest.len() + open;
            let is_name = name.starts_with(|c: char| c.is_ascii_lowercase() || c == '_');
            if is_name && after[name_len..].starts_with('}') {
                let col = line[..offset_in_line].chars().count() + 1;
                let start = line_start + offset_in_line;
                found.push(Placeholder {
                    name,
                    pos: Pos::new(line_index as u32 + 1, col as u32),
                    range: start..start + name_len + 2,
                });
            }
            rest = &rest[open + 1..];
        }
    }
    found
}

/// Checks that every placeholder names a threshold (or is `{vendor}`); one diagnostic per
/// unknown name.
pub fn check(
    file: &Path,
    text: &str,
    thresholds: &BTreeMap<String, f64>,
    line_offset: u32,
) -> Vec<Diagnostic> {
    let names: Vec<&str> = thresholds.keys().map(String::as_str).collect();
    find(text)
        .into_iter()
        .filter(|p| p.name != VENDOR && !thresholds.contains_key(p.name))
        .map(|p| {
            Diagnostic::at(
                file,
                p.pos.shifted(line_offset),
                format!(
                    "文字中的占位符「{{{}}}」不是已定义的阈值，也不是 {{vendor}}",
                    p.name
                ),
            )
            .with_hint(suggestion(p.name, &names))
        })
        .collect()
}

/// Replaces every known placeholder by its threshold's value.
pub fn substitute(text: &str, thresholds: &BTreeMap<String, f64>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for p in find(text) {
        if let Some(value) = thresholds.get(p.name) {
            out.push_str(&text[last..p.range.start]);
            out.push_str(&format_number(*value));
            last = p.range.end;
        }
    }
    out.push_str(&text[last..]);
    out
}

/// 30.0 → "30", 2.5 → "2.5", -1e308 → "-1e308" (not 309 digits).
pub fn format_number(value: f64) -> String {
    if !value.is_finite() {
        value.to_string()
    } else if absurd(value) {
        format!("{value:e}")
    } else if value.fract() == 0.0 {
        format!("{}", value as i64)
    } else {
        let text = format!("{value:.6}");
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

/// A number as its writer would recognise it in an error: every digit that matters
/// (100.0000001, where [`format_number`] rounds), with an exponent for the absurd.
pub fn as_written(value: f64) -> String {
    if absurd(value) {
        format!("{value:e}")
    } else {
        value.to_string()
    }
}

/// Too large or too small to write out digit by digit (-1e308 would be 309 digits).
fn absurd(value: f64) -> bool {
    value != 0.0 && !(1e-6..1e15).contains(&value.abs())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn thresholds() -> BTreeMap<String, f64> {
        BTreeMap::from([
            ("cost_go".to_string(), 30.0),
            ("latency_s".to_string(), 2.5),
        ])
    }

    #[test]
    fn finds_names_with_positions_and_skips_yaml_braces() {
        let text = "a: { fact: x }\nlabel: 成本降低 ≥ {cost_go}%\n";
        let found = find(text);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].name, "cost_go");
        assert_eq!(found[0].pos, Pos::new(2, 15));
    }

    #[test]
    fn substitutes_numbers_without_trailing_zeros() {
        assert_eq!(
            substitute("≥ {cost_go}%，< {latency_s}s，{other}", &thresholds()),
            "≥ 30%，< 2.5s，{other}"
        );
    }

    #[test]
    fn formats_huge_and_tiny_numbers_with_an_exponent() {
        assert_eq!(format_number(-1e308), "-1e308");
        assert_eq!(format_number(2.5e-9), "2.5e-9");
        assert_eq!(format_number(-12.0), "-12");
        assert_eq!(format_number(0.0), "0");
    }

    #[test]
    fn leaves_vendor_for_each_report() {
        let text = "不接受只使用{vendor}模型，≥ {cost_go}%";
        assert!(check(Path::new("f.yaml"), text, &thresholds(), 0).is_empty());
        assert_eq!(
            substitute(text, &thresholds()),
            "不接受只使用{vendor}模型，≥ 30%"
        );
    }

    #[test]
    fn reports_an_unknown_name_with_the_nearest() {
        let errors = check(Path::new("f.yaml"), "x: {cost_goo}\n", &thresholds(), 0);
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].pos, Some(Pos::new(1, 4)));
        assert_eq!(errors[0].hint.as_deref(), Some("是不是想写「cost_go」？"));
    }
}
