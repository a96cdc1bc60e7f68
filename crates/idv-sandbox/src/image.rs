//! A 5×7 bitmap font drawn onto a palette canvas, encoded as PNG with the `png` crate: the
//! synthesised page and frame images that show which document, page and frame they stand for.

/// Glyph width and height in font pixels.
const GLYPH_W: usize = 5;
const GLYPH_H: usize = 7;
/// Each font pixel is drawn as a `SCALE`×`SCALE` block.
pub(crate) const SCALE: usize = 3;
/// Horizontal advance and line height in font pixels.
const ADVANCE: usize = GLYPH_W + 1;
const LINE: usize = GLYPH_H + 3;
/// Margin around the text, in image pixels.
pub(crate) const MARGIN: usize = 16;

/// Palette indices.
const BACKGROUND: u8 = 0;
const INK: u8 = 1;
const BORDER: u8 = 2;
const PALETTE: [[u8; 3]; 3] = [[0xF4, 0xF1, 0xE6], [0x1B, 0x26, 0x4F], [0x5B, 0x8D, 0xB8]];

/// The 5×7 glyph of `c` (upper-cased), each row's 5 low bits left to right. Characters
/// without a glyph are drawn as `?`.
pub(crate) fn glyph(c: char) -> [u8; GLYPH_H] {
    match c.to_ascii_uppercase() {
        'A' => [0x0E, 0x11, 0x11, 0x1F, 0x11, 0x11, 0x11],
        'B' => [0x1E, 0x11, 0x11, 0x1E, 0x11, 0x11, 0x1E],
        'C' => [0x0E, 0x11, 0x10, 0x10, 0x10, 0x11, 0x0E],
        'D' => [0x1C, 0x12, 0x11, 0x11, 0x11, 0x12, 0x1C],
        'E' => [0x1F, 0x10, 0x10, 0x1E, 0x10, 0x10, 0x1F],
        'F' => [0x1F, 0x10, 0x10, 0x1E, 0x10, 0x10, 0x10],
        'G' => [0x0E, 0x11, 0x10, 0x17, 0x11, 0x11, 0x0F],
        'H' => [0x11, 0x11, 0x11, 0x1F, 0x11, 0x11, 0x11],
        'I' => [0x0E, 0x04, 0x04, 0x04, 0x04, 0x04, 0x0E],
        'J' => [0x07, 0x02, 0x02, 0x02, 0x02, 0x12, 0x0C],
        'K' => [0x11, 0x12, 0x14, 0x18, 0x14, 0x12, 0x11],
        'L' => [0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x1F],
        'M' => [0x11, 0x1B, 0x15, 0x15, 0x11, 0x11, 0x11],
        'N' => [0x11, 0x11, 0x19, 0x15, 0x13, 0x11, 0x11],
        'O' => [0x0E, 0x11, 0x11, 0x11, 0x11, 0x11, 0x0E],
        'P' => [0x1E, 0x11, 0x11, 0x1E, 0x10, 0x10, 0x10],
        'Q' => [0x0E, 0x11, 0x11, 0x11, 0x15, 0x12, 0x0D],
        'R' => [0x1E, 0x11, 0x11, 0x1E, 0x14, 0x12, 0x11],
        'S' => [0x0F, 0x10, 0x10, 0x0E, 0x01, 0x01, 0x1E],
        'T' => [0x1F, 0x04, 0x04, 0x04, 0x04, 0x04, 0x04],
        'U' => [0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x0E],
        'V' => [0x11, 0x11, 0x11, 0x11, 0x11, 0x0A, 0x04],
        'W' => [0x11, 0x11, 0x11, 0x15, 0x15, 0x15, 0x0A],
        'X' => [0x11, 0x11, 0x0A, 0x04, 0x0A, 0x11, 0x11],
        'Y' => [0x11, 0x11, 0x11, 0x0A, 0x04, 0x04, 0x04],
        'Z' => [0x1F, 0x01, 0x02, 0x04, 0x08, 0x10, 0x1F],
        '0' => [0x0E, 0x11, 0x13, 0x15, 0x19, 0x11, 0x0E],
        '1' => [0x04, 0x0C, 0x04, 0x04, 0x04, 0x04, 0x0E],
        '2' => [0x0E, 0x11, 0x01, 0x02, 0x04, 0x08, 0x1F],
        '3' => [0x1F, 0x02, 0x04, 0x02, 0x01, 0x11, 0x0E],
        '4' => [0x02, 0x06, 0x0A, 0x12, 0x1F, 0x02, 0x02],
        '5' => [0x1F, 0x10, 0x1E, 0x01, 0x01, 0x11, 0x0E],
        '6' => [0x06, 0x08, 0x10, 0x1E, 0x11, 0x11, 0x0E],
        '7' => [0x1F, 0x01, 0x02, 0x04, 0x08, 0x08, 0x08],
        '8' => [0x0E, 0x11, 0x11, 0x0E, 0x11, 0x11, 0x0E],
        '9' => [0x0E, 0x11, 0x11, 0x0F, 0x01, 0x02, 0x0C],
        ' ' => [0; GLYPH_H],
        '-' => [0x00, 0x00, 0x00, 0x1F, 0x00, 0x00, 0x00],
        '_' => [0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x1F],
        '.' => [0x00, 0x00, 0x00, 0x00, 0x00, 0x0C, 0x0C],
        ',' => [0x00, 0x00, 0x00, 0x00, 0x0C, 0x04, 0x08],
        ':' => [0x00, 0x0C, 0x0C, 0x00, 0x0C, 0x0C, 0x00],
        '/' => [0x00, 0x01, 0x02, 0x04, 0x08, 0x10, 0x00],
        '#' => [0x0A, 0x0A, 0x1F, 0x0A, 0x1F, 0x0A, 0x0A],
        '(' => [0x02, 0x04, 0x08, 0x08, 0x08, 0x04, 0x02],
        ')' => [0x08, 0x04, 0x02, 0x02, 0x02, 0x04, 0x08],
        '[' => [0x0E, 0x08, 0x08, 0x08, 0x08, 0x08, 0x0E],
        ']' => [0x0E, 0x02, 0x02, 0x02, 0x02, 0x02, 0x0E],
        '=' => [0x00, 0x00, 0x1F, 0x00, 0x1F, 0x00, 0x00],
        _ => [0x0E, 0x11, 0x01, 0x02, 0x04, 0x00, 0x04],
    }
}

/// An 8-bit palette image.
struct Canvas {
    width: usize,
    height: usize,
    pixels: Vec<u8>,
}

impl Canvas {
    fn new(width: usize, height: usize) -> Self {
        Self {
            width,
            height,
            pixels: vec![BACKGROUND; width * height],
        }
    }

    fn fill(&mut self, x0: usize, y0: usize, w: usize, h: usize, colour: u8) {
        for y in y0..(y0 + h).min(self.height) {
            let row = y * self.width;
            for x in x0..(x0 + w).min(self.width) {
                self.pixels[row + x] = colour;
            }
        }
    }

    fn text(&mut self, x0: usize, y0: usize, line: &str) {
        for (i, c) in line.chars().enumerate() {
            let rows = glyph(c);
            let gx = x0 + i * ADVANCE * SCALE;
            for (dy, bits) in rows.iter().enumerate() {
                for dx in 0..GLYPH_W {
                    if bits & (0x10 >> dx) != 0 {
                        self.fill(gx + dx * SCALE, y0 + dy * SCALE, SCALE, SCALE, INK);
                    }
                }
            }
        }
    }
}

/// The top-left pixel of character `col` on text line `row`.
pub(crate) fn cell_origin(row: usize, col: usize) -> (usize, usize) {
    (MARGIN + col * ADVANCE * SCALE, MARGIN + row * LINE * SCALE)
}

/// At most this many characters of a line are drawn.
const MAX_COLUMNS: usize = 60;
/// At most this many lines are drawn (the descriptions the sandbox renders have a handful).
const MAX_LINES: usize = 40;

/// Renders `lines` (the first [`MAX_LINES`], at most [`MAX_COLUMNS`] characters each) as a PNG
/// with a framed card look.
///
/// # Errors
/// The `png` encoder's error; with the bounded dimensions used here it does not happen.
pub(crate) fn render_png(lines: &[String]) -> Result<Vec<u8>, png::EncodingError> {
    let lines = &lines[..lines.len().min(MAX_LINES)];
    let (width, height) = image_size(lines);
    let mut canvas = Canvas::new(width, height);
    // A 3-pixel frame inside the margin, so the image reads as a card or a photo.
    let b = FRAME_INSET;
    canvas.fill(b, b, width - 2 * b, 3, BORDER);
    canvas.fill(b, height - b - 3, width - 2 * b, 3, BORDER);
    canvas.fill(b, b, 3, height - 2 * b, BORDER);
    canvas.fill(width - b - 3, b, 3, height - 2 * b, BORDER);
    for (row, line) in lines.iter().enumerate() {
        let (x, y) = cell_origin(row, 0);
        let clipped: String = line.chars().take(MAX_COLUMNS).collect();
        canvas.text(x, y, &clipped);
    }
    encode_png(&canvas)
}

/// Where the frame is drawn, in image pixels from each edge.
const FRAME_INSET: usize = 4;

/// The image's width and height for these lines (at least 24 columns and one line).
fn image_size(lines: &[String]) -> (usize, usize) {
    let cols = lines
        .iter()
        .map(|l| l.chars().count().min(MAX_COLUMNS))
        .max()
        .unwrap_or(0)
        .max(24);
    let width = 2 * MARGIN + cols * ADVANCE * SCALE;
    let height = 2 * MARGIN + lines.len().clamp(1, MAX_LINES) * LINE * SCALE;
    (width, height)
}

/// Encodes the canvas as an 8-bit indexed-colour PNG with the `png` crate.
fn encode_png(canvas: &Canvas) -> Result<Vec<u8>, png::EncodingError> {
    // Dimensions are bounded by `render_png` (at most 60 columns and MAX_LINES lines).
    let width = u32::try_from(canvas.width).unwrap_or(u32::MAX);
    let height = u32::try_from(canvas.height).unwrap_or(u32::MAX);
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, width, height);
    encoder.set_color(png::ColorType::Indexed);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_palette(PALETTE.concat());
    encoder.set_compression(png::Compression::Fast);
    let mut writer = encoder.write_header()?;
    writer.write_image_data(&canvas.pixels)?;
    writer.finish()?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Decodes with the `png` crate (no transformations): width, height, palette indices.
    fn decode(png_bytes: &[u8]) -> (usize, usize, Vec<u8>) {
        let mut decoder = png::Decoder::new(std::io::Cursor::new(png_bytes));
        decoder.set_transformations(png::Transformations::IDENTITY);
        let mut reader = decoder.read_info().expect("valid PNG header");
        let palette = reader
            .info()
            .palette
            .as_deref()
            .expect("a palette")
            .to_vec();
        assert_eq!(palette, PALETTE.concat());
        let mut buf = vec![0; reader.output_buffer_size().expect("size")];
        let info = reader.next_frame(&mut buf).expect("valid PNG data");
        assert_eq!(info.color_type, png::ColorType::Indexed);
        assert_eq!(info.bit_depth, png::BitDepth::Eight);
        buf.truncate(info.buffer_size());
        (info.width as usize, info.height as usize, buf)
    }

    fn render(lines: &[String]) -> Vec<u8> {
        render_png(lines).expect("encodes")
    }

    /// Reads the text back from the image by matching each character cell against the font.
    fn ocr(width: usize, pixels: &[u8], rows: usize, cols: usize) -> Vec<String> {
        let alphabet: Vec<char> = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 -_.,:/#()[]="
            .chars()
            .collect();
        (0..rows)
            .map(|row| {
                (0..cols)
                    .map(|col| {
                        let (x0, y0) = cell_origin(row, col);
                        let mut bits = [0u8; GLYPH_H];
                        for (dy, bits_row) in bits.iter_mut().enumerate() {
                            for dx in 0..GLYPH_W {
                                let px = pixels[(y0 + dy * SCALE) * width + x0 + dx * SCALE];
                                if px == INK {
                                    *bits_row |= 0x10 >> dx;
                                }
                            }
                        }
                        alphabet
                            .iter()
                            .copied()
                            .find(|&c| glyph(c) == bits)
                            .unwrap_or('?')
                    })
                    .collect::<String>()
                    .trim_end()
                    .to_owned()
            })
            .collect()
    }

    #[test]
    fn rendered_png_decodes_and_shows_the_text() {
        let lines = vec![
            "PASSPORT GBR".to_owned(),
            "page 1 frame 2".to_owned(),
            "id 188259c5-430f-47cc-8ea2-a7c873c18dda".to_owned(),
        ];
        let bytes = render(&lines);
        let (w, h, pixels) = decode(&bytes);
        // 39 columns and 3 lines, in font pixels scaled up, plus the margins.
        assert_eq!(w, 2 * MARGIN + 39 * ADVANCE * SCALE);
        assert_eq!(h, 2 * MARGIN + 3 * LINE * SCALE);
        assert_eq!(pixels.len(), w * h);
        // Background in the corners, the frame just inside them, ink in the first glyph (the
        // top bar of `P` is its first row's first four pixels).
        assert_eq!(pixels[0], BACKGROUND);
        assert_eq!(pixels[w * h - 1], BACKGROUND);
        assert_eq!(pixels[FRAME_INSET * w + FRAME_INSET], BORDER);
        assert_eq!(
            pixels[(h - FRAME_INSET - 1) * w + w - FRAME_INSET - 1],
            BORDER
        );
        let (x, y) = cell_origin(0, 0);
        assert_eq!(pixels[y * w + x], INK);
        assert_eq!(pixels[y * w + x + 4 * SCALE], BACKGROUND);
        let read = ocr(w, &pixels, 3, 39);
        assert_eq!(
            read,
            vec![
                "PASSPORT GBR",
                "PAGE 1 FRAME 2",
                "ID 188259C5-430F-47CC-8EA2-A7C873C18DDA"
            ]
        );
    }

    #[test]
    fn all_glyphs_are_distinct() {
        let alphabet: Vec<char> = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 -_.,:/#()[]="
            .chars()
            .collect();
        for (i, a) in alphabet.iter().enumerate() {
            for b in &alphabet[i + 1..] {
                assert_ne!(glyph(*a), glyph(*b), "{a} and {b} look the same");
            }
        }
    }

    #[test]
    fn short_and_empty_inputs_get_the_minimum_size() {
        let (w, h, pixels) = decode(&render(&[]));
        assert_eq!(
            (w, h),
            (2 * MARGIN + 24 * ADVANCE * SCALE, 2 * MARGIN + LINE * SCALE)
        );
        assert!(!pixels.contains(&INK));
    }

    #[test]
    fn long_inputs_are_clipped_to_bounded_dimensions() {
        let lines: Vec<String> = (0..500)
            .map(|i| format!("LINE {i} {}", "W".repeat(500)))
            .collect();
        let (w, h, pixels) = decode(&render(&lines));
        assert_eq!(w, 2 * MARGIN + MAX_COLUMNS * ADVANCE * SCALE);
        assert_eq!(h, 2 * MARGIN + MAX_LINES * LINE * SCALE);
        let read = ocr(w, &pixels, MAX_LINES, 9);
        assert_eq!(read[MAX_LINES - 1], format!("LINE {} W", MAX_LINES - 1));
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(
            std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(48)
        ))]

        /// Any text in the font's alphabet renders to a valid PNG that reads back the same.
        #[test]
        fn prop_rendered_text_reads_back(lines in proptest::collection::vec(
            "[A-Za-z0-9 ._:/#()=-]{0,40}", 1..6,
        )) {
            let bytes = render(&lines);
            let (w, _, pixels) = decode(&bytes);
            let cols = lines.iter().map(|l| l.len()).max().unwrap_or(0);
            let read = ocr(w, &pixels, lines.len(), cols);
            let expected: Vec<String> =
                lines.iter().map(|l| l.to_ascii_uppercase().trim_end().to_owned()).collect();
            proptest::prop_assert_eq!(read, expected);
        }
    }
}
