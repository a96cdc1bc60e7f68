//! `idv face-capture upload`: a face image for a session's `FACE_CAPTURE` requirement (§5.6).

use std::io::Read as _;
use std::path::{Path, PathBuf};

use clap::Subcommand;
use idv_cli::terminal_safe::terminal_safe;
use idv_client::SessionId;
use indicatif::HumanBytes;

use crate::api::{self, Subject};
use crate::cli::GlobalArgs;
use crate::error::{CliError, CliResult};
use crate::term::outln;

/// `idv face-capture --help` examples.
pub const GROUP_EXAMPLES: &str = "\
Example:
  idv face-capture upload 1c3cae90-1769-43a9-8554-d85f2e7cdb0f face.jpg";

const UPLOAD_EXAMPLES: &str = "\
Examples:
  idv face-capture upload SESSION_ID face.jpg
  idv face-capture upload SESSION_ID face.png --requirement REQUIREMENT_ID

The image must be a JPEG or a PNG: its type is read from its first bytes, whatever its name.
Without --requirement, the first FACE_CAPTURE requirement of the session's configuration is
used (see `idv session config SESSION_ID`). The resource is created, then the image uploaded.";

/// The largest image read.
const MAX_IMAGE_BYTES: u64 = 16 * 1024 * 1024;

/// `idv face-capture …`
#[derive(Debug, Subcommand)]
pub enum FaceCaptureCommand {
    /// Create a face-capture resource and upload its image (JPEG or PNG).
    #[command(after_help = UPLOAD_EXAMPLES)]
    Upload {
        /// The session id.
        session_id: SessionId,
        /// The image file (JPEG or PNG, at most 16 MiB).
        image: PathBuf,
        /// The FACE_CAPTURE requirement to meet [default: the configuration's first].
        #[arg(long, value_name = "ID")]
        requirement: Option<String>,
    },
}

/// The content type of a JPEG or PNG image, from its first bytes.
pub fn image_content_type(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else {
        None
    }
}

fn read_image(path: &Path) -> CliResult<Vec<u8>> {
    let cannot = |e: std::io::Error| {
        CliError::Config(format!("cannot read the image {}: {e}", path.display()))
    };
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .map_err(cannot)?
        .take(MAX_IMAGE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(cannot)?;
    if bytes.len() as u64 > MAX_IMAGE_BYTES {
        return Err(CliError::Config(format!(
            "the image {} is larger than {}",
            path.display(),
            HumanBytes(MAX_IMAGE_BYTES)
        )));
    }
    Ok(bytes)
}

/// `idv face-capture …`
pub async fn run(global: &GlobalArgs, command: FaceCaptureCommand) -> CliResult<()> {
    let FaceCaptureCommand::Upload {
        session_id,
        image,
        requirement,
    } = command;
    // Everything the user gave is checked before any request.
    let bytes = read_image(&image)?;
    let content_type = image_content_type(&bytes).ok_or_else(|| {
        CliError::Config(format!(
            "{} is neither a JPEG nor a PNG image (its first bytes say so)",
            image.display()
        ))
    })?;
    if requirement.as_deref().is_some_and(str::is_empty) {
        return Err(CliError::Config("--requirement must not be empty".into()));
    }
    let (client, settings) = api::client(global)?;
    let base = settings.base_url.as_str();
    let map = |e| api::map_error(e, Subject::Session(session_id.as_str()), base);
    let size = bytes.len() as u64;
    let (requirement, resource) = match requirement {
        None => {
            let upload = client
                .upload_face_capture(&session_id, content_type, bytes)
                .await
                .map_err(map)?;
            (upload.requirement_id, upload.resource)
        }
        Some(requirement) => {
            let resource = client
                .create_face_capture_resource(&session_id, &requirement)
                .await
                .map_err(map)?;
            let resource_id = resource.id.clone().ok_or_else(|| {
                CliError::Failure("the face-capture resource came back without an id".into())
            })?;
            client
                .upload_face_capture_image(&session_id, resource_id.as_str(), content_type, bytes)
                .await
                .map_err(map)?;
            (requirement, resource)
        }
    };
    outln(&format!(
        "uploaded {} ({content_type}, {}) as face capture {} of session {session_id} \
         (requirement {})",
        image.display(),
        HumanBytes(size),
        terminal_safe(resource.id.as_deref().unwrap_or("(no id)")),
        terminal_safe(&requirement)
    ));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_type_comes_from_the_first_bytes() {
        assert_eq!(
            image_content_type(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10]),
            Some("image/jpeg")
        );
        assert_eq!(
            image_content_type(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"),
            Some("image/png")
        );
        for other in [&b"GIF89a"[..], b"", b"\xFF\xD8", b"%PDF-1.4", b"\x89PNG"] {
            assert_eq!(image_content_type(other), None, "{other:?}");
        }
    }
}
