//! Stored sessions: stages kept as the original bytes, stage advancement, media index.

use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use serde_json::Value;

use crate::error::SandboxError;
use crate::media::MediaInfo;

/// How a session moves from one stage to the next.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum StageMode {
    /// One stage per successful `GET` (the first returns stage 1).
    #[default]
    PerRetrieval,
    /// Stage `n` (0-based) is served from `n × interval` after the session's first `GET`.
    Interval(Duration),
}

/// One stage as given: its original bytes and the parsed document.
#[derive(Debug)]
pub(crate) struct Stage {
    pub(crate) session_id: String,
    pub(crate) bytes: Bytes,
    pub(crate) media: Vec<MediaInfo>,
}

impl Stage {
    /// Parses a stage, keeping `bytes` untouched.
    pub(crate) fn parse(bytes: Bytes, origin: &str) -> Result<Self, SandboxError> {
        let invalid = |reason: String| SandboxError::InvalidSession {
            origin: origin.to_owned(),
            reason,
        };
        // The typed model must accept the document (it is what clients will parse).
        let session = idv_model::parse_session(&bytes).map_err(|e| invalid(e.to_string()))?;
        let value: Value = serde_json::from_slice(&bytes).map_err(|e| {
            invalid(format!(
                "line {} column {}: not valid JSON ({:?})",
                e.line(),
                e.column(),
                e.classify()
            ))
        })?;
        let session_id = value
            .get("session_id")
            .and_then(Value::as_str)
            .filter(|id| !id.is_empty())
            .ok_or_else(|| invalid("session_id: missing or not a non-empty string".to_owned()))?
            .to_owned();
        let media = merge_media(&session, collect_media(&value));
        Ok(Self {
            session_id,
            media,
            bytes,
        })
    }
}

/// Every media reference the typed model finds (described by its `path_hint`, the path the
/// `idv` CLI saves it under), then any further reference found in the raw JSON (fields the
/// model does not know yet), each id once.
fn merge_media(session: &idv_model::Session, raw: Vec<MediaInfo>) -> Vec<MediaInfo> {
    let mut out: Vec<MediaInfo> = Vec::new();
    let mut seen = HashSet::new();
    for r in session.media_refs() {
        if seen.insert(r.media_id.to_owned()) {
            let raw_type = raw
                .iter()
                .find(|m| m.id == r.media_id)
                .map(|m| m.media_type.clone());
            let media_type = r
                .media_type
                .map(|t| t.as_str().to_owned())
                .or(raw_type)
                .unwrap_or_else(|| "BINARY".to_owned());
            out.push(MediaInfo {
                id: r.media_id.to_owned(),
                media_type,
                description: vec![r.location.path_hint()],
            });
        }
    }
    for info in raw {
        if seen.insert(info.id.clone()) {
            out.push(info);
        }
    }
    out
}

/// A session's stages and state.
#[derive(Debug)]
pub(crate) struct StoredSession {
    stages: Vec<Arc<Stage>>,
    /// Every media item referenced by any stage, by id.
    media: BTreeMap<String, MediaInfo>,
    retrievals: usize,
    first_retrieval: Option<Instant>,
    deleted: bool,
    deleted_media: HashSet<String>,
}

impl StoredSession {
    pub(crate) fn new(stages: Vec<Arc<Stage>>) -> Self {
        let mut media = BTreeMap::new();
        for stage in &stages {
            for info in &stage.media {
                media.entry(info.id.clone()).or_insert_with(|| info.clone());
            }
        }
        Self {
            stages,
            media,
            retrievals: 0,
            first_retrieval: None,
            deleted: false,
            deleted_media: HashSet::new(),
        }
    }

    pub(crate) fn is_deleted(&self) -> bool {
        self.deleted
    }

    pub(crate) fn delete(&mut self) {
        self.deleted = true;
    }

    /// The bytes to serve for this retrieval, advancing the stage.
    pub(crate) fn retrieve(&mut self, mode: StageMode, now: Instant) -> Bytes {
        let index = match mode {
            StageMode::PerRetrieval => self.retrievals,
            StageMode::Interval(interval) => {
                let start = *self.first_retrieval.get_or_insert(now);
                let elapsed = now.saturating_duration_since(start).as_nanos();
                match elapsed.checked_div(interval.as_nanos()) {
                    Some(n) => usize::try_from(n).unwrap_or(usize::MAX),
                    None => usize::MAX,
                }
            }
        };
        self.retrievals = self.retrievals.saturating_add(1);
        let last = self.stages.len().saturating_sub(1);
        self.stages
            .get(index.min(last))
            .map(|s| s.bytes.clone())
            .unwrap_or_default()
    }

    /// The bytes of the last stage, without advancing.
    pub(crate) fn last_stage(&self) -> Bytes {
        self.stages
            .last()
            .map(|s| s.bytes.clone())
            .unwrap_or_default()
    }

    /// The media item, unless it was deleted.
    pub(crate) fn media(&self, media_id: &str) -> Option<&MediaInfo> {
        if self.deleted_media.contains(media_id) {
            return None;
        }
        self.media.get(media_id)
    }

    pub(crate) fn is_media_deleted(&self, media_id: &str) -> bool {
        self.deleted_media.contains(media_id)
    }

    pub(crate) fn delete_media(&mut self, media_id: &str) {
        self.deleted_media.insert(media_id.to_owned());
    }

    /// Every media id referenced by any stage.
    pub(crate) fn media_ids(&self) -> impl Iterator<Item = &str> {
        self.media.keys().map(String::as_str)
    }
}

/// One step of a JSON path.
#[derive(Debug, Clone)]
enum Seg<'a> {
    Key(&'a str),
    Index(usize),
}

/// Every media reference (`{"media": {"id", "type"}}` anywhere, and `generated_media[]`
/// entries), with a description of where it sits, in document order.
pub(crate) fn collect_media(root: &Value) -> Vec<MediaInfo> {
    let mut out = Vec::new();
    let mut trail = Vec::new();
    walk(root, root, &mut trail, &mut out);
    out
}

fn walk<'a>(root: &'a Value, v: &'a Value, trail: &mut Vec<Seg<'a>>, out: &mut Vec<MediaInfo>) {
    match v {
        Value::Object(map) => {
            for (key, child) in map {
                trail.push(Seg::Key(key));
                if key == "media"
                    && let Some(info) = media_info(root, child, trail)
                {
                    out.push(info);
                } else if key == "generated_media"
                    && let Value::Array(items) = child
                {
                    for (i, item) in items.iter().enumerate() {
                        trail.push(Seg::Index(i));
                        if let Some(info) = media_info(root, item, trail) {
                            out.push(info);
                        }
                        trail.pop();
                    }
                } else {
                    walk(root, child, trail, out);
                }
                trail.pop();
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                trail.push(Seg::Index(i));
                walk(root, item, trail, out);
                trail.pop();
            }
        }
        _ => {}
    }
}

fn media_info(root: &Value, media: &Value, trail: &[Seg<'_>]) -> Option<MediaInfo> {
    let id = media.get("id")?.as_str()?;
    let media_type = media
        .get("type")
        .and_then(Value::as_str)
        .unwrap_or("BINARY");
    Some(MediaInfo {
        id: id.to_owned(),
        media_type: media_type.to_owned(),
        description: describe(root, trail),
    })
}

fn label(key: &str) -> String {
    let singular = match key.strip_suffix('s') {
        Some(stem) if !stem.ends_with('s') => stem,
        _ => key,
    };
    singular.replace('_', " ").to_ascii_uppercase()
}

/// Describes a media location: the owning resource or check, its document type and country
/// (or check type), and the rest of the path (`PAGE 1 FRAME 2`).
fn describe(root: &Value, trail: &[Seg<'_>]) -> Vec<String> {
    let mut lines = Vec::new();
    let mut owner: Option<&Value> = None;
    let rest = match trail {
        [
            Seg::Key("resources"),
            Seg::Key(kind),
            Seg::Index(i),
            rest @ ..,
        ] => {
            lines.push(format!("{} {}", label(kind), i + 1));
            owner = root
                .get("resources")
                .and_then(|r| r.get(*kind))
                .and_then(|a| a.get(*i));
            rest
        }
        [Seg::Key(kind), Seg::Index(i), rest @ ..] => {
            lines.push(format!("{} {}", label(kind), i + 1));
            owner = root.get(*kind).and_then(|a| a.get(*i));
            rest
        }
        rest => rest,
    };
    if let Some(owner) = owner {
        let field = |name: &str| owner.get(name).and_then(Value::as_str);
        let kind: Vec<&str> = [
            field("document_type"),
            field("issuing_country"),
            field("type"),
            field("liveness_type"),
        ]
        .into_iter()
        .flatten()
        .collect();
        if !kind.is_empty() {
            lines.push(kind.join(" "));
        }
    }
    let mut words = Vec::new();
    let mut iter = rest.iter().peekable();
    while let Some(seg) = iter.next() {
        match seg {
            Seg::Key("media") => {}
            Seg::Key(key) => {
                if let Some(Seg::Index(i)) = iter.peek() {
                    words.push(format!("{} {}", label(key), i + 1));
                    iter.next();
                } else {
                    words.push(key.replace('_', " ").to_ascii_uppercase());
                }
            }
            Seg::Index(i) => words.push(format!("#{}", i + 1)),
        }
    }
    if !words.is_empty() {
        lines.push(words.join(" "));
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn media_in_the_product_page_completed_stage_are_described() {
        let bytes = include_bytes!("../fixtures/sessions/product-page-5-completed.json");
        let value: Value = serde_json::from_slice(bytes).expect("json");
        let media = collect_media(&value);
        let frame = media
            .iter()
            .find(|m| m.id == "188259c5-430f-47cc-8ea2-a7c873c18dda")
            .expect("the passport's first frame");
        assert_eq!(frame.media_type, "IMAGE");
        assert!(
            frame.description.iter().any(|l| l == "PASSPORT GBR"),
            "{:?}",
            frame.description
        );
        assert!(
            frame
                .description
                .iter()
                .any(|l| l.starts_with("PAGE 1 FRAME ")),
            "{:?}",
            frame.description
        );
        assert!(media.iter().any(|m| {
            m.media_type == "JSON"
                && m.description
                    .first()
                    .is_some_and(|l| l == "APPLICANT PROFILE 1")
        }));
        let ids: HashSet<&str> = media.iter().map(|m| m.id.as_str()).collect();
        assert_eq!(ids.len(), media.len(), "each reference appears once");
    }

    #[test]
    fn parsed_stages_describe_media_by_the_model_path_hint() {
        let bytes = include_bytes!("../fixtures/sessions/product-page-5-completed.json");
        let stage = Stage::parse(Bytes::from_static(bytes), "test").expect("parses");
        let model = idv_model::parse_session(bytes).expect("model");
        let refs = model.media_refs();
        assert_eq!(stage.media.len(), refs.len());
        for (info, r) in stage.media.iter().zip(&refs) {
            assert_eq!(info.id, r.media_id);
            assert_eq!(info.description, vec![r.location.path_hint()]);
        }
        let frame = stage
            .media
            .iter()
            .find(|m| m.id == "188259c5-430f-47cc-8ea2-a7c873c18dda")
            .expect("the passport's first frame");
        assert!(
            frame.description[0].contains("PASSPORT"),
            "{:?}",
            frame.description
        );
        assert!(
            frame.description[0].contains("frame-"),
            "{:?}",
            frame.description
        );
    }

    #[test]
    fn references_unknown_to_the_model_are_kept() {
        let bytes = br#"{"session_id":"s","future_resource":{"media":{"id":"x1","type":"PDF"}}}"#;
        let stage = Stage::parse(Bytes::from_static(bytes), "test").expect("parses");
        assert_eq!(stage.media.len(), 1);
        assert_eq!(
            (
                stage.media[0].id.as_str(),
                stage.media[0].media_type.as_str()
            ),
            ("x1", "PDF")
        );
        assert_eq!(stage.media[0].description, vec!["FUTURE RESOURCE"]);
    }

    #[test]
    fn generated_media_entries_are_found() {
        let value = serde_json::json!({
            "session_id": "s",
            "resources": {"id_documents": [{"document_type": "DRIVING_LICENCE", "tasks": [
                {"generated_media": [{"id": "g1", "type": "JSON"}]}
            ], "document_fields": {"media": {"id": "f1", "type": "JSON"}}}]},
            "checks": [{"type": "LIVENESS", "generated_media": [{"id": "c1", "type": "PDF"}]}]
        });
        let media = collect_media(&value);
        let find = |id: &str| {
            media
                .iter()
                .find(|m| m.id == id)
                .expect(id)
                .description
                .clone()
        };
        assert_eq!(
            find("g1"),
            vec![
                "ID DOCUMENT 1",
                "DRIVING_LICENCE",
                "TASK 1 GENERATED MEDIA 1"
            ]
        );
        assert_eq!(
            find("f1"),
            vec!["ID DOCUMENT 1", "DRIVING_LICENCE", "DOCUMENT FIELDS"]
        );
        assert_eq!(find("c1"), vec!["CHECK 1", "LIVENESS", "GENERATED MEDIA 1"]);
    }

    fn stage(id: &str, n: u8) -> Arc<Stage> {
        let bytes = Bytes::from(format!("{{\"session_id\":\"{id}\",\"n\":{n}}}"));
        Arc::new(Stage {
            session_id: id.to_owned(),
            bytes,
            media: Vec::new(),
        })
    }

    #[test]
    fn per_retrieval_advances_and_stays_on_the_last() {
        let mut s = StoredSession::new(vec![stage("a", 1), stage("a", 2)]);
        let now = Instant::now();
        let served: Vec<Bytes> = (0..4)
            .map(|_| s.retrieve(StageMode::PerRetrieval, now))
            .collect();
        assert!(served[0].ends_with(b"1}"));
        assert!(served[1].ends_with(b"2}"));
        assert!(served[2].ends_with(b"2}"));
        assert!(served[3].ends_with(b"2}"));
    }

    #[test]
    fn interval_mode_counts_from_the_first_retrieval() {
        let mut s = StoredSession::new(vec![stage("a", 1), stage("a", 2), stage("a", 3)]);
        let mode = StageMode::Interval(Duration::from_secs(10));
        let t0 = Instant::now();
        assert!(s.retrieve(mode, t0).ends_with(b"1}"));
        assert!(
            s.retrieve(mode, t0 + Duration::from_secs(9))
                .ends_with(b"1}")
        );
        assert!(
            s.retrieve(mode, t0 + Duration::from_secs(10))
                .ends_with(b"2}")
        );
        assert!(
            s.retrieve(mode, t0 + Duration::from_secs(25))
                .ends_with(b"3}")
        );
        assert!(
            s.retrieve(mode, t0 + Duration::from_secs(1000))
                .ends_with(b"3}")
        );
        let mut z = StoredSession::new(vec![stage("a", 1), stage("a", 2)]);
        assert!(
            z.retrieve(StageMode::Interval(Duration::ZERO), t0)
                .ends_with(b"2}")
        );
    }
}
