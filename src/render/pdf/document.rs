//! Turns drawn pages into PDF bytes: fonts embedded as subsets under fixed names, any save
//! warning treated as an error, and a trailer /ID derived from the content, so the same
//! sources give the same bytes whatever else the process rendered before.

use std::collections::BTreeSet;

use std::io::Write;

use flate2::Compression;
use flate2::write::ZlibEncoder;
use printpdf::{FontId, PdfDocument, PdfFont, PdfParseErrorSeverity, PdfSaveOptions};
use sha2::{Digest, Sha256};

use super::canvas::{BOLD_ID, Canvas, REGULAR_ID};
use crate::model::date::Date;

/// Why a PDF could not be made.
#[derive(Debug, PartialEq)]
pub enum PdfError {
    /// Characters that no font has a glyph for.
    MissingGlyphs(BTreeSet<char>),
    /// printpdf reported a problem (for instance a font it could not subset).
    Save(String),
}

/// `date` becomes the creation and modification date (the build date, never the clock).
pub fn save_pdf(title: &str, date: Date, pages: Vec<Canvas<'_>>) -> Result<Vec<u8>, PdfError> {
    let missing: BTreeSet<char> = pages
        .iter()
        .flat_map(|p| p.missing.iter().copied())
        .collect();
    if !missing.is_empty() {
        return Err(PdfError::MissingGlyphs(missing));
    }
    let Some(fonts) = pages.first().map(Canvas::fonts) else {
        return Err(PdfError::Save("没有页面".into()));
    };
    let mut doc = PdfDocument::new(title);
    doc.metadata.info.creator = "dealbook".into();
    doc.metadata.info.producer = format!("dealbook {}", env!("CARGO_PKG_VERSION"));
    doc.metadata.info.author = "dealbook".into();
    if let Ok(when) = printpdf::OffsetDateTime::from_unix_timestamp(date.unix_seconds()) {
        doc.metadata.info.creation_date = when;
        doc.metadata.info.modification_date = when;
        doc.metadata.info.metadata_date = when;
    }
    if pages.iter().any(|p| p.used_regular) {
        doc.resources.fonts.map.insert(
            FontId(REGULAR_ID.into()),
            PdfFont::new(fonts.regular.clone()),
        );
    }
    if let Some(bold) = fonts
        .bold
        .as_ref()
        .filter(|_| pages.iter().any(|p| p.used_bold))
    {
        doc.resources
            .fonts
            .map
            .insert(FontId(BOLD_ID.into()), PdfFont::new(bold.clone()));
    }
    let pages = pages.into_iter().map(Canvas::into_page).collect();
    let mut warnings = Vec::new();
    // printpdf's own `optimize` deflates every stream at level 9; we compress instead (see
    // `compress_streams`), so it is off here.
    let options = PdfSaveOptions {
        optimize: false,
        ..PdfSaveOptions::default()
    };
    let mut lopdf = doc
        .with_pages(pages)
        .to_lopdf_document(&options, &mut warnings);
    let problems: Vec<String> = warnings
        .iter()
        .filter(|w| w.severity != PdfParseErrorSeverity::Info)
        .map(|w| w.msg.clone())
        .collect();
    if !problems.is_empty() {
        return Err(PdfError::Save(problems.join("；")));
    }
    compress_streams(&mut lopdf);
    let mut bytes = Vec::new();
    lopdf
        .save_to(&mut bytes)
        .map_err(|e| PdfError::Save(e.to_string()))?;
    stable_trailer_id(&mut bytes);
    Ok(bytes)
}

/// Deflates every stream that has no filter yet, at zlib's default level. printpdf's
/// `optimize` asks lopdf for level 9, which took 40 % of a report's time for files 1–2 %
/// smaller (measured on the shipped reports; see benches/README.md). A stream that would not
/// shrink stays as it is.
fn compress_streams(doc: &mut lopdf::Document) {
    for object in doc.objects.values_mut() {
        let lopdf::Object::Stream(stream) = object else {
            continue;
        };
        if stream.dict.has(b"Filter") || !stream.allows_compression {
            continue;
        }
        let mut encoder = ZlibEncoder::new(Vec::new(), Compression::default());
        if encoder.write_all(&stream.content).is_err() {
            continue;
        }
        let Ok(packed) = encoder.finish() else {
            continue;
        };
        if packed.len() + 19 < stream.content.len() {
            stream.dict.set("Filter", "FlateDecode");
            stream.set_content(packed);
        }
    }
}

/// Replaces the two 32-character strings of `/ID[(…)(…)]` with a hash of the document, in
/// place (same length, so the cross-reference offsets stay right).
fn stable_trailer_id(bytes: &mut [u8]) {
    const MARKER: &[u8] = b"/ID[(";
    let Some(start) = bytes.windows(MARKER.len()).rposition(|w| w == MARKER) else {
        return;
    };
    let first = start + MARKER.len();
    let second = first + 32 + 2;
    if bytes.len() < second + 32 || &bytes[first + 32..second] != b")(" {
        return;
    }
    bytes[first..first + 32].fill(b'0');
    bytes[second..second + 32].fill(b'0');
    let digest = Sha256::digest(&*bytes);
    let hex: String = digest.iter().take(16).map(|b| format!("{b:02X}")).collect();
    bytes[first..first + 32].copy_from_slice(hex.as_bytes());
    bytes[second..second + 32].copy_from_slice(hex.as_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::pdf::canvas::{Style, palette};
    use crate::render::pdf::fonts::{FontChoice, Fonts};

    fn page_with<'f>(fonts: &'f Fonts, text: &str) -> Canvas<'f> {
        let mut c = Canvas::new(fonts);
        c.text(20.0, 30.0, text, &Style::new(12.0, false, palette::INK));
        c
    }

    const DAY: Date = Date {
        year: 2026,
        month: 1,
        day: 20,
    };

    #[test]
    fn same_pages_give_the_same_bytes_in_one_process() {
        let fonts = Fonts::load(&FontChoice::Builtin).unwrap();
        let a = save_pdf("t", DAY, vec![page_with(&fonts, "成本降低 30%")]).unwrap();
        let b = save_pdf("t", DAY, vec![page_with(&fonts, "成本降低 30%")]).unwrap();
        assert_eq!(a, b);
        assert!(a.windows(5).any(|w| w == b"/ID[("));
    }

    #[test]
    fn refuses_characters_without_a_glyph() {
        let fonts = Fonts::load(&FontChoice::Builtin).unwrap();
        let err = save_pdf("t", DAY, vec![page_with(&fonts, "好🚀")]).unwrap_err();
        assert_eq!(err, PdfError::MissingGlyphs(BTreeSet::from(['🚀'])));
    }
}
