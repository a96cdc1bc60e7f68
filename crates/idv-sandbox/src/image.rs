//! A tiny PNG writer (zlib "stored" blocks, CRC-32, Adler-32) and a 5×7 bitmap font, used to
//! synthesise page and frame images that show which document, page and frame they stand for.

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

/// Renders `lines` (at most 60 characters each are drawn) as a PNG with a framed card look.
pub(crate) fn render_png(lines: &[String]) -> Vec<u8> {
    let cols = lines
        .iter()
        .map(|l| l.chars().count().min(60))
        .max()
        .unwrap_or(0)
        .max(24);
    let width = 2 * MARGIN + cols * ADVANCE * SCALE;
    let height = 2 * MARGIN + lines.len().max(1) * LINE * SCALE;
    let mut canvas = Canvas::new(width, height);
    // A 3-pixel frame inside the margin, so the image reads as a card or a photo.
    let b = 4;
    canvas.fill(b, b, width - 2 * b, 3, BORDER);
    canvas.fill(b, height - b - 3, width - 2 * b, 3, BORDER);
    canvas.fill(b, b, 3, height - 2 * b, BORDER);
    canvas.fill(width - b - 3, b, 3, height - 2 * b, BORDER);
    for (row, line) in lines.iter().enumerate() {
        let (x, y) = cell_origin(row, 0);
        let clipped: String = line.chars().take(60).collect();
        canvas.text(x, y, &clipped);
    }
    encode_png(&canvas)
}

fn encode_png(canvas: &Canvas) -> Vec<u8> {
    let mut raw = Vec::with_capacity((canvas.width + 1) * canvas.height);
    for row in canvas.pixels.chunks(canvas.width) {
        raw.push(0); // filter type: None
        raw.extend_from_slice(row);
    }
    let mut out = Vec::with_capacity(raw.len() + raw.len() / 65_535 * 5 + 128);
    out.extend_from_slice(b"\x89PNG\r\n\x1a\n");
    let mut ihdr = Vec::with_capacity(13);
    // Dimensions are bounded (at most 60 columns, a handful of lines), so they fit in u32.
    ihdr.extend_from_slice(
        &u32::try_from(canvas.width)
            .unwrap_or(u32::MAX)
            .to_be_bytes(),
    );
    ihdr.extend_from_slice(
        &u32::try_from(canvas.height)
            .unwrap_or(u32::MAX)
            .to_be_bytes(),
    );
    ihdr.extend_from_slice(&[8, 3, 0, 0, 0]); // 8-bit, indexed colour, deflate, no filter/interlace
    chunk(&mut out, b"IHDR", &ihdr);
    chunk(&mut out, b"PLTE", &PALETTE.concat());
    chunk(&mut out, b"IDAT", &zlib_stored(&raw));
    chunk(&mut out, b"IEND", &[]);
    out
}

fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend_from_slice(&u32::try_from(data.len()).unwrap_or(u32::MAX).to_be_bytes());
    let start = out.len();
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    let crc = crc32(&out[start..]);
    out.extend_from_slice(&crc.to_be_bytes());
}

/// A zlib stream of uncompressed ("stored") deflate blocks.
pub(crate) fn zlib_stored(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len() + data.len() / 65_535 * 5 + 11);
    out.extend_from_slice(&[0x78, 0x01]);
    let mut blocks = data.chunks(65_535).peekable();
    if blocks.peek().is_none() {
        out.extend_from_slice(&[1, 0, 0, 0xFF, 0xFF]);
    }
    while let Some(block) = blocks.next() {
        let last = blocks.peek().is_none();
        out.push(u8::from(last));
        let len = u16::try_from(block.len()).unwrap_or(u16::MAX);
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(&(!len).to_le_bytes());
        out.extend_from_slice(block);
    }
    out.extend_from_slice(&adler32(data).to_be_bytes());
    out
}

/// The CRC-32 lookup table (reflected polynomial 0xEDB88320), built at compile time.
const CRC_TABLE: [u32; 256] = {
    let mut table = [0u32; 256];
    let mut n = 0;
    while n < 256 {
        let mut c = n as u32;
        let mut k = 0;
        while k < 8 {
            c = if c & 1 == 1 {
                0xEDB8_8320 ^ (c >> 1)
            } else {
                c >> 1
            };
            k += 1;
        }
        table[n] = c;
        n += 1;
    }
    table
};

/// CRC-32 (ISO-HDLC, as used by PNG).
pub(crate) fn crc32(data: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &byte in data {
        crc = CRC_TABLE[((crc ^ u32::from(byte)) & 0xFF) as usize] ^ (crc >> 8);
    }
    !crc
}

/// Adler-32 (zlib's checksum).
pub(crate) fn adler32(data: &[u8]) -> u32 {
    const MOD: u32 = 65_521;
    let (mut a, mut b) = (1u32, 0u32);
    for block in data.chunks(5_552) {
        for &byte in block {
            a += u32::from(byte);
            b += a;
        }
        a %= MOD;
        b %= MOD;
    }
    (b << 16) | a
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checksums_match_known_values() {
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
        assert_eq!(crc32(b""), 0);
        assert_eq!(adler32(b"Wikipedia"), 0x11E6_0398);
        assert_eq!(adler32(b""), 1);
    }

    fn decode(png_bytes: &[u8]) -> (usize, usize, Vec<u8>) {
        let mut decoder = png::Decoder::new(std::io::Cursor::new(png_bytes));
        decoder.set_transformations(png::Transformations::IDENTITY);
        let mut reader = decoder.read_info().expect("valid PNG header");
        let mut buf = vec![0; reader.output_buffer_size().expect("size")];
        let info = reader.next_frame(&mut buf).expect("valid PNG data");
        assert_eq!(info.color_type, png::ColorType::Indexed);
        buf.truncate(info.buffer_size());
        (info.width as usize, info.height as usize, buf)
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
        let bytes = render_png(&lines);
        let (w, h, pixels) = decode(&bytes);
        assert_eq!(pixels.len(), w * h);
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
    fn large_images_span_several_stored_blocks() {
        let data: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
        let z = zlib_stored(&data);
        // header + 4 blocks of 5-byte headers + data + adler
        assert_eq!(z.len(), 2 + 4 * 5 + data.len() + 4);
        let lines: Vec<String> = (0..20)
            .map(|i| format!("LINE {i} {}", "W".repeat(50)))
            .collect();
        let (w, h, pixels) = decode(&render_png(&lines));
        assert!(w * h > 65_535);
        assert!(pixels.contains(&INK));
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
            let bytes = render_png(&lines);
            let (w, _, pixels) = decode(&bytes);
            let cols = lines.iter().map(|l| l.len()).max().unwrap_or(0);
            let read = ocr(w, &pixels, lines.len(), cols);
            let expected: Vec<String> =
                lines.iter().map(|l| l.to_ascii_uppercase().trim_end().to_owned()).collect();
            proptest::prop_assert_eq!(read, expected);
        }
    }
}
