//! PEM input: finding the blocks in a text (a bundle may hold several, with text around them)
//! and decoding each with `pem-rfc7468` (RFC 7468's grammar: boundaries, label, base64).
//!
//! `pem-rfc7468` reads one document; locating the blocks in a multi-block file is all that is
//! done here, so that a key after a certificate, or inside a `Bag Attributes` export, is found.

use zeroize::Zeroizing;

use super::error::KeyError;

const BEGIN: &[u8] = b"-----BEGIN ";
const END: &[u8] = b"-----END ";
const DASHES: &[u8] = b"-----";

/// A label longer than this is not a label (no real one comes close), so a mangled key can
/// never end up in an error message as one.
const MAX_LABEL_LEN: usize = 40;

/// One `-----BEGIN X-----` … `-----END X-----` block, not yet decoded.
pub(super) struct PemBlock<'a> {
    /// The label of the BEGIN line, e.g. `PRIVATE KEY`: upper-case letters, digits and spaces.
    pub(super) label: &'a str,
    /// From the BEGIN line to the end of the END line (or of the last line read, if there is
    /// none).
    text: &'a [u8],
    /// Whether a matching END line was found.
    terminated: bool,
}

impl PemBlock<'_> {
    /// Whether the block carries RFC 1421's `Proc-Type: 4,ENCRYPTED` (legacy OpenSSL
    /// encryption, which RFC 7468 parsers reject as a header).
    pub(super) fn is_legacy_encrypted(&self) -> bool {
        self.text.split(|&b| b == b'\n').any(|line| {
            line.trim_ascii().starts_with(b"Proc-Type:")
                && line.windows(b"ENCRYPTED".len()).any(|w| w == b"ENCRYPTED")
        })
    }

    /// The DER contents, zeroised on drop.
    ///
    /// # Errors
    /// [`KeyError::MalformedPem`] naming the label and what is wrong, never the contents.
    pub(super) fn decode(&self) -> Result<Zeroizing<Vec<u8>>, KeyError> {
        let malformed = |reason| KeyError::MalformedPem {
            label: self.label.to_owned(),
            reason,
        };
        if !self.terminated {
            return Err(malformed("no matching `-----END …-----` line"));
        }
        let why = |e| malformed(self.reason(e));
        let mut decoder = pem_rfc7468::Decoder::new_detect_wrap(self.text).map_err(why)?;
        // Decode straight into a buffer that is zeroised, never into one that may be copied.
        let mut der = Zeroizing::new(vec![0u8; decoder.remaining_len()]);
        let len = decoder.decode(&mut der).map_err(why)?.len();
        der.truncate(len);
        if !decoder.is_finished() {
            return Err(malformed("its body is not valid base64"));
        }
        if der.is_empty() {
            return Err(malformed("its body is empty"));
        }
        Ok(der)
    }

    fn reason(&self, error: pem_rfc7468::Error) -> &'static str {
        use pem_rfc7468::Error;
        let has_header = self.text.split(|&b| b == b'\n').skip(1).any(|line| {
            let line = line.trim_ascii();
            !line.starts_with(DASHES) && line.contains(&b':')
        });
        match error {
            _ if has_header => {
                "it has `Name: value` header lines (RFC 1421), which RFC 7468 PEM does not allow"
            }
            Error::Base64(_) | Error::Length | Error::EncapsulatedText => {
                "its body is not valid base64"
            }
            Error::Label
            | Error::PreEncapsulationBoundary
            | Error::PostEncapsulationBoundary
            | Error::UnexpectedTypeLabel { .. } => {
                "its `-----BEGIN …-----` and `-----END …-----` lines are malformed or do not match"
            }
            _ => "it is not RFC 7468 PEM",
        }
    }
}

/// Every PEM block in `input`, in order. Text outside blocks is ignored, CRLF or LF.
///
/// # Errors
/// [`KeyError::NotPem`] if there is no `-----BEGIN …-----` line.
pub(super) fn pem_blocks(input: &[u8]) -> Result<Vec<PemBlock<'_>>, KeyError> {
    let mut blocks = Vec::new();
    let mut lines = LineRanges { input, at: 0 }.peekable();
    while let Some((begin_start, begin_end)) = lines.next() {
        let Some(label) = begin_label(&input[begin_start..begin_end]) else {
            continue;
        };
        let mut end = begin_end;
        let mut terminated = false;
        while let Some(&(start, stop)) = lines.peek() {
            let line = &input[start..stop];
            if line.starts_with(DASHES) {
                // The matching END line closes the block; anything else (another BEGIN, a
                // foreign END) leaves it unterminated and is looked at by the outer loop.
                if line.strip_prefix(END).and_then(|l| l.strip_suffix(DASHES))
                    == Some(label.as_bytes())
                {
                    end = stop;
                    terminated = true;
                    lines.next();
                }
                break;
            }
            end = stop;
            lines.next();
        }
        blocks.push(PemBlock {
            label,
            text: &input[begin_start..end],
            terminated,
        });
    }
    if blocks.is_empty() {
        return Err(KeyError::NotPem);
    }
    Ok(blocks)
}

/// The label of a `-----BEGIN LABEL-----` line, if the line is exactly that.
fn begin_label(line: &[u8]) -> Option<&str> {
    let label = line.strip_prefix(BEGIN)?.strip_suffix(DASHES)?;
    let plausible = !label.is_empty()
        && label.len() <= MAX_LABEL_LEN
        && label
            .iter()
            .all(|&b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b' ');
    // Only ASCII was accepted, so this cannot fail.
    plausible.then(|| std::str::from_utf8(label).ok()).flatten()
}

/// The byte ranges of `input`'s lines (split at LF), each trimmed of ASCII whitespace (so CR).
struct LineRanges<'a> {
    input: &'a [u8],
    at: usize,
}

impl Iterator for LineRanges<'_> {
    type Item = (usize, usize);

    fn next(&mut self) -> Option<(usize, usize)> {
        let rest = self.input.get(self.at..).filter(|r| !r.is_empty())?;
        let len = rest.iter().position(|&b| b == b'\n').unwrap_or(rest.len());
        let line = &rest[..len];
        let lead = line.len() - line.trim_ascii_start().len();
        let trail = line.len() - line.trim_ascii_end().len();
        let start = self.at + lead;
        let end = (self.at + len - trail).max(start);
        self.at += len + 1;
        Some((start, end))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_each_block_and_its_label() {
        let input =
            b"intro: text\r\n-----BEGIN CERTIFICATE-----\r\nAAAA\r\n-----END CERTIFICATE-----\r\n\
            \n  -----BEGIN PRIVATE KEY-----\nMAMCAQA=\n-----END PRIVATE KEY-----";
        let blocks = pem_blocks(input).unwrap();
        let labels: Vec<_> = blocks.iter().map(|b| b.label).collect();
        assert_eq!(labels, ["CERTIFICATE", "PRIVATE KEY"]);
        assert!(blocks.iter().all(|b| b.terminated));
        assert_eq!(blocks[0].decode().unwrap().as_slice(), [0, 0, 0]);
        assert_eq!(blocks[1].decode().unwrap().as_slice(), [0x30, 3, 2, 1, 0]);
    }

    #[test]
    fn unterminated_and_mismatched_blocks_are_malformed() {
        let blocks = pem_blocks(b"-----BEGIN PRIVATE KEY-----\nMIIB\n").unwrap();
        assert!(!blocks[0].terminated);
        assert!(
            matches!(blocks[0].decode(), Err(KeyError::MalformedPem { label, .. }) if label == "PRIVATE KEY")
        );
        let blocks =
            pem_blocks(b"-----BEGIN PRIVATE KEY-----\nMAMCAQA=\n-----END PUBLIC KEY-----\n")
                .unwrap();
        assert_eq!(blocks.len(), 1);
        assert!(!blocks[0].terminated);
    }

    #[test]
    fn headers_and_bad_base64_are_named() {
        let legacy = b"-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\n\
            DEK-Info: AES-128-CBC,00\n\nAAAA\n-----END RSA PRIVATE KEY-----\n";
        let block = &pem_blocks(legacy).unwrap()[0];
        assert!(block.is_legacy_encrypted());
        let err = block.decode().unwrap_err().to_string();
        assert!(err.contains("header lines"), "{err}");

        let bad = b"-----BEGIN PRIVATE KEY-----\n!!!!\n-----END PRIVATE KEY-----\n";
        let block = &pem_blocks(bad).unwrap()[0];
        assert!(!block.is_legacy_encrypted());
        let err = block.decode().unwrap_err().to_string();
        assert!(
            err.contains("not valid base64") && !err.contains("!!!!"),
            "{err}"
        );
    }

    #[test]
    fn text_without_a_begin_line_is_not_pem() {
        for input in [
            &b""[..],
            b"hello",
            b"-----BEGIN private key-----\n",
            b"-----BEGIN PRIVATE KEY-----\\nMIIB\\n-----END PRIVATE KEY-----\\n",
            &[0xff, 0xfe, 0x30],
        ] {
            assert!(matches!(pem_blocks(input), Err(KeyError::NotPem)));
        }
    }
}
