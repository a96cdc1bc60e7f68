//! JSON documents named on the command line (`FILE`, or `-` for standard input): read with a
//! size limit, and what the model does not know about them listed on stderr.

use std::io::Read;
use std::path::Path;

use idv_cli::terminal_safe::terminal_safe;

use crate::error::{CliError, CliResult};
use crate::term;

/// The largest document read: the sandbox takes request bodies up to 16 MiB, and a response
/// config with ID photos in base64 is the largest document the commands send.
pub const MAX_DOCUMENT_BYTES: u64 = 16 * 1024 * 1024;

/// How a document is named in messages: its path, or `standard input` for `-`.
pub fn source_name(path: &Path) -> String {
    if is_stdin(path) {
        "standard input".to_owned()
    } else {
        path.display().to_string()
    }
}

fn is_stdin(path: &Path) -> bool {
    path == Path::new("-")
}

/// The bytes of `path` (standard input for `-`), at most [`MAX_DOCUMENT_BYTES`]; a file that
/// cannot be read or is larger is a usage error (exit 2).
pub fn read_document(path: &Path) -> CliResult<Vec<u8>> {
    let name = source_name(path);
    let reader: Box<dyn Read> = if is_stdin(path) {
        Box::new(std::io::stdin().lock())
    } else {
        let file = std::fs::File::open(path)
            .map_err(|e| CliError::Config(format!("cannot read {name}: {e}")))?;
        Box::new(file)
    };
    read_bounded(reader, &name, MAX_DOCUMENT_BYTES)
}

/// Reads at most `limit` bytes; one more means the document is too large (never buffered
/// beyond `limit + 1`).
fn read_bounded(reader: impl Read, name: &str, limit: u64) -> CliResult<Vec<u8>> {
    let mut bytes = Vec::new();
    reader
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| CliError::Config(format!("cannot read {name}: {e}")))?;
    if u64::try_from(bytes.len()).unwrap_or(u64::MAX) > limit {
        return Err(CliError::Config(format!(
            "{name} is larger than {limit} bytes"
        )));
    }
    Ok(bytes)
}

/// Lists on stderr, one per line, the keys (`unknown key: sdk_config.new_key`) and enum
/// values (`unknown value: requested_checks[0].type`) the model does not know: they are sent
/// as they are, and a typo shows here.
pub fn report_unknown(keys: &[String], values: &[String]) {
    for key in keys {
        term::errln(&format!("unknown key: {}", terminal_safe(key)));
    }
    for value in values {
        term::errln(&format!("unknown value: {}", terminal_safe(value)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_up_to_the_limit_and_refuses_more() {
        let five = read_bounded(&b"12345"[..], "x", 5).unwrap();
        assert_eq!(five, b"12345");
        let e = read_bounded(&b"123456"[..], "spec.json", 5).unwrap_err();
        assert_eq!(e.exit_code(), 2);
        assert_eq!(e.to_string(), "spec.json is larger than 5 bytes");
    }

    #[test]
    fn a_missing_file_is_a_usage_error_naming_it() {
        let e = read_document(Path::new("/no/such/dir/spec.json")).unwrap_err();
        assert_eq!(e.exit_code(), 2);
        assert!(
            e.to_string()
                .starts_with("cannot read /no/such/dir/spec.json: "),
            "{e}"
        );
    }

    #[test]
    fn dash_is_standard_input() {
        assert_eq!(source_name(Path::new("-")), "standard input");
        assert_eq!(source_name(Path::new("a.json")), "a.json");
    }
}
