//! Fonts for the PDFs: a system Simplified Chinese font when one is installed, else the cut of
//! Noto Sans CJK SC that ships with the theme (embedded in the binary), or `--font PATH[:INDEX]`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::RwLock;

use crate::diag::os_error;

/// The theme's default face: Noto Sans CJK SC cut to GB2312 (see `scripts/make-font.sh`).
const BUILTIN_REGULAR: &[u8] =
    include_bytes!("../../../themes/default/fonts/DealbookSansSC-Regular.ttf");

/// System fonts searched, in order: (regular, bold, face index).
pub const SYSTEM_FONTS: &[(&str, Option<&str>, u32)] = &[
    (
        "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
        Some("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"),
        2,
    ),
    (
        "/usr/share/fonts/opentype/noto/NotoSansCJKsc-Regular.otf",
        Some("/usr/share/fonts/opentype/noto/NotoSansCJKsc-Bold.otf"),
        0,
    ),
    (
        "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
        Some("/usr/share/fonts/noto-cjk/NotoSansCJK-Bold.ttc"),
        2,
    ),
    (
        "/usr/share/fonts/opentype/source-han-sans/SourceHanSansSC-Regular.otf",
        Some("/usr/share/fonts/opentype/source-han-sans/SourceHanSansSC-Bold.otf"),
        0,
    ),
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", None, 0),
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", None, 0),
    ("/System/Library/Fonts/PingFang.ttc", None, 0),
    (
        "C:\\Windows\\Fonts\\msyh.ttc",
        Some("C:\\Windows\\Fonts\\msyhbd.ttc"),
        0,
    ),
];

/// Which font the PDFs use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FontChoice {
    /// A system font when present, else the built-in one.
    Auto,
    /// The font that ships with the theme, whatever the system has.
    Builtin,
    /// A font file and the face index inside it.
    File(PathBuf, u32),
}

impl FontChoice {
    /// `auto`, `builtin`, or `PATH[:INDEX]`.
    pub fn parse(text: &str) -> Result<FontChoice, String> {
        match text {
            "auto" => return Ok(FontChoice::Auto),
            "builtin" => return Ok(FontChoice::Builtin),
            _ => {}
        }
        if let Some((path, index)) = text.rsplit_once(':')
            && let Ok(index) = index.parse::<u32>()
        {
            return Ok(FontChoice::File(PathBuf::from(path), index));
        }
        Ok(FontChoice::File(PathBuf::from(text), 0))
    }

    /// What tells the faces this choice loads from any others, without reading them: the
    /// files' paths, face index, sizes and modification times, or `builtin`. A PDF drawn with
    /// other faces is never taken from the cache. A font file that cannot be read is an error
    /// here, before anything is drawn.
    pub fn fingerprint(&self) -> Result<String, String> {
        match self {
            FontChoice::Builtin => Ok("builtin".into()),
            FontChoice::File(path, index) => std::fs::metadata(path)
                .map(|_| stamp(path, *index))
                .map_err(|e| format!("无法读取字体文件 {}：{}", path.display(), os_error(&e))),
            FontChoice::Auto => Ok(SYSTEM_FONTS
                .iter()
                .find(|(regular, _, _)| Path::new(regular).is_file())
                .map_or_else(
                    || "builtin".into(),
                    |(regular, bold, index)| {
                        let bold = bold.map(Path::new).filter(|b| b.is_file());
                        let mut stamps = stamp(Path::new(regular), *index);
                        if let Some(bold) = bold {
                            stamps += &format!(" {}", stamp(bold, *index));
                        }
                        stamps
                    },
                )),
        }
    }
}

/// A font file's bytes: the built-in face's, in the binary, or a file's, mapped into memory.
/// A system CJK collection is 20 MB, of which a build reads the few hundred glyphs it draws;
/// mapped, only the pages read take memory (a build of 200 proposals adding one meeting, with
/// Debian's Noto CJK, peaked at 57 MB with the files read whole, 37 MB mapped).
enum FontBytes {
    Builtin(&'static [u8]),
    Mapped(memmap2::Mmap),
}

impl FontBytes {
    fn map(path: &Path) -> std::io::Result<FontBytes> {
        let file = std::fs::File::open(path)?;
        // SAFETY: the map is read-only and private. A font file changed on disk while a build
        // reads it could show the build torn bytes; font files are installed by a package
        // manager or the user, not written while fonts are in use (fontdb, which typst and
        // resvg use, maps fonts the same way).
        let map = unsafe { memmap2::Mmap::map(&file)? };
        Ok(FontBytes::Mapped(map))
    }
}

impl std::ops::Deref for FontBytes {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        match self {
            FontBytes::Builtin(bytes) => bytes,
            FontBytes::Mapped(map) => map,
        }
    }
}

/// One face of a font file: its bytes (the built-in font's are in the binary), the face's
/// index in a collection, and what the PDF's font descriptor needs. Read with ttf-parser, which
/// parses nothing until asked: a face costs microseconds to open, where printpdf's parser
/// took 3.4 ms for the built-in font and most of a build for a system collection.
pub struct Face {
    bytes: FontBytes,
    index: u32,
    /// The PostScript name, for the PDF's /BaseFont.
    pub postscript_name: Option<String>,
    pub metrics: Metrics,
}

/// A face's metrics in font units.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Metrics {
    pub units_per_em: u16,
    /// x min, y min, x max, y max.
    pub bbox: [i16; 4],
    pub ascender: i16,
    pub descender: i16,
    pub cap_height: Option<i16>,
    pub italic_angle: f32,
    pub weight: u16,
}

impl Face {
    fn parse(bytes: FontBytes, index: u32) -> Result<Face, String> {
        let face = ttf_parser::Face::parse(&bytes, index).map_err(|e| e.to_string())?;
        let bbox = face.global_bounding_box();
        let metrics = Metrics {
            units_per_em: face.units_per_em(),
            bbox: [bbox.x_min, bbox.y_min, bbox.x_max, bbox.y_max],
            ascender: face.ascender(),
            descender: face.descender(),
            cap_height: face.capital_height(),
            italic_angle: face.italic_angle(),
            weight: face.weight().to_number(),
        };
        let postscript_name = face
            .names()
            .into_iter()
            .filter(|n| n.name_id == ttf_parser::name_id::POST_SCRIPT_NAME)
            .find_map(|n| n.to_string());
        Ok(Face {
            bytes,
            index,
            postscript_name,
            metrics,
        })
    }

    /// The font file's bytes (a whole collection for a `.ttc`) and the face's index in it.
    pub fn source(&self) -> (&[u8], u32) {
        (&self.bytes, self.index)
    }

    /// The glyph of `c` (never 0, the missing glyph) and its advance in font units, if the
    /// face has one.
    fn glyph(&self, c: char) -> Option<(u16, u16)> {
        let face = ttf_parser::Face::parse(&self.bytes, self.index).ok()?;
        let glyph = face.glyph_index(c).filter(|g| g.0 != 0)?;
        Some((glyph.0, face.glyph_hor_advance(glyph).unwrap_or(0)))
    }

    /// An advance in font units, in ems.
    fn ems(&self, units: u16) -> f32 {
        f32::from(units) / f32::from(self.metrics.units_per_em.max(1))
    }
}

/// The faces a PDF is drawn with. Bold is a real face when one was found, else the regular
/// face drawn with a thin outline (synthetic bold).
pub struct Fonts {
    pub regular: Face,
    pub bold: Option<Face>,
    /// Where the regular face came from, for messages and provenance.
    pub source: String,
    /// Glyphs and advances looked up so far: layout measures and draws the same few hundred
    /// characters again and again, and a lookup parses the face's tables.
    glyphs: RwLock<GlyphCache>,
}

/// Glyph and advance (in font units) by (character, bold); `None` for a character without a
/// glyph.
type GlyphCache = HashMap<(char, bool), Option<(u16, u16)>>;

/// A font file's path, face index, size and modification time.
fn stamp(path: &Path, index: u32) -> String {
    let meta = std::fs::metadata(path).ok();
    let len = meta.as_ref().map_or(0, std::fs::Metadata::len);
    let modified = meta
        .and_then(|m| m.modified().ok())
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos());
    format!("{}:{index}:{len}:{modified}", path.display())
}

impl Fonts {
    pub fn load(choice: &FontChoice) -> Result<Fonts, String> {
        match choice {
            FontChoice::Builtin => Ok(Self::builtin()),
            FontChoice::File(path, index) => {
                let regular = parse_file(path, *index)?;
                let source = format!("{}:{index}", path.display());
                Ok(Fonts::new(regular, None, source))
            }
            FontChoice::Auto => Ok(Self::system().unwrap_or_else(Self::builtin)),
        }
    }

    fn builtin() -> Fonts {
        let regular = Face::parse(FontBytes::Builtin(BUILTIN_REGULAR), 0)
            .unwrap_or_else(|e| unreachable!("the built-in font parses: {e}"));
        let source = "内置字体 Dealbook Sans SC（Noto Sans CJK SC 的 GB2312 子集）";
        Fonts::new(regular, None, source.into())
    }

    fn system() -> Option<Fonts> {
        SYSTEM_FONTS.iter().find_map(|(regular, bold, index)| {
            let path = Path::new(regular);
            if !path.is_file() {
                return None;
            }
            // Two files of ~20 MB each: read side by side, on two cores.
            let (regular_face, bold_face) = rayon::join(
                || parse_file(path, *index).ok(),
                || {
                    bold.map(Path::new)
                        .filter(|b| b.is_file())
                        .and_then(|b| parse_file(b, *index).ok())
                },
            );
            let source = format!("{regular}:{index}");
            Some(Fonts::new(regular_face?, bold_face, source))
        })
    }

    fn new(regular: Face, bold: Option<Face>, source: String) -> Fonts {
        Fonts {
            regular,
            bold,
            source,
            glyphs: RwLock::new(HashMap::new()),
        }
    }

    /// The advance of `c` in ems; 0 for a character the font lacks (the glyph gate stops
    /// those before drawing).
    pub fn advance(&self, c: char, bold: bool) -> f32 {
        self.lookup(c, bold).map_or(0.0, |(_, advance)| advance)
    }

    /// The glyph of `c` in the face used for `bold`, if it has one: what the canvas draws,
    /// and what the glyph gate asks.
    pub fn glyph(&self, c: char, bold: bool) -> Option<u16> {
        self.lookup(c, bold).map(|(glyph, _)| glyph)
    }

    /// The face that draws `bold` text: the bold one when there is one, else the regular one
    /// (drawn with an outline).
    pub fn face(&self, bold: bool) -> &Face {
        match (bold, &self.bold) {
            (true, Some(b)) => b,
            _ => &self.regular,
        }
    }

    fn lookup(&self, c: char, bold: bool) -> Option<(u16, f32)> {
        let face = self.face(bold);
        let key = (c, bold && self.bold.is_some());
        let known = self.glyphs.read().ok().and_then(|m| m.get(&key).copied());
        let found = known.unwrap_or_else(|| {
            // A space the face lacks (no-break, em, tab…) is drawn as a plain space: text
            // pasted from a web page keeps its gaps instead of losing them.
            let found = face
                .glyph(c)
                .or_else(|| c.is_whitespace().then(|| face.glyph(' ')).flatten());
            if let Ok(mut m) = self.glyphs.write() {
                m.insert(key, found);
            }
            found
        });
        found.map(|(glyph, advance)| (glyph, face.ems(advance)))
    }
}

fn parse_file(path: &Path, index: u32) -> Result<Face, String> {
    let bytes = FontBytes::map(path)
        .map_err(|e| format!("无法读取字体文件 {}：{}", path.display(), os_error(&e)))?;
    Face::parse(bytes, index).map_err(|e| {
        format!(
            "字体文件 {} 的第 {index} 个字体无法使用：{e}",
            path.display()
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_font_choices() {
        assert_eq!(FontChoice::parse("builtin"), Ok(FontChoice::Builtin));
        assert_eq!(
            FontChoice::parse("/f/a.ttc:2"),
            Ok(FontChoice::File("/f/a.ttc".into(), 2))
        );
        assert_eq!(
            FontChoice::parse("C:/f/a.otf"),
            Ok(FontChoice::File("C:/f/a.otf".into(), 0))
        );
    }

    #[test]
    fn builtin_font_covers_business_chinese() {
        let fonts = Fonts::load(&FontChoice::Builtin).unwrap();
        for c in "沟通立场速查卡：成本降低 ≥ 30%，延迟 < 5s（PoC）「」→·".chars()
        {
            assert!(fonts.glyph(c, false).is_some(), "{c}");
        }
        assert!(fonts.glyph('✅', false).is_none());
        assert!((fonts.advance('成', false) - 1.0).abs() < 0.01);
        assert!(fonts.advance('i', false) < 0.5);
    }

    #[test]
    fn cached_lookups_are_the_face_s_own_answers() {
        let fonts = Fonts::load(&FontChoice::Builtin).unwrap();
        let face = &fonts.regular;
        let chars = "成本 A\u{0}\u{ff}\u{100}\u{4e00}\u{9fff}\u{ffff}✅🚀\u{20000}\u{10ffff}";
        // Asked twice (made, then cached), regular and bold (no bold face: the regular one).
        for _ in 0..2 {
            for c in chars.chars() {
                let expected = face
                    .glyph(c)
                    .map(|(glyph, units)| (glyph, f32::from(units) / 1000.0));
                for bold in [false, true] {
                    assert_eq!(fonts.lookup(c, bold), expected, "{c:?} bold {bold}");
                }
            }
        }
        assert_eq!(face.metrics.units_per_em, 1000);
    }

    #[test]
    fn a_real_bold_face_has_its_own_cache() {
        // The system's Noto CJK has a bold face, when installed; the built-in font does not.
        let regular = Face::parse(FontBytes::Builtin(BUILTIN_REGULAR), 0).unwrap();
        let mut bold = Face::parse(FontBytes::Builtin(BUILTIN_REGULAR), 0).unwrap();
        bold.metrics.units_per_em = 2000;
        let fonts = Fonts::new(regular, Some(bold), String::new());
        std::thread::scope(|s| {
            for _ in 0..4 {
                s.spawn(|| {
                    for c in "成本降低 30%".chars() {
                        let (glyph, ems) = fonts.lookup(c, false).unwrap();
                        assert_eq!(fonts.lookup(c, true), Some((glyph, ems / 2.0)), "{c}");
                    }
                });
            }
        });
    }
}
