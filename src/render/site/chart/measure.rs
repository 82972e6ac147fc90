//! How much room a chart's text takes: estimates of its width, on the wide side so that
//! boxes laid out by them stay clear of each other in any of the theme's fonts, and cutting
//! a text short to fit.

/// How wide `text` is drawn at `size`, a little on the wide side of the sans-serif fonts the
/// theme names (bold included): a CJK character is a square em, Latin letters, digits and
/// signs at most 0.62 em, capitals 0.72, the widest (M, W, m, w, %, @) 0.95.
pub(super) fn text_width(text: &str, size: f64) -> f64 {
    text.chars().map(char_width).sum::<f64>() * size
}

/// A character's width in ems, by the estimates of `text_width`.
fn char_width(c: char) -> f64 {
    match c {
        'M' | 'W' | 'm' | 'w' | '%' | '@' => 0.95,
        'A'..='Z' => 0.72,
        c if c.is_ascii() => 0.62,
        c if u32::from(c) > 0xFFFF => 1.25,
        _ => 1.0,
    }
}

/// `text`, cut short with an ellipsis where it would be wider than `room`.
pub(super) fn fit(text: &str, size: f64, room: f64) -> String {
    if text_width(text, size) <= room {
        return text.to_string();
    }
    let mut out = String::new();
    let mut width = char_width('…') * size;
    for c in text.chars() {
        width += char_width(c) * size;
        if width > room {
            break;
        }
        out.push(c);
    }
    out.push('…');
    out
}
