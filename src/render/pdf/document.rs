//! Turns drawn pages into PDF bytes: fonts embedded as subsets (embed.rs), any save
//! warning treated as an error, and a trailer /ID derived from the content, so the same
//! sources give the same bytes whatever else the process rendered before.

use std::cell::RefCell;
use std::collections::BTreeSet;

use libdeflater::{CompressionLvl, Compressor};
use printpdf::{Mm, PdfDocument, PdfPage, PdfParseErrorSeverity, PdfSaveOptions};
use sha2::{Digest, Sha256};

use super::canvas::{A4_HEIGHT, A4_WIDTH, Canvas, Face, UsedGlyphs};
use super::embed;
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
    // Every glyph each face draws in the document, and the subset numbering of those.
    let mut used = [UsedGlyphs::new(), UsedGlyphs::new()];
    for page in &pages {
        for (all, on_page) in used.iter_mut().zip(&page.used) {
            for (glyph, c) in on_page {
                all.entry(*glyph).or_insert(*c);
            }
        }
    }
    let numbering =
        [0, 1].map(|i| (!used[i].is_empty()).then(|| embed::subset_numbering(&used[i])));
    // printpdf makes the document around empty pages; each page's content stream is ours.
    let contents: Vec<Vec<u8>> = pages
        .into_iter()
        .map(|p| p.into_content(&numbering))
        .collect();
    let pages = contents
        .iter()
        .map(|_| PdfPage::new(Mm(A4_WIDTH), Mm(A4_HEIGHT), Vec::new()))
        .collect();
    let mut warnings = Vec::new();
    // printpdf's `optimize` deflates every stream at level 9; we compress instead (see
    // `compress_streams`).
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
    set_contents(&mut lopdf, contents)?;
    let mut resources = Vec::new();
    for face in Face::ALL {
        let Some(numbering) = &numbering[face as usize] else {
            continue;
        };
        let bold = face == Face::Bold;
        let parsed = fonts.face(bold);
        let id = embed::add_font(&mut lopdf, parsed, &used[face as usize], numbering, |c| {
            fonts.advance(c, bold)
        })
        .map_err(PdfError::Save)?;
        resources.push((face.resource_name(), id));
    }
    embed::attach(&mut lopdf, &resources).map_err(PdfError::Save)?;
    compress_streams(&mut lopdf);
    let mut bytes = Vec::new();
    lopdf
        .save_to(&mut bytes)
        .map_err(|e| PdfError::Save(e.to_string()))?;
    stable_trailer_id(&mut bytes);
    Ok(bytes)
}

/// Puts `contents` into the document's pages, in order.
fn set_contents(doc: &mut lopdf::Document, contents: Vec<Vec<u8>>) -> Result<(), PdfError> {
    let pages = doc.get_pages();
    if pages.len() != contents.len() {
        return Err(PdfError::Save(format!(
            "文档有 {} 页，内容有 {} 页",
            pages.len(),
            contents.len()
        )));
    }
    let streams = pages
        .into_values()
        .map(|page| {
            doc.get_dictionary(page)
                .and_then(|d| d.get(b"Contents"))
                .and_then(lopdf::Object::as_reference)
                .map_err(|e| PdfError::Save(format!("页面内容流：{e}")))
        })
        .collect::<Result<Vec<_>, _>>()?;
    // Each page its own stream: a stream shared between pages would show one page's content
    // on all of them.
    if streams.iter().collect::<BTreeSet<_>>().len() != streams.len() {
        return Err(PdfError::Save("多个页面共用一个内容流".into()));
    }
    for (id, content) in streams.into_iter().zip(contents) {
        doc.get_object_mut(id)
            .and_then(lopdf::Object::as_stream_mut)
            .map_err(|e| PdfError::Save(format!("页面内容流：{e}")))?
            .set_content(content);
    }
    Ok(())
}

/// Deflates every stream that has no filter yet. printpdf's `optimize` asks lopdf for zlib's
/// level 9, which took 40 % of a report's time for files 1–2 % smaller (measured on the
/// shipped reports; see benches/README.md). A stream that would not shrink stays as it is.
fn compress_streams(doc: &mut lopdf::Document) {
    for object in doc.objects.values_mut() {
        let lopdf::Object::Stream(stream) = object else {
            continue;
        };
        if stream.dict.has(b"Filter") || !stream.allows_compression {
            continue;
        }
        let Some(packed) = deflate(&stream.content) else {
            continue;
        };
        if packed.len() + 19 < stream.content.len() {
            stream.dict.set("Filter", "FlateDecode");
            stream.set_content(packed);
        }
    }
}

/// libdeflate's level for every stream: as small as zlib's default level, in half its time
/// (benches/README.md).
const LEVEL: CompressionLvl = match CompressionLvl::new(4) {
    Ok(level) => level,
    Err(_) => panic!("libdeflate's levels are 0 to 12"),
};

thread_local! {
    /// One compressor per thread: a new one allocates and clears its tables, which costs more
    /// than compressing most of a report's streams.
    static DEFLATE: RefCell<Option<Compressor>> = const { RefCell::new(None) };
}

/// `data` as a zlib stream. The bytes depend on `data` alone, whatever this thread compressed
/// before.
fn deflate(data: &[u8]) -> Option<Vec<u8>> {
    DEFLATE.with_borrow_mut(|slot| {
        let z = slot.get_or_insert_with(|| Compressor::new(LEVEL));
        let mut out = vec![0; z.zlib_compress_bound(data.len())];
        let size = z.zlib_compress(data, &mut out).ok()?;
        out.truncate(size);
        Some(out)
    })
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
    use std::io::Read;

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
    fn bytes_do_not_depend_on_what_the_thread_compressed_before() {
        let fonts = Fonts::load(&FontChoice::Builtin).unwrap();
        let first = save_pdf("t", DAY, vec![page_with(&fonts, "成本降低 30%")]).unwrap();
        let other = "对方承诺 P95 延迟低于 5 秒，并提供专属资源池。".repeat(40);
        save_pdf("u", DAY, vec![page_with(&fonts, &other)]).unwrap();
        let again = save_pdf("t", DAY, vec![page_with(&fonts, "成本降低 30%")]).unwrap();
        assert_eq!(first, again);
    }

    #[test]
    fn deflate_round_trips_what_shrinks_and_what_does_not() {
        let mut noise = Vec::new();
        let mut x: u32 = 1;
        for _ in 0..200_000 {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            noise.push(x as u8);
        }
        for data in [&noise[..], b"", b"a", &[b'z'; 100_000][..]] {
            let packed = deflate(data).unwrap();
            let mut back = Vec::new();
            flate2::read::ZlibDecoder::new(&packed[..])
                .read_to_end(&mut back)
                .unwrap();
            assert_eq!(back, data);
        }
    }

    #[test]
    fn refuses_characters_without_a_glyph() {
        let fonts = Fonts::load(&FontChoice::Builtin).unwrap();
        let err = save_pdf("t", DAY, vec![page_with(&fonts, "好🚀")]).unwrap_err();
        assert_eq!(err, PdfError::MissingGlyphs(BTreeSet::from(['🚀'])));
    }
}
