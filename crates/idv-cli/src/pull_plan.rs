//! What `idv media pull` downloads and where: one entry per distinct media id, planned in one
//! linear pass over the session.

use std::collections::HashSet;
use std::path::PathBuf;

use idv_model::{MediaRef, Session};

use crate::index_json::MediaContext;
use crate::naming::FileNamer;
use crate::report::describe_resource;
use crate::session_index::SessionIndex;

/// One media item to download.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedMedia {
    /// The media id, as the session gives it (not validated: the client refuses a malformed one).
    pub media_id: String,
    /// The media `type` in the session (`IMAGE`, `JSON`, …), when given.
    pub media_type: Option<String>,
    /// The file's relative path without its extension (it comes from the content type): unique
    /// case-insensitively, never a Windows device name (see [`FileNamer`]).
    pub stem: PathBuf,
    /// Where the media sits in the session, for `index.json`.
    pub context: MediaContext,
}

/// Every distinct media item of `session`, in document order (a media id referenced twice is
/// downloaded once, named by its first place).
pub fn plan_pull(session: &Session) -> Vec<PlannedMedia> {
    let index = SessionIndex::new(session);
    let mut namer = FileNamer::with_capacity(index.media.len());
    let mut seen = HashSet::with_capacity(index.media.len());
    index
        .media
        .iter()
        .filter(|m| seen.insert(m.media_id))
        .map(|m| {
            let location = m.location.path_hint();
            PlannedMedia {
                media_id: m.media_id.to_owned(),
                media_type: m.media_type.map(|t| t.as_str().to_owned()),
                stem: namer.stem(&location, m.media_id),
                context: media_context(&index, m, location),
            }
        })
        .collect()
}

/// Where a media reference sits: its location (its path hint), a description in words, and its
/// resource's or check's id.
fn media_context(index: &SessionIndex<'_>, media: &MediaRef<'_>, location: String) -> MediaContext {
    let resource_key = media.location.resource();
    let check_key = media.location.check();
    // Media locations identify a resource by kind and position (ids may be absent).
    let owner = match (resource_key, check_key) {
        (Some(key), _) => index
            .resource_at((key.kind, key.index))
            .map(|r| describe_resource(&r)),
        (None, Some(check)) => Some(format!(
            "check {}",
            check
                .check_type
                .as_ref()
                .map_or("(unknown type)", |t| t.as_str())
        )),
        (None, None) => None,
    };
    let place = if resource_key.is_some() || check_key.is_some() {
        location
            .splitn(3, '/')
            .nth(2)
            .unwrap_or(&location)
            .to_owned()
    } else {
        location.clone()
    };
    MediaContext {
        description: match owner {
            Some(owner) => format!("{owner}, {place}"),
            None => place,
        },
        location,
        resource_id: resource_key.and_then(|r| r.id.clone()),
        check_id: check_key.and_then(|c| c.id.clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::naming::index_path;

    #[test]
    fn contexts_describe_where_media_sit_even_without_ids() {
        let json = br#"{"resources": {"id_documents": [
                {"document_type": "PASSPORT", "issuing_country": "GBR",
                 "pages": [{"media": {"id": "m1", "type": "IMAGE"}}]}]},
            "checks": [{"id": "c1", "type": "LIVENESS",
                        "generated_media": [{"id": "m2", "type": "JSON"}]}],
            "import_token": {"media": {"id": "m3"}}}"#;
        let session = idv_model::parse_session(json).unwrap();
        let plan = plan_pull(&session);
        let page = &plan[0].context;
        assert_eq!(page.location, "id_documents/PASSPORT-GBR/page-1/media");
        assert_eq!(page.description, "ID document PASSPORT GBR, page-1/media");
        assert_eq!((&page.resource_id, &page.check_id), (&None, &None));
        assert_eq!(plan[0].media_type.as_deref(), Some("IMAGE"));
        let generated = &plan[1].context;
        assert_eq!(generated.description, "check LIVENESS, generated_media-1");
        assert_eq!(generated.check_id.as_deref(), Some("c1"));
        assert_eq!(plan[2].context.description, "import_token");
    }

    #[test]
    fn each_media_id_once_with_unique_stems() {
        let json = br#"{"resources": {
            "face_capture": [{"id": "abcdefgh-1", "image": {"media": {"id": "m1"}}},
                             {"id": "ABCDEFGH-2", "image": {"media": {"id": "m2"}}},
                             {"id": "CON", "image": {"media": {"id": "m1"}}}]}}"#;
        let session = idv_model::parse_session(json).unwrap();
        let plan = plan_pull(&session);
        let ids: Vec<&str> = plan.iter().map(|p| p.media_id.as_str()).collect();
        assert_eq!(ids, ["m1", "m2"]);
        let stems: Vec<String> = plan.iter().map(|p| index_path(&p.stem)).collect();
        assert!(
            stems.iter().all(|s| s.starts_with("face_capture/")),
            "{stems:?}"
        );
        assert_ne!(stems[0].to_ascii_lowercase(), stems[1].to_ascii_lowercase());
        assert_eq!(plan[1].context.resource_id.as_deref(), Some("ABCDEFGH-2"));
    }
}
