//! Measuring and wrapping text with the font's advances. Chinese breaks between characters;
//! Latin words and numbers such as `5s`, `30%`, `PoC` stay whole; no line starts with closing
//! punctuation and none ends with opening punctuation.

use std::ops::Range;

use super::fonts::Fonts;

/// Punctuation that must not start a line.
const NO_LINE_START: &str = "。，、；：？！）」』】》〉〕”’…—%％·.,;:?!)]}>";
/// Punctuation that must not end a line.
const NO_LINE_END: &str = "（「『【《〈〔“‘([{<";

/// Width of `text` in points at `size`.
pub fn measure(fonts: &Fonts, text: &str, size: f32, bold: bool) -> f32 {
    text.chars()
        .filter(|c| !is_invisible(*c))
        .map(|c| fonts.advance(c, bold))
        .sum::<f32>()
        * size
}

/// Characters that take no room and draw nothing: control codes and format controls (bidi
/// marks and overrides, zero-width spaces and joiners, variation selectors, the soft hyphen,
/// the byte order mark, tag characters). A PDF leaves them out, as a browser shows nothing for
/// them, instead of failing for want of a glyph no font has.
pub fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{0}'..='\u{8}'
            | '\u{b}'..='\u{1f}'
            | '\u{7f}'..='\u{9f}'
            | '\u{ad}'
            | '\u{61c}'
            | '\u{180e}'
            | '\u{200b}'..='\u{200f}'
            | '\u{202a}'..='\u{202e}'
            | '\u{2060}'..='\u{206f}'
            | '\u{fe00}'..='\u{fe0f}'
            | '\u{feff}'
            | '\u{fff9}'..='\u{fffb}'
            | '\u{e0000}'..='\u{e007f}'
            | '\u{e0100}'..='\u{e01ef}'
    )
}

/// Splits `text` into lines no wider than `width` points. Explicit newlines are kept.
pub fn wrap(fonts: &Fonts, text: &str, size: f32, bold: bool, width: f32) -> Vec<String> {
    line_ranges(text, width, |r| measure(fonts, &text[r], size, bold))
        .into_iter()
        .map(|r| text[r].to_string())
        .collect()
}

/// The lines of `text` as byte ranges, none wider than `width` as `width_of` measures a
/// slice (so one line may mix styles: bold, code, a larger size). Explicit newlines are kept;
/// spaces at the end of a line, and at the start of a line the text broke, are left out.
pub fn line_ranges(
    text: &str,
    width: f32,
    width_of: impl Fn(Range<usize>) -> f32,
) -> Vec<Range<usize>> {
    let mut lines = Vec::new();
    let mut start = 0;
    for paragraph in text.split('\n') {
        let end = start + paragraph.len();
        wrap_paragraph(text, start..end, width, &width_of, &mut lines);
        start = end + 1;
    }
    lines
}

/// The width of the widest piece of `text` no line may break: the narrowest a column can be
/// without breaking inside a word.
pub fn widest_unit(text: &str, width_of: impl Fn(Range<usize>) -> f32) -> f32 {
    let mut widest: f32 = 0.0;
    let mut start = 0;
    for paragraph in text.split('\n') {
        for unit in units(paragraph) {
            widest = widest.max(width_of(trim(text, start + unit.start..start + unit.end)));
        }
        start += paragraph.len() + 1;
    }
    widest
}

fn wrap_paragraph(
    text: &str,
    paragraph: Range<usize>,
    width: f32,
    width_of: &impl Fn(Range<usize>) -> f32,
    lines: &mut Vec<Range<usize>>,
) {
    let blank = |r: &Range<usize>| text[r.clone()].trim().is_empty();
    let mut line = paragraph.start..paragraph.start;
    let mut line_width = 0.0;
    for unit in units(&text[paragraph.clone()]) {
        let unit = paragraph.start + unit.start..paragraph.start + unit.end;
        let unit_width = width_of(unit.clone());
        if line_width + unit_width <= width || blank(&line) && unit_width <= width {
            line.end = unit.end;
            line_width += unit_width;
            continue;
        }
        if !blank(&line) {
            lines.push(trim_end(text, line));
        }
        let unit = trim_start(text, unit);
        let unit_width = width_of(unit.clone());
        if unit_width <= width {
            line_width = unit_width;
            line = unit;
            continue;
        }
        // A unit wider than the line (a very long word): break it between characters,
        // after its last hyphen on the line where there is one ("volcengine-" /
        // "contact.yaml:18").
        line = unit.start..unit.start;
        line_width = 0.0;
        for (at, c) in text[unit.clone()].char_indices() {
            let c = unit.start + at..unit.start + at + c.len_utf8();
            let w = width_of(c.clone());
            if line_width + w > width && !line.is_empty() {
                let carry_from = match text[line.clone()].rfind('-') {
                    Some(at) if line.start + at + 1 < line.end => line.start + at + 1,
                    _ => line.end,
                };
                lines.push(line.start..carry_from);
                line = carry_from..line.end;
                line_width = width_of(line.clone());
            }
            line.end = c.end;
            line_width += w;
        }
    }
    lines.push(trim_end(text, line));
}

fn trim_start(text: &str, r: Range<usize>) -> Range<usize> {
    let slice = &text[r.clone()];
    r.start + slice.len() - slice.trim_start().len()..r.end
}

fn trim_end(text: &str, r: Range<usize>) -> Range<usize> {
    r.start..r.start + text[r.clone()].trim_end().len()
}

fn trim(text: &str, r: Range<usize>) -> Range<usize> {
    trim_end(text, trim_start(text, r))
}

/// Unbreakable units: a Chinese character, a Latin word or number, a space; closing
/// punctuation joins the unit before it, opening punctuation the unit after it. Each unit is
/// a byte range of `text`, and together they are all of it, in order.
fn units(text: &str) -> Vec<Range<usize>> {
    // Characters, with runs of word characters kept together: byte ranges of `text`.
    let mut raw: Vec<(usize, usize)> = Vec::new();
    let mut after_word = false;
    for (at, c) in text.char_indices() {
        let end = at + c.len_utf8();
        let word = is_word_char(c);
        match raw.last_mut() {
            Some(last) if word && after_word => last.1 = end,
            _ => raw.push((at, end)),
        }
        after_word = word;
    }
    let mut units: Vec<Range<usize>> = Vec::new();
    // Where the opening punctuation waiting for the next unit starts.
    let mut open_from: Option<usize> = None;
    for (start, end) in raw {
        let unit = &text[start..end];
        let first = unit.chars().next().unwrap_or(' ');
        if NO_LINE_START.contains(first)
            && open_from.is_none()
            && let Some(last) = units.last_mut()
        {
            last.end = end;
            continue;
        }
        if NO_LINE_END.contains(first) && unit.chars().count() == 1 {
            open_from.get_or_insert(start);
            continue;
        }
        units.push(open_from.take().unwrap_or(start)..end);
    }
    if let Some(start) = open_from {
        units.push(start..text.len());
    }
    units
}

fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || matches!(
            c,
            '%' | '.' | '_' | '-' | '/' | '+' | '#' | '@' | '\'' | '&'
        )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::pdf::fonts::FontChoice;

    fn fonts() -> &'static Fonts {
        static FONTS: std::sync::OnceLock<Fonts> = std::sync::OnceLock::new();
        FONTS.get_or_init(|| Fonts::load(&FontChoice::Builtin).unwrap())
    }

    #[test]
    fn invisible_characters_take_no_room() {
        let plain = measure(fonts(), "成本ab", 10.0, false);
        let marked = measure(
            fonts(),
            "\u{202e}成\u{200b}本\u{feff}a\u{0}b\u{fe0f}",
            10.0,
            false,
        );
        assert_eq!(plain, marked);
        assert!(!is_invisible('成') && !is_invisible(' ') && !is_invisible('\n'));
    }

    fn unit_texts(text: &str) -> Vec<&str> {
        units(text).into_iter().map(|r| &text[r]).collect()
    }

    #[test]
    fn keeps_latin_words_and_numbers_whole() {
        let u = unit_texts("延迟 < 5s，PoC 验证 30%。");
        assert!(u.contains(&"5s，"), "{u:?}");
        assert!(u.contains(&"PoC"), "{u:?}");
        assert!(u.contains(&"30%。"), "{u:?}");
    }

    #[test]
    fn opening_punctuation_joins_the_next_unit() {
        let u = unit_texts("合作（对方）");
        assert_eq!(u, ["合", "作", "（对", "方）"]);
    }

    #[test]
    fn no_line_starts_with_closing_punctuation() {
        // 10 pt Chinese is 10 pt wide: a 40 pt line holds four characters.
        let lines = wrap(
            fonts(),
            "我们业务运行良好，使用多家模型供应商。",
            10.0,
            false,
            40.0,
        );
        for line in &lines {
            let first = line.chars().next().unwrap();
            assert!(!NO_LINE_START.contains(first), "{lines:?}");
            let last = line.chars().last().unwrap();
            assert!(!NO_LINE_END.contains(last), "{lines:?}");
        }
        assert_eq!(lines.concat(), "我们业务运行良好，使用多家模型供应商。");
    }

    #[test]
    fn wraps_within_the_width_and_keeps_every_character() {
        let text = "针对实时对练场景，能否保证 5s 内延迟？PoC 验证（对方承担成本）";
        let lines = wrap(fonts(), text, 9.0, false, 80.0);
        assert!(lines.len() > 2);
        for line in &lines {
            assert!(measure(fonts(), line, 9.0, false) <= 80.0 + 9.0, "{line}");
        }
        assert_eq!(lines.join("").replace(' ', ""), text.replace(' ', ""));
    }

    /// The units as they were made before they became slices of the text: a string each.
    fn units_as_strings(text: &str) -> Vec<String> {
        let mut raw: Vec<String> = Vec::new();
        for c in text.chars() {
            let joins_word = is_word_char(c)
                && raw
                    .last()
                    .and_then(|u| u.chars().last())
                    .is_some_and(is_word_char);
            if joins_word {
                if let Some(last) = raw.last_mut() {
                    last.push(c);
                }
            } else {
                raw.push(c.to_string());
            }
        }
        let mut units: Vec<String> = Vec::new();
        let mut pending_open = String::new();
        for unit in raw {
            let first = unit.chars().next().unwrap_or(' ');
            if NO_LINE_START.contains(first)
                && pending_open.is_empty()
                && let Some(last) = units.last_mut()
            {
                last.push_str(&unit);
                continue;
            }
            if NO_LINE_END.contains(first) && unit.chars().count() == 1 {
                pending_open.push_str(&unit);
                continue;
            }
            units.push(format!("{}{unit}", std::mem::take(&mut pending_open)));
        }
        if !pending_open.is_empty() {
            units.push(pending_open);
        }
        units
    }

    proptest::proptest! {
        #[test]
        fn units_are_the_same_as_before_and_cover_the_text(
            text in "[成本延迟（）「」【】《》“”‘’。，、；：？！…—%％·.,;:?!()\\[\\]{}<>a-cA-C0-9 _/+#@&'-]{0,40}"
        ) {
            let units = unit_texts(&text);
            proptest::prop_assert_eq!(&units, &units_as_strings(&text));
            proptest::prop_assert_eq!(units.concat(), text);
        }
    }

    #[test]
    fn breaks_an_overlong_name_after_a_hyphen() {
        let name = "2026-02-12-volcengine-contact.yaml:15";
        let width = measure(fonts(), "2026-02-12-volcengine-co", 8.5, false);
        let lines = wrap(fonts(), name, 8.5, false, width);
        assert_eq!(lines, ["2026-02-12-volcengine-", "contact.yaml:15"]);
    }

    #[test]
    fn breaks_an_overlong_word() {
        let lines = wrap(fonts(), &"x".repeat(200), 10.0, false, 50.0);
        assert!(lines.len() > 3);
        assert!(
            lines
                .iter()
                .all(|l| measure(fonts(), l, 10.0, false) <= 50.0)
        );
    }
}
