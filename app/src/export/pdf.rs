//! The PDF writer: A4 landscape, a heading block on the first page, then each table
//! with its header row repeated on every page, and "page N of M" in every footer.
//!
//! Text is set in DejaVu Sans Condensed (regular and bold, from the `dejavu` crate),
//! embedded as a subset (only the glyphs used) in a CID-keyed TrueType font with a
//! ToUnicode map, so Cyrillic renders anywhere and can be searched and copied.
//!
//! Layout runs in two passes so that the footer can say how many pages there are:
//! the first measures every row (how many wrapped lines it needs) and cuts the tables
//! into pages, keeping one byte per row; the second draws one page at a time and
//! appends it, compressed, to the output. No page is held after it is written.

use std::io::Write;
use std::ops::Range;

use chrono::{Datelike, Timelike};

use flate2::Compression;
use flate2::write::ZlibEncoder;

use pdf_writer::types::{CidFontType, FontFlags, SystemInfo, UnicodeCmap};
use pdf_writer::{Content, Filter, Finish, Name, Pdf, Rect, Ref, Str, TextStr};
use ttf_parser::{Face, GlyphId};

use super::{ColumnKind, DATE_TIME_FORMAT, Document, ExportError, Table, Value};

/// A4 landscape, in points.
const PAGE_WIDTH: f32 = 841.89;
const PAGE_HEIGHT: f32 = 595.28;
/// 10 mm on every side.
const MARGIN: f32 = 28.35;
const CONTENT_WIDTH: f32 = PAGE_WIDTH - 2.0 * MARGIN;
/// The footer's band above the bottom margin.
const FOOTER_BAND: f32 = 14.0;
const BODY_TOP: f32 = PAGE_HEIGHT - MARGIN;
const BODY_BOTTOM: f32 = MARGIN + FOOTER_BAND;

const TITLE_SIZE: f32 = 14.0;
const META_SIZE: f32 = 8.5;
const HEADING_SIZE: f32 = 10.0;
const CELL_SIZE: f32 = 7.0;
const FOOTER_SIZE: f32 = 7.0;
/// Baseline-to-baseline distance as a multiple of the font size.
const LEADING: f32 = 1.2;
/// DejaVu's ascender (1901/2048 em), used to put the first baseline below a box's top.
const ASCENT: f32 = 0.93;
const CELL_PAD_X: f32 = 2.0;
const CELL_PAD_Y: f32 = 2.0;
/// A cell shows at most this many lines; the last one ends with "…" if text remains.
const MAX_CELL_LINES: usize = 3;
const MAX_HEADER_LINES: usize = 3;
/// Limits for the heading block, so that a runaway filter cannot fill the first page.
const MAX_TITLE_LINES: usize = 3;
const MAX_FILTER_LINES: usize = 2;
/// Space after the heading block and between tables.
const BLOCK_GAP: f32 = 10.0;

const HEADER_FILL: (f32, f32, f32) = (0.867, 0.906, 0.953);
const RULE_GRAY: f32 = 0.75;
const RULE_WIDTH: f32 = 0.4;

/// Deflate level for page contents and the font: zlib's default, much faster than 9
/// for a few percent more bytes.
const DEFLATE_LEVEL: u32 = 6;

/// Writes `doc` as a PDF and returns its bytes.
pub fn write_pdf(doc: &Document) -> Result<Vec<u8>, ExportError> {
    let mut fonts = Fonts {
        regular: Font::new(
            dejavu::sans_condensed::regular(),
            "DejaVuSansCondensed",
            "AAAAAA",
        )?,
        bold: Font::new(
            dejavu::sans_condensed::bold(),
            "DejaVuSansCondensed-Bold",
            "AAAAAB",
        )?,
    };
    let opening = Opening::measure(doc, &fonts);
    let layouts: Vec<TableLayout> = doc
        .tables
        .iter()
        .map(|table| TableLayout::measure(table, doc, &fonts))
        .collect();
    let plan = paginate(&opening, &layouts);

    let mut refs = Refs(0);
    let catalog = refs.next();
    let tree = refs.next();
    let info = refs.next();
    let regular_ref = refs.next();
    let bold_ref = refs.next();
    let mut pdf = Pdf::new();
    let mut page_refs = Vec::with_capacity(plan.len());
    let footer_left = format!(
        "{} · {}: {}",
        doc.title,
        doc.labels.generated,
        doc.generated_at.format(DATE_TIME_FORMAT)
    );

    let mut painter = Painter::new();
    for (index, page) in plan.iter().enumerate() {
        painter.clear();
        let mut y = BODY_TOP;
        if index == 0 {
            y = opening.draw(&mut painter, &mut fonts);
        }
        for segment in page {
            let table = &doc.tables[segment.table];
            y = layouts[segment.table].draw(table, segment, y, doc, &mut painter, &mut fonts);
        }
        let page_text = doc.labels.page_text(index + 1, plan.len());
        let footer_y = MARGIN + 2.0;
        let page_width = fonts.regular.width(&page_text, FOOTER_SIZE);
        let left_room = CONTENT_WIDTH - page_width - 12.0;
        let mut lines = Vec::new();
        wrap(
            &fonts.regular,
            &footer_left,
            FOOTER_SIZE,
            left_room,
            1,
            &mut lines,
        );
        if let Some(line) = lines.first() {
            painter.text(
                &mut fonts,
                Style::Regular,
                FOOTER_SIZE,
                MARGIN,
                footer_y,
                &footer_left,
                line,
            );
        }
        painter.text(
            &mut fonts,
            Style::Regular,
            FOOTER_SIZE,
            PAGE_WIDTH - MARGIN - page_width,
            footer_y,
            &page_text,
            &Line::whole(&page_text),
        );

        let page_ref = refs.next();
        let content_ref = refs.next();
        let content = painter.take_content();
        pdf.stream(content_ref, &deflate(&content)?)
            .filter(Filter::FlateDecode);
        let mut page_writer = pdf.page(page_ref);
        page_writer
            .parent(tree)
            .media_box(Rect::new(0.0, 0.0, PAGE_WIDTH, PAGE_HEIGHT))
            .contents(content_ref);
        page_writer
            .resources()
            .fonts()
            .pair(Style::Regular.resource(), regular_ref)
            .pair(Style::Bold.resource(), bold_ref);
        page_writer.finish();
        page_refs.push(page_ref);
    }

    fonts.regular.write(&mut pdf, &mut refs, regular_ref)?;
    fonts.bold.write(&mut pdf, &mut refs, bold_ref)?;
    pdf.pages(tree)
        .kids(page_refs.iter().copied())
        .count(page_refs.len() as i32);
    pdf.catalog(catalog).pages(tree);
    let at = doc.generated_at;
    let mut info_writer = pdf.document_info(info);
    info_writer
        .title(TextStr(&doc.title))
        .producer(TextStr("Open Region"));
    if let Ok(year) = u16::try_from(at.year()) {
        info_writer.creation_date(
            pdf_writer::Date::new(year)
                .month(at.month() as u8)
                .day(at.day() as u8)
                .hour(at.hour() as u8)
                .minute(at.minute() as u8)
                .second(at.second() as u8),
        );
    }
    info_writer.finish();
    Ok(pdf.finish())
}

/// Hands out consecutive object ids.
struct Refs(i32);

impl Refs {
    fn next(&mut self) -> Ref {
        self.0 += 1;
        Ref::new(self.0)
    }
}

/// `data` compressed for a `FlateDecode` stream.
fn deflate(data: &[u8]) -> Result<Vec<u8>, ExportError> {
    let mut encoder = ZlibEncoder::new(
        Vec::with_capacity(data.len() / 4),
        Compression::new(DEFLATE_LEVEL),
    );
    encoder.write_all(data)?;
    Ok(encoder.finish()?)
}

/// The two faces the writer uses.
struct Fonts {
    regular: Font,
    bold: Font,
}

impl Fonts {
    fn get(&self, style: Style) -> &Font {
        match style {
            Style::Regular => &self.regular,
            Style::Bold => &self.bold,
        }
    }

    fn get_mut(&mut self, style: Style) -> &mut Font {
        match style {
            Style::Regular => &mut self.regular,
            Style::Bold => &mut self.bold,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Style {
    Regular,
    Bold,
}

impl Style {
    /// The font's name in each page's resources.
    fn resource(self) -> Name<'static> {
        match self {
            Style::Regular => Name(b"F1"),
            Style::Bold => Name(b"F2"),
        }
    }
}

/// Characters below this code point (Latin, Greek, Cyrillic) have their glyph and
/// advance precomputed; others are looked up in the font's tables each time.
const FAST_CHARS: usize = 0x0530;
/// Marks a glyph not yet given an id in the subset.
const UNMAPPED: u16 = u16::MAX;

/// One embedded TrueType face, and the glyphs used from it so far.
struct Font {
    data: &'static [u8],
    face: Face<'static>,
    /// PostScript name, prefixed with `tag+` in the PDF as subsets must be.
    name: &'static str,
    tag: &'static str,
    units_per_em: f32,
    /// `(glyph id, advance)` for every char below `FAST_CHARS`.
    fast: Vec<(u16, u16)>,
    /// The subset's glyph id for each glyph of the face, or `UNMAPPED`.
    new_ids: Vec<u16>,
    /// The original glyph id of each subset glyph, in subset order (0 is .notdef).
    used: Vec<u16>,
    /// The character each subset glyph stands for, for the ToUnicode map.
    chars: Vec<Option<char>>,
}

impl Font {
    fn new(
        data: &'static [u8],
        name: &'static str,
        tag: &'static str,
    ) -> Result<Self, ExportError> {
        let face = Face::parse(data, 0).map_err(|e| ExportError::Font(format!("{name}: {e}")))?;
        let units_per_em = f32::from(face.units_per_em());
        let lookup = |c: char| {
            let glyph = face.glyph_index(c).unwrap_or(GlyphId(0));
            (glyph.0, face.glyph_hor_advance(glyph).unwrap_or(0))
        };
        let fast = (0..FAST_CHARS as u32)
            .map(|code| char::from_u32(code).map_or((0, 0), lookup))
            .collect();
        let mut new_ids = vec![UNMAPPED; usize::from(face.number_of_glyphs())];
        if let Some(notdef) = new_ids.first_mut() {
            *notdef = 0;
        }
        Ok(Self {
            data,
            face,
            name,
            tag,
            units_per_em,
            fast,
            new_ids,
            used: vec![0],
            chars: vec![None],
        })
    }

    /// The glyph and advance (in font units) of `c`; .notdef for what the face lacks.
    fn glyph(&self, c: char) -> (u16, u16) {
        match self.fast.get(c as usize) {
            Some(&found) => found,
            None => {
                let glyph = self.face.glyph_index(c).unwrap_or(GlyphId(0));
                (glyph.0, self.face.glyph_hor_advance(glyph).unwrap_or(0))
            }
        }
    }

    /// The width of `text` at `size`, in points.
    fn width(&self, text: &str, size: f32) -> f32 {
        let units: u32 = text
            .chars()
            .filter_map(shown)
            .map(|c| u32::from(self.glyph(c).1))
            .sum();
        units as f32 * size / self.units_per_em
    }

    /// Appends the subset glyph ids of `line` (two bytes each, as Identity-H wants) to
    /// `out`, and returns the line's width in font units.
    fn encode(&mut self, text: &str, line: &Line, out: &mut Vec<u8>) -> u32 {
        let mut units = 0;
        let ellipsis = line.ellipsis.then_some('…');
        for c in line.of(text).chars().filter_map(shown).chain(ellipsis) {
            let (glyph, advance) = self.glyph(c);
            units += u32::from(advance);
            let new_id = match self.new_ids.get(usize::from(glyph)) {
                Some(&id) if id != UNMAPPED => id,
                _ => {
                    let id = self.used.len() as u16;
                    if let Some(slot) = self.new_ids.get_mut(usize::from(glyph)) {
                        *slot = id;
                    }
                    self.used.push(glyph);
                    self.chars.push(Some(c));
                    id
                }
            };
            out.extend_from_slice(&new_id.to_be_bytes());
        }
        units
    }

    /// Writes the font's objects: the Type0 font at `id` and what it refers to.
    fn write(&self, pdf: &mut Pdf, refs: &mut Refs, id: Ref) -> Result<(), ExportError> {
        // The subsetter numbers glyphs in the order they were first remapped, which is
        // the order of `used`, so the ids already written into the pages stay valid.
        let mut remapper = subsetter::GlyphRemapper::new();
        for &glyph in &self.used {
            remapper.remap(glyph);
        }
        let subset = subsetter::subset(self.data, 0, &remapper)
            .map_err(|e| ExportError::Font(format!("{}: {e:?}", self.name)))?;
        let base_name = format!("{}+{}", self.tag, self.name);
        let base_name = Name(base_name.as_bytes());
        let cid_ref = refs.next();
        let descriptor_ref = refs.next();
        let file_ref = refs.next();
        let cmap_ref = refs.next();
        let to_pdf_units = |units: f32| units * 1000.0 / self.units_per_em;

        pdf.type0_font(id)
            .base_font(base_name)
            .encoding_predefined(Name(b"Identity-H"))
            .descendant_font(cid_ref)
            .to_unicode(cmap_ref);

        let mut cid = pdf.cid_font(cid_ref);
        cid.subtype(CidFontType::Type2)
            .base_font(base_name)
            .system_info(SystemInfo {
                registry: Str(b"Adobe"),
                ordering: Str(b"Identity"),
                supplement: 0,
            })
            .font_descriptor(descriptor_ref)
            .default_width(0.0)
            .cid_to_gid_map_predefined(Name(b"Identity"));
        cid.widths().consecutive(
            0,
            self.used.iter().map(|&glyph| {
                to_pdf_units(f32::from(
                    self.face.glyph_hor_advance(GlyphId(glyph)).unwrap_or(0),
                ))
            }),
        );
        cid.finish();

        let bbox = self.face.global_bounding_box();
        pdf.font_descriptor(descriptor_ref)
            .name(base_name)
            .flags(FontFlags::NON_SYMBOLIC)
            .bbox(Rect::new(
                to_pdf_units(f32::from(bbox.x_min)),
                to_pdf_units(f32::from(bbox.y_min)),
                to_pdf_units(f32::from(bbox.x_max)),
                to_pdf_units(f32::from(bbox.y_max)),
            ))
            .italic_angle(0.0)
            .ascent(to_pdf_units(f32::from(self.face.ascender())))
            .descent(to_pdf_units(f32::from(self.face.descender())))
            .cap_height(to_pdf_units(f32::from(
                self.face.capital_height().unwrap_or(self.face.ascender()),
            )))
            .stem_v(80.0)
            .font_file2(file_ref);

        pdf.stream(file_ref, &deflate(&subset)?)
            .filter(Filter::FlateDecode)
            .pair(Name(b"Length1"), subset.len() as i32);

        let mut cmap = UnicodeCmap::new(
            Name(b"Custom"),
            SystemInfo {
                registry: Str(b"Adobe"),
                ordering: Str(b"UCS"),
                supplement: 0,
            },
        );
        for (new_id, c) in self.chars.iter().enumerate() {
            if let Some(c) = c {
                cmap.pair(new_id as u16, *c);
            }
        }
        pdf.cmap(cmap_ref, &cmap.finish());
        Ok(())
    }
}

/// `c` as drawn: whitespace becomes a space, other control characters are dropped.
fn shown(c: char) -> Option<char> {
    if c.is_whitespace() {
        Some(' ')
    } else if c.is_control() {
        None
    } else {
        Some(c)
    }
}

/// One wrapped line: a byte range of the source text, maybe followed by "…".
/// (Ranges rather than slices, so one buffer of lines serves texts of any lifetime.)
#[derive(Debug, Clone, Copy)]
struct Line {
    start: usize,
    end: usize,
    ellipsis: bool,
}

impl Line {
    /// All of `text` on one line.
    fn whole(text: &str) -> Self {
        Self {
            start: 0,
            end: text.len(),
            ellipsis: false,
        }
    }

    fn of<'t>(&self, text: &'t str) -> &'t str {
        text.get(self.start..self.end).unwrap_or_default()
    }
}

/// Breaks `text` into at most `max_lines` lines no wider than `width` points at `size`,
/// at spaces where possible and inside a word where not; text that does not fit is cut
/// and the last line ends with "…". `lines` is cleared first (so callers reuse it).
fn wrap(font: &Font, text: &str, size: f32, width: f32, max_lines: usize, lines: &mut Vec<Line>) {
    lines.clear();
    let scale = size / font.units_per_em;
    let advance = |c: char| shown(c).map_or(0.0, |c| f32::from(font.glyph(c).1) * scale);
    // Byte offset of `rest` in `text`, for the lines' ranges.
    let offset = |rest: &str| text.len() - rest.len();
    let mut rest = text.trim_start();
    while !rest.is_empty() && lines.len() < max_lines {
        let mut used = 0.0;
        let mut overflow = None;
        // Where the line can break: the end of the last word before a space, or just
        // after a hyphen or slash inside a word ("РНС-23-2024/15", "жилой-торговый"),
        // so long numbers and compounds break where a reader expects.
        let mut last_break = None;
        let mut previous_space = true;
        for (index, c) in rest.char_indices() {
            let space = c.is_whitespace();
            if space && !previous_space {
                last_break = Some(index);
            }
            used += advance(c);
            // Spaces may hang past the edge: they are trimmed from the line's end.
            if !space && used > width {
                overflow = Some(index);
                break;
            }
            if matches!(c, '-' | '/' | '\u{2010}') && !previous_space {
                last_break = Some(index + c.len_utf8());
            }
            previous_space = space;
        }
        let Some(overflow) = overflow else {
            let start = offset(rest);
            lines.push(Line {
                start,
                end: start + rest.trim_end().len(),
                ellipsis: false,
            });
            return;
        };
        if lines.len() + 1 == max_lines {
            let room = width - advance('…');
            let mut used = 0.0;
            let end = rest
                .char_indices()
                .find(|&(_, c)| {
                    used += advance(c);
                    used > room
                })
                .map_or(rest.len(), |(index, _)| index);
            let start = offset(rest);
            let end = start + rest[..end].trim_end().len();
            lines.push(Line {
                start,
                end,
                ellipsis: true,
            });
            return;
        }
        let end = match last_break {
            Some(end) => end,
            // A character wider than the column still goes on its own line.
            None if overflow == 0 => rest.chars().next().map_or(rest.len(), char::len_utf8),
            None => overflow,
        };
        let start = offset(rest);
        lines.push(Line {
            start,
            end: start + end,
            ellipsis: false,
        });
        rest = rest[end..].trim_start();
    }
}

/// The first page's heading block: title, generation time, filters.
struct Opening<'d> {
    title_text: &'d str,
    title: Vec<Line>,
    generated: String,
    filters: Vec<String>,
    height: f32,
}

impl<'d> Opening<'d> {
    fn measure(doc: &'d Document, fonts: &Fonts) -> Self {
        let mut title = Vec::new();
        wrap(
            &fonts.bold,
            &doc.title,
            TITLE_SIZE,
            CONTENT_WIDTH,
            MAX_TITLE_LINES,
            &mut title,
        );
        let generated = format!(
            "{}: {}",
            doc.labels.generated,
            doc.generated_at.format(DATE_TIME_FORMAT)
        );
        let filters = if doc.filters.is_empty() {
            vec![format!("{}: {}", doc.labels.filters, doc.labels.no_filters)]
        } else {
            std::iter::once(format!("{}:", doc.labels.filters))
                .chain(
                    doc.filters
                        .iter()
                        .map(|(label, value)| format!("{label}: {value}")),
                )
                .collect()
        };
        let mut lines = Vec::new();
        let filter_lines: usize = filters
            .iter()
            .map(|filter| {
                wrap(
                    &fonts.regular,
                    filter,
                    META_SIZE,
                    CONTENT_WIDTH - 10.0,
                    MAX_FILTER_LINES,
                    &mut lines,
                );
                lines.len().max(1)
            })
            .sum();
        let height = title.len().max(1) as f32 * TITLE_SIZE * LEADING
            + 4.0
            + (1 + filter_lines) as f32 * META_SIZE * LEADING
            + BLOCK_GAP;
        Self {
            title_text: &doc.title,
            title,
            generated,
            filters,
            height,
        }
    }

    /// Draws the block at the top of the page and returns the y below it.
    fn draw(&self, painter: &mut Painter, fonts: &mut Fonts) -> f32 {
        let mut y = BODY_TOP;
        for line in &self.title {
            painter.text(
                fonts,
                Style::Bold,
                TITLE_SIZE,
                MARGIN,
                y - ASCENT * TITLE_SIZE,
                self.title_text,
                line,
            );
            y -= TITLE_SIZE * LEADING;
        }
        if self.title.is_empty() {
            y -= TITLE_SIZE * LEADING;
        }
        y -= 4.0;
        let meta_line = META_SIZE * LEADING;
        painter.text(
            fonts,
            Style::Regular,
            META_SIZE,
            MARGIN,
            y - ASCENT * META_SIZE,
            &self.generated,
            &Line::whole(&self.generated),
        );
        y -= meta_line;
        let mut lines = Vec::new();
        for (index, filter) in self.filters.iter().enumerate() {
            // The filter lines after the heading are indented under it.
            let indent = if index == 0 { 0.0 } else { 10.0 };
            wrap(
                &fonts.regular,
                filter,
                META_SIZE,
                CONTENT_WIDTH - 10.0,
                MAX_FILTER_LINES,
                &mut lines,
            );
            for line in &lines {
                painter.text(
                    fonts,
                    Style::Regular,
                    META_SIZE,
                    MARGIN + indent,
                    y - ASCENT * META_SIZE,
                    filter,
                    line,
                );
                y -= meta_line;
            }
            if lines.is_empty() {
                y -= meta_line;
            }
        }
        y - BLOCK_GAP
    }
}

/// A table's measured geometry.
struct TableLayout {
    /// Left edge and width of each column, in points.
    columns: Vec<(f32, f32)>,
    header_height: f32,
    /// How many lines each row needs (1 to `MAX_CELL_LINES`).
    row_lines: Vec<u8>,
}

/// Excel's default column width, in characters.
const DEFAULT_WIDTH: f32 = 8.43;

const HEADING_HEIGHT: f32 = HEADING_SIZE * LEADING + 4.0;

fn row_height(lines: usize) -> f32 {
    lines.max(1) as f32 * CELL_SIZE * LEADING + 2.0 * CELL_PAD_Y
}

impl TableLayout {
    fn measure(table: &Table, doc: &Document, fonts: &Fonts) -> Self {
        let columns = column_geometry(table, doc, fonts);
        let mut lines = Vec::new();
        let header_lines = table
            .columns
            .iter()
            .zip(&columns)
            .map(|(column, &(_, width))| {
                wrap(
                    &fonts.bold,
                    &column.header,
                    CELL_SIZE,
                    width - 2.0 * CELL_PAD_X,
                    MAX_HEADER_LINES,
                    &mut lines,
                );
                lines.len()
            })
            .max()
            .unwrap_or(1);
        let row_lines = table
            .rows
            .iter()
            .map(|row| {
                row.iter()
                    .zip(&columns)
                    .map(|(value, &(_, width))| {
                        let text = value.display(&doc.labels);
                        wrap(
                            &fonts.regular,
                            &text,
                            CELL_SIZE,
                            width - 2.0 * CELL_PAD_X,
                            MAX_CELL_LINES,
                            &mut lines,
                        );
                        lines.len()
                    })
                    .max()
                    .unwrap_or(1)
                    .max(1) as u8
            })
            .collect();
        Self {
            columns,
            header_height: row_height(header_lines),
            row_lines,
        }
    }

    fn row_height(&self, row: usize) -> f32 {
        row_height(
            self.row_lines
                .get(row)
                .map_or(1, |&lines| usize::from(lines)),
        )
    }

    /// Draws one page's part of the table from `top` down and returns the y below it.
    fn draw(
        &self,
        table: &Table,
        segment: &Segment,
        top: f32,
        doc: &Document,
        painter: &mut Painter,
        fonts: &mut Fonts,
    ) -> f32 {
        let mut y = top;
        if segment.heading {
            let mut lines = Vec::new();
            wrap(
                &fonts.bold,
                &table.name,
                HEADING_SIZE,
                CONTENT_WIDTH,
                1,
                &mut lines,
            );
            if let Some(line) = lines.first() {
                painter.text(
                    fonts,
                    Style::Bold,
                    HEADING_SIZE,
                    MARGIN,
                    y - ASCENT * HEADING_SIZE,
                    &table.name,
                    line,
                );
            }
            y -= HEADING_HEIGHT;
        }
        if self.columns.is_empty() {
            return y - BLOCK_GAP;
        }
        let table_top = y;
        let mut lines = Vec::new();

        painter.fill_rect(
            HEADER_FILL,
            MARGIN,
            y - self.header_height,
            CONTENT_WIDTH,
            self.header_height,
        );
        for (column, &(left, width)) in table.columns.iter().zip(&self.columns) {
            wrap(
                &fonts.bold,
                &column.header,
                CELL_SIZE,
                width - 2.0 * CELL_PAD_X,
                MAX_HEADER_LINES,
                &mut lines,
            );
            let right = !matches!(column.kind, ColumnKind::Text);
            painter.cell(
                fonts,
                Style::Bold,
                &column.header,
                &lines,
                left,
                width,
                y,
                right,
            );
        }
        y -= self.header_height;
        painter.rule(MARGIN, y, MARGIN + CONTENT_WIDTH, y);

        for row in segment.rows.clone() {
            let values = table.rows.get(row).map_or(&[][..], Vec::as_slice);
            for ((column, value), &(left, width)) in
                table.columns.iter().zip(values).zip(&self.columns)
            {
                let text = value.display(&doc.labels);
                wrap(
                    &fonts.regular,
                    &text,
                    CELL_SIZE,
                    width - 2.0 * CELL_PAD_X,
                    MAX_CELL_LINES,
                    &mut lines,
                );
                let right = matches!(column.kind, ColumnKind::Integer | ColumnKind::Decimal);
                painter.cell(fonts, Style::Regular, &text, &lines, left, width, y, right);
            }
            y -= self.row_height(row);
            painter.rule(MARGIN, y, MARGIN + CONTENT_WIDTH, y);
        }
        painter.rule(MARGIN, table_top, MARGIN + CONTENT_WIDTH, table_top);
        for &(left, _) in &self.columns {
            painter.rule(left, table_top, left, y);
        }
        painter.rule(MARGIN + CONTENT_WIDTH, table_top, MARGIN + CONTENT_WIDTH, y);
        y - BLOCK_GAP
    }
}

/// Left edge and width of each column: the page width shared in proportion to
/// `Column::width`, except that a number or date column gets at least the width of its
/// widest value (up to a quarter of the page), so that numbers never wrap.
fn column_geometry(table: &Table, doc: &Document, fonts: &Fonts) -> Vec<(f32, f32)> {
    // A width that is not a positive number counts as Excel's default column width.
    let weights: Vec<f32> = table
        .columns
        .iter()
        .map(|column| {
            if column.width.is_finite() && column.width > 0.0 {
                column.width.min(1e6) as f32
            } else {
                DEFAULT_WIDTH
            }
        })
        .collect();
    let mut needs: Vec<f32> = table
        .columns
        .iter()
        .map(|column| match column.kind {
            ColumnKind::Date => fonts.regular.width("00.00.0000", CELL_SIZE),
            // Numbers are measured below; text wraps, so it needs nothing.
            ColumnKind::Integer | ColumnKind::Decimal | ColumnKind::Text => 0.0,
        })
        .collect();
    for row in &table.rows {
        for ((column, value), need) in table.columns.iter().zip(row).zip(&mut needs) {
            if matches!(column.kind, ColumnKind::Integer | ColumnKind::Decimal)
                && !matches!(value, Value::Empty | Value::Text(_))
            {
                *need = need.max(fonts.regular.width(&value.display(&doc.labels), CELL_SIZE));
            }
        }
    }
    let needs: Vec<f32> = needs
        .into_iter()
        .map(|need| (need + 2.0 * CELL_PAD_X + 0.5).min(CONTENT_WIDTH / 4.0))
        .collect();

    // Fix the columns whose share is below their need, then share what is left among
    // the others; repeat, since each fixed column leaves less for the rest.
    let mut fixed: Vec<Option<f32>> = vec![None; weights.len()];
    loop {
        let free_width = CONTENT_WIDTH - fixed.iter().flatten().sum::<f32>();
        let free_weight: f32 = weights
            .iter()
            .zip(&fixed)
            .filter(|(_, fixed)| fixed.is_none())
            .map(|(weight, _)| weight)
            .sum();
        let mut changed = false;
        for ((weight, need), fixed) in weights.iter().zip(&needs).zip(&mut fixed) {
            if fixed.is_none() && free_width * weight / free_weight < *need {
                *fixed = Some(*need);
                changed = true;
            }
        }
        if !changed || fixed.iter().all(Option::is_some) {
            break;
        }
    }
    let free_width = CONTENT_WIDTH - fixed.iter().flatten().sum::<f32>();
    let free_weight: f32 = weights
        .iter()
        .zip(&fixed)
        .filter(|(_, fixed)| fixed.is_none())
        .map(|(weight, _)| weight)
        .sum();
    let total_weight: f32 = weights.iter().sum();
    let mut x = MARGIN;
    weights
        .iter()
        .zip(&fixed)
        .map(|(weight, fixed)| {
            let width = if free_width < 0.0 {
                // Too many wide number columns for the page: plain proportions.
                CONTENT_WIDTH * weight / total_weight
            } else {
                fixed.unwrap_or_else(|| free_width * weight / free_weight)
            };
            let left = x;
            x += width;
            (left, width)
        })
        .collect()
}

/// One table's part on one page.
#[derive(Debug, PartialEq)]
struct Segment {
    table: usize,
    /// Whether the table's heading is drawn (on the page where the table starts).
    heading: bool,
    rows: Range<usize>,
}

/// Cuts the tables into pages: each page is a list of segments.
fn paginate(opening: &Opening, layouts: &[TableLayout]) -> Vec<Vec<Segment>> {
    let mut pages = Vec::new();
    let mut page = Vec::new();
    let mut y = BODY_TOP - opening.height;
    for (index, layout) in layouts.iter().enumerate() {
        let header = if layout.columns.is_empty() {
            0.0
        } else {
            layout.header_height
        };
        let first_row = if layout.row_lines.is_empty() {
            0.0
        } else {
            layout.row_height(0)
        };
        // A table starts on a new page unless its heading, header and first row fit.
        if y - (HEADING_HEIGHT + header + first_row) < BODY_BOTTOM && y < BODY_TOP {
            pages.push(std::mem::take(&mut page));
            y = BODY_TOP;
        }
        y -= HEADING_HEIGHT + header;
        let mut segment = Segment {
            table: index,
            heading: true,
            rows: 0..0,
        };
        for row in 0..layout.row_lines.len() {
            let height = layout.row_height(row);
            if y - height < BODY_BOTTOM && row > segment.rows.start {
                segment.rows.end = row;
                page.push(segment);
                pages.push(std::mem::take(&mut page));
                segment = Segment {
                    table: index,
                    heading: false,
                    rows: row..row,
                };
                y = BODY_TOP - header;
            }
            y -= height;
        }
        segment.rows.end = layout.row_lines.len();
        page.push(segment);
        y -= BLOCK_GAP;
    }
    pages.push(page);
    pages
}

/// Builds one page's content stream: shapes first, then all text in one text object.
struct Painter {
    /// Filled areas (the header's background), drawn first.
    shapes: Content,
    /// The grid, one path stroked once.
    rules: Content,
    /// All text, in one text object.
    text: Content,
    /// Where the current text line starts (what `Td` moves are relative to).
    line_start: (f32, f32),
    /// The font currently set in `text`, to skip repeating `Tf`.
    current: Option<(Style, f32)>,
    /// Reused buffer for a line's glyph ids.
    glyphs: Vec<u8>,
}

/// Coordinates are rounded to 1/100 pt: invisible, and the content stream is shorter.
fn round(value: f32) -> f32 {
    (value * 100.0).round() / 100.0
}

impl Painter {
    fn new() -> Self {
        Self {
            shapes: Content::new(),
            rules: Content::new(),
            text: Content::new(),
            line_start: (0.0, 0.0),
            current: None,
            glyphs: Vec::new(),
        }
    }

    /// Starts a new page.
    fn clear(&mut self) {
        self.shapes = Content::new();
        self.rules = Content::new();
        self.rules.set_stroke_gray(RULE_GRAY);
        self.rules.set_line_width(RULE_WIDTH);
        self.text = Content::new();
        self.text.begin_text();
        self.current = None;
        self.line_start = (0.0, 0.0);
    }

    /// The page's content stream; call `clear` before drawing the next page.
    fn take_content(&mut self) -> Vec<u8> {
        let mut rules = std::mem::replace(&mut self.rules, Content::new());
        rules.stroke();
        let mut text = std::mem::replace(&mut self.text, Content::new());
        text.end_text();
        let mut bytes = std::mem::replace(&mut self.shapes, Content::new())
            .finish()
            .to_vec();
        // `finish` drops the last operator's newline; the next one needs a separator.
        for part in [rules.finish(), text.finish()] {
            bytes.push(b'\n');
            bytes.extend_from_slice(&part);
        }
        bytes
    }

    /// Draws `line` with its baseline's left end at (`x`, `y`).
    #[allow(clippy::too_many_arguments)]
    fn text(
        &mut self,
        fonts: &mut Fonts,
        style: Style,
        size: f32,
        x: f32,
        y: f32,
        text: &str,
        line: &Line,
    ) {
        self.glyphs.clear();
        fonts.get_mut(style).encode(text, line, &mut self.glyphs);
        self.show(style, size, x, y);
    }

    /// Shows the glyphs in `self.glyphs` with the baseline starting at (`x`, `y`).
    fn show(&mut self, style: Style, size: f32, x: f32, y: f32) {
        if self.current != Some((style, size)) {
            self.text.set_font(style.resource(), size);
            self.current = Some((style, size));
        }
        // Relative moves (`Td`) instead of absolute matrices: shorter, and the same
        // steps repeat from row to row, which deflate compresses well. The position is
        // tracked as the sum of the rounded steps actually written, so nothing drifts.
        let (dx, dy) = (round(x - self.line_start.0), round(y - self.line_start.1));
        self.text.next_line(dx, dy);
        self.line_start = (self.line_start.0 + dx, self.line_start.1 + dy);
        self.text.show(Str(&self.glyphs));
    }

    /// Draws a cell's wrapped lines inside the column at `left` of `width`, from `top`.
    #[allow(clippy::too_many_arguments)]
    fn cell(
        &mut self,
        fonts: &mut Fonts,
        style: Style,
        text: &str,
        lines: &[Line],
        left: f32,
        width: f32,
        top: f32,
        right: bool,
    ) {
        let scale = CELL_SIZE / fonts.get(style).units_per_em;
        let mut baseline = top - CELL_PAD_Y - ASCENT * CELL_SIZE;
        for line in lines {
            self.glyphs.clear();
            let units = fonts.get_mut(style).encode(text, line, &mut self.glyphs);
            let x = if right {
                left + width - CELL_PAD_X - units as f32 * scale
            } else {
                left + CELL_PAD_X
            };
            self.show(style, CELL_SIZE, x, baseline);
            baseline -= CELL_SIZE * LEADING;
        }
    }

    fn fill_rect(&mut self, (r, g, b): (f32, f32, f32), x: f32, y: f32, width: f32, height: f32) {
        self.shapes.save_state();
        self.shapes.set_fill_rgb(r, g, b);
        self.shapes
            .rect(round(x), round(y), round(width), round(height));
        self.shapes.fill_nonzero();
        self.shapes.restore_state();
    }

    /// Adds a thin gray line to the page's rules, which are stroked together at the end.
    fn rule(&mut self, x1: f32, y1: f32, x2: f32, y2: f32) {
        self.rules.move_to(round(x1), round(y1));
        self.rules.line_to(round(x2), round(y2));
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::registry;
    use super::super::{Column, Table, Value};
    use super::*;

    fn fonts() -> Fonts {
        Fonts {
            regular: Font::new(dejavu::sans_condensed::regular(), "R", "AAAAAA").expect("font"),
            bold: Font::new(dejavu::sans_condensed::bold(), "B", "AAAAAB").expect("font"),
        }
    }

    fn texts(text: &str, lines: &[Line]) -> Vec<String> {
        lines
            .iter()
            .map(|l| format!("{}{}", l.of(text), if l.ellipsis { "…" } else { "" }))
            .collect()
    }

    fn pages_text(bytes: &[u8]) -> Vec<String> {
        pdf_extract::extract_text_from_mem_by_pages(bytes).expect("extractable text")
    }

    #[test]
    fn wrap_breaks_at_spaces_and_cuts_with_ellipsis() {
        let fonts = fonts();
        let font = &fonts.regular;
        let mut lines = Vec::new();
        let width = font.width("Школа на 1100", CELL_SIZE) + 0.1;
        let school = "Школа на 1100 мест в станице Старовеличковской";
        wrap(font, school, CELL_SIZE, width, 3, &mut lines);
        let got = texts(school, &lines);
        assert_eq!(got[0], "Школа на 1100");
        assert_eq!(got.len(), 3);
        assert!(got[1].starts_with("мест в"), "{got:?}");
        assert!(got[2].ends_with('…'), "{got:?}");
        for line in &got {
            assert!(font.width(line, CELL_SIZE) <= width, "{line}");
        }

        wrap(font, "  коротко  ", CELL_SIZE, 100.0, 3, &mut lines);
        assert_eq!(texts("  коротко  ", &lines), vec!["коротко"]);
        wrap(font, "", CELL_SIZE, 100.0, 3, &mut lines);
        assert!(lines.is_empty());
        // A word longer than the column is broken inside.
        wrap(font, "Старовеличковская", CELL_SIZE, 20.0, 10, &mut lines);
        assert!(lines.len() > 1);
        let word = "Старовеличковская";
        assert_eq!(lines.iter().map(|l| l.of(word)).collect::<String>(), word);
        // Numbers and compounds break after their hyphens and slashes, not inside a part.
        let number = "РНС-23-2024/000157";
        let width = font.width("РНС-23-2024/", CELL_SIZE) + 0.1;
        wrap(font, number, CELL_SIZE, width, 10, &mut lines);
        assert_eq!(texts(number, &lines), vec!["РНС-23-2024/", "000157"]);
        let compound = "жилой-торговый";
        let width = font.width(compound, CELL_SIZE) - 0.1;
        wrap(font, compound, CELL_SIZE, width, 10, &mut lines);
        assert_eq!(texts(compound, &lines), vec!["жилой-", "торговый"]);
        // A leading minus is not a break.
        wrap(
            font,
            "-5 -7",
            CELL_SIZE,
            font.width("-5", CELL_SIZE) + 0.1,
            10,
            &mut lines,
        );
        assert_eq!(texts("-5 -7", &lines), vec!["-5", "-7"]);
        // Even a column narrower than one letter makes progress.
        wrap(font, "Ж", CELL_SIZE, 0.5, 3, &mut lines);
        assert_eq!(texts("Ж", &lines), vec!["Ж"]);
    }

    #[test]
    fn text_is_extractable_with_title_names_and_page_numbers() {
        let bytes = write_pdf(&registry(3)).expect("pdf");
        assert!(bytes.starts_with(b"%PDF-"));
        let pages = pages_text(&bytes);
        assert_eq!(pages.len(), 1);
        let text = &pages[0];
        for expected in [
            "Реестр объектов строительства",
            "Сформировано: 01.06.2025 14:30",
            "Муниципалитет: Краснодар",
            "Наименование объекта",
            "Старовеличковской",
            "15.03.2024",
            // The no-break spaces of the grouping come back as spaces.
            "1 234 567,89",
            "Страница 1 из 1",
        ] {
            assert!(text.contains(expected), "{expected:?} not in {text}");
        }
    }

    #[test]
    fn long_tables_repeat_the_header_on_every_page() {
        let bytes = write_pdf(&registry(400)).expect("pdf");
        let pages = pages_text(&bytes);
        assert!(pages.len() >= 3, "{} pages", pages.len());
        let count = pages.len();
        for (index, page) in pages.iter().enumerate() {
            assert!(
                page.contains("Наименование объекта"),
                "page {index}: {page}"
            );
            let footer = format!("Страница {} из {count}", index + 1);
            assert!(page.contains(&footer), "page {index}: {page}");
        }
        // The heading block is on the first page only, and every row is somewhere.
        assert!(pages[0].contains("Фильтры"));
        assert!(!pages[1].contains("Фильтры"));
        let all = pages.concat();
        assert!(all.contains("Объект строительства № 400"));
        assert!(
            all.contains("Объект строительства № 2\n") || all.contains("Объект строительства № 2 ")
        );
    }

    #[test]
    fn empty_and_missing_tables_make_valid_documents() {
        let mut doc = registry(1);
        doc.filters.clear();
        doc.tables[0].rows.clear();
        doc.tables.push(Table {
            name: "Без столбцов".into(),
            columns: vec![],
            rows: vec![vec![Value::Integer(1)]],
        });
        let pages = pages_text(&write_pdf(&doc).expect("pdf"));
        assert_eq!(pages.len(), 1);
        assert!(pages[0].contains("Фильтры: не заданы"));
        assert!(pages[0].contains("Наименование объекта"));
        assert!(pages[0].contains("Страница 1 из 1"));

        doc.tables.clear();
        let pages = pages_text(&write_pdf(&doc).expect("pdf"));
        assert_eq!(pages.len(), 1);
        assert!(pages[0].contains("Реестр объектов строительства"));
    }

    #[test]
    fn short_rows_and_odd_widths_do_not_break_layout() {
        let mut doc = registry(2);
        doc.tables[0].rows[1].truncate(2);
        doc.tables[0]
            .columns
            .push(Column::new("Ширина NaN", ColumnKind::Text, f64::NAN));
        doc.tables[0].rows[0].push(Value::Text("текст\tс\nуправляющими\u{7}символами".into()));
        let pages = pages_text(&write_pdf(&doc).expect("pdf"));
        assert!(pages[0].contains("Объект строительства № 2"));
        assert!(pages[0].contains("управляющими"), "{}", pages[0]);
    }

    #[test]
    fn number_and_date_columns_get_room_for_their_widest_value() {
        let fonts = fonts();
        let mut doc = registry(3);
        for column in &mut doc.tables[0].columns {
            if column.kind != ColumnKind::Text {
                column.width = 1.0;
            }
        }
        let table = &doc.tables[0];
        let geometry = column_geometry(table, &doc, &fonts);
        let widest = fonts.regular.width("1\u{a0}234\u{a0}567,89", CELL_SIZE);
        assert!(geometry[3].1 >= widest + 2.0 * CELL_PAD_X, "{geometry:?}");
        assert!(geometry[2].1 >= fonts.regular.width("15.03.2024", CELL_SIZE));
        let total: f32 = geometry.iter().map(|&(_, width)| width).sum();
        assert!((total - CONTENT_WIDTH).abs() < 0.01, "{total}");
        for pair in geometry.windows(2) {
            assert!((pair[0].0 + pair[0].1 - pair[1].0).abs() < 0.01);
        }
        let layout = TableLayout::measure(table, &doc, &fonts);
        // Row 1 wraps only because of its long name, never inside its number.
        let mut lines = Vec::new();
        let text = Value::Decimal(1_234_567.891)
            .display(&doc.labels)
            .into_owned();
        wrap(
            &fonts.regular,
            &text,
            CELL_SIZE,
            geometry[3].1 - 2.0 * CELL_PAD_X,
            3,
            &mut lines,
        );
        assert_eq!(lines.len(), 1);
        assert!(layout.row_lines.iter().all(|&lines| lines >= 1));
    }

    #[test]
    fn pagination_keeps_every_row_once_in_order() {
        let fonts = fonts();
        let doc = registry(1);
        let opening = Opening::measure(&doc, &fonts);
        let layout = |rows: usize| TableLayout {
            columns: vec![(MARGIN, CONTENT_WIDTH)],
            header_height: row_height(1),
            row_lines: vec![2; rows],
        };
        let plan = paginate(&opening, &[layout(250), layout(0), layout(30)]);
        let mut next = [0usize; 3];
        for page in &plan {
            for segment in page {
                assert_eq!(segment.rows.start, next[segment.table]);
                assert_eq!(segment.heading, segment.rows.start == 0);
                next[segment.table] = segment.rows.end;
            }
        }
        assert_eq!(next, [250, 0, 30]);
    }
}
