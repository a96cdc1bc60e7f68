//! The readable session report: a pure function of the session.

use std::collections::HashMap;
use std::fmt::Write as _;

use idv_model::{
    Check, CheckState, MediaRef, RecommendationValue, ResourceKind, ResourceRef, Session,
    SessionState,
};

use crate::term::{Style, paint};

/// The overall outcome shown on the last line of a report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// The session is not finished yet.
    Pending,
    /// Finished, but no checks were reported.
    NoChecks,
    /// Every check is `DONE` and recommends `APPROVE`.
    Approve,
    /// At least one check recommends `REJECT`.
    Reject,
    /// Anything else needs a human: `CONSIDER`, `NOT_AVAILABLE`, unknown values, checks not done.
    Review,
}

impl Verdict {
    /// The verdict of a session.
    pub fn of(session: &Session) -> Self {
        if !session.is_finished() {
            return Verdict::Pending;
        }
        let summary = session.recommendation_summary();
        if summary.total_checks == 0 {
            Verdict::NoChecks
        } else if summary.reject > 0 {
            Verdict::Reject
        } else if summary.all_approved() && summary.all_done {
            Verdict::Approve
        } else {
            Verdict::Review
        }
    }

    /// The word shown in the report.
    pub fn label(&self) -> &'static str {
        match self {
            Verdict::Pending => "PENDING",
            Verdict::NoChecks => "NO CHECKS",
            Verdict::Approve => "APPROVE",
            Verdict::Reject => "REJECT",
            Verdict::Review => "REVIEW",
        }
    }

    fn style(&self) -> Style {
        match self {
            Verdict::Approve => Style::Green,
            Verdict::Reject => Style::Red,
            _ => Style::Yellow,
        }
    }
}

fn state_style(state: Option<&SessionState>) -> Style {
    match state {
        Some(SessionState::Completed) => Style::Green,
        Some(SessionState::Expired) => Style::Red,
        _ => Style::Yellow,
    }
}

fn recommendation_style(value: Option<&RecommendationValue>) -> Style {
    match value {
        Some(RecommendationValue::Approve) => Style::Green,
        Some(RecommendationValue::Reject) => Style::Red,
        _ => Style::Yellow,
    }
}

/// A short human description of a resource: kind, document type and country.
pub fn describe_resource(resource: &ResourceRef<'_>) -> String {
    match resource {
        ResourceRef::IdDocument(d) => format!(
            "ID document {} {}",
            d.document_type.as_deref().unwrap_or("(unknown type)"),
            d.issuing_country.as_deref().unwrap_or("(unknown country)")
        ),
        ResourceRef::SupplementaryDocument(d) => format!(
            "supplementary document {} {}",
            d.document_type.as_deref().unwrap_or("(unknown type)"),
            d.issuing_country.as_deref().unwrap_or("(unknown country)")
        ),
        ResourceRef::LivenessCapture(l) => format!(
            "liveness capture {}",
            l.liveness_type
                .as_ref()
                .map_or("(unknown type)", |t| t.as_str())
        ),
        ResourceRef::FaceCapture(_) => "face capture".to_owned(),
        ResourceRef::ApplicantProfile(_) => "applicant profile".to_owned(),
        ResourceRef::ShareCode(_) => "share code".to_owned(),
        _ => "resource".to_owned(),
    }
}

/// A short label for a resource in a check's "used" list: `PASSPORT GBR (3332241d)`.
fn resource_label(session: &Session, id: &str) -> String {
    let short: String = id.chars().take(8).collect();
    match session.resource(id) {
        Some(ResourceRef::IdDocument(d)) => format!(
            "{} {} ({short})",
            d.document_type.as_deref().unwrap_or("ID_DOCUMENT"),
            d.issuing_country.as_deref().unwrap_or("?")
        ),
        Some(ResourceRef::SupplementaryDocument(d)) => format!(
            "{} {} ({short})",
            d.document_type
                .as_deref()
                .unwrap_or("SUPPLEMENTARY_DOCUMENT"),
            d.issuing_country.as_deref().unwrap_or("?")
        ),
        Some(other) => format!("{} ({short})", describe_resource(&other)),
        None => format!("{id} (not in this session)"),
    }
}

fn pages_of(resource: &ResourceRef<'_>) -> Option<usize> {
    match resource {
        ResourceRef::IdDocument(d) => Some(d.pages.len()),
        ResourceRef::SupplementaryDocument(d) => Some(d.pages.len()),
        _ => None,
    }
}

fn source_of(resource: &ResourceRef<'_>) -> Option<String> {
    resource
        .source()
        .and_then(|s| s.source_type())
        .map(|t| t.as_str().to_owned())
}

/// The part of a media's path hint below its resource or check (`page-1/frame-2`).
fn media_place(media: &MediaRef<'_>) -> String {
    let hint = media.location.path_hint();
    let skip = if media.location.resource().is_some() || media.location.check().is_some() {
        2
    } else {
        0
    };
    let place: Vec<&str> = hint.split('/').skip(skip).collect();
    if place.is_empty() {
        hint
    } else {
        place.join("/")
    }
}

fn write_media_lines(out: &mut String, refs: &[&MediaRef<'_>], indent: &str, color: bool) {
    let width = refs.iter().map(|m| media_place(m).len()).max().unwrap_or(0);
    for m in refs {
        let place = media_place(m);
        let kind = m.media_type.map_or("", |t| t.as_str());
        let _ = writeln!(
            out,
            "{indent}{place:<width$}  {}  {}",
            paint(m.media_id, Style::Cyan, color),
            paint(kind, Style::Dim, color),
        );
    }
}

fn write_check(
    out: &mut String,
    session: &Session,
    (index, check): (usize, &Check),
    refs: &[MediaRef<'_>],
    color: bool,
) {
    let check_type = check
        .check_type
        .as_ref()
        .map_or("(unknown type)", |t| t.as_str());
    let state = check.state.as_ref().map_or("(no state)", |s| s.as_str());
    let state_painted = paint(
        state,
        if check.state == Some(CheckState::Done) {
            Style::Green
        } else {
            Style::Yellow
        },
        color,
    );
    let recommendation = check
        .report
        .as_ref()
        .and_then(|r| r.recommendation.as_ref());
    let value = recommendation.and_then(|r| r.value.as_ref());
    let value_text = value.map_or("(no recommendation)", |v| v.as_str());
    let _ = write!(
        out,
        "  {}  {state_painted}  {}",
        paint(check_type, Style::Bold, color),
        paint(value_text, recommendation_style(value), color)
    );
    if let Some(scheme) = &check.scheme {
        let _ = write!(out, "  scheme {scheme}");
    }
    out.push('\n');
    if let Some(id) = &check.id {
        let _ = writeln!(out, "      id: {}", paint(id, Style::Dim, color));
    }
    if let Some(reason) = recommendation.and_then(|r| r.reason.as_deref()) {
        let _ = write!(out, "      reason: {reason}");
        if let Some(suggestion) = recommendation.and_then(|r| r.recovery_suggestion.as_deref()) {
            let _ = write!(out, " (suggestion: {suggestion})");
        }
        out.push('\n');
    }
    if !check.resources_used.is_empty() {
        let used: Vec<String> = check
            .resources_used
            .iter()
            .map(|id| resource_label(session, id))
            .collect();
        let _ = writeln!(out, "      resources used: {}", used.join(", "));
    }
    let breakdown = check
        .report
        .as_ref()
        .map(|r| r.breakdown.as_slice())
        .unwrap_or_default();
    if breakdown.is_empty() {
        let _ = writeln!(out, "      breakdown: none");
    } else {
        let _ = writeln!(out, "      breakdown:");
        for b in breakdown {
            let result = b.result.as_ref().map_or("(no result)", |r| r.as_str());
            let style = match result {
                "PASS" => Style::Green,
                "FAIL" => Style::Red,
                _ => Style::Yellow,
            };
            let _ = write!(
                out,
                "        {}  {}",
                b.sub_check.as_deref().unwrap_or("(unnamed sub-check)"),
                paint(result, style, color)
            );
            if let Some(process) = &b.process {
                let _ = write!(out, "  {}", paint(process, Style::Dim, color));
            }
            let details: Vec<String> = b
                .details
                .iter()
                .map(|d| {
                    format!(
                        "{}={}",
                        d.name.as_deref().unwrap_or("?"),
                        d.value.as_deref().unwrap_or("")
                    )
                })
                .collect();
            if !details.is_empty() {
                let _ = write!(out, "  ({})", details.join(", "));
            }
            out.push('\n');
        }
    }
    if let Some(w) = check
        .report
        .as_ref()
        .and_then(|r| r.watchlist_summary.as_ref())
        && let Some(hits) = &w.total_hits
    {
        let _ = writeln!(out, "      watchlist hits: {hits}");
    }
    let generated: Vec<&MediaRef<'_>> = refs
        .iter()
        .filter(|m| m.location.check().is_some_and(|k| k.index == index))
        .collect();
    if !generated.is_empty() {
        let _ = writeln!(out, "      media:");
        write_media_lines(out, &generated, "        ", color);
    }
}

/// The one-line overall verdict with its explanation.
pub fn verdict_line(session: &Session, color: bool) -> String {
    let verdict = Verdict::of(session);
    let s = session.recommendation_summary();
    let state = session.state().map_or("(no state)", |s| s.as_str());
    let why = match verdict {
        Verdict::Pending => format!(
            "the session is {state}; {} check{} so far",
            s.total_checks,
            if s.total_checks == 1 { "" } else { "s" }
        ),
        Verdict::NoChecks => format!("the session is {state} but reports no checks"),
        Verdict::Approve => format!(
            "all {} checks are DONE and recommend APPROVE",
            s.total_checks
        ),
        Verdict::Reject => format!("{} of {} checks recommend REJECT", s.reject, s.total_checks),
        Verdict::Review => {
            let mut parts = Vec::new();
            for (n, what) in [
                (s.approve, "APPROVE"),
                (s.consider, "CONSIDER"),
                (s.not_available, "NOT_AVAILABLE"),
                (s.without_recommendation, "without recommendation"),
            ] {
                if n > 0 {
                    parts.push(format!("{n} {what}"));
                }
            }
            for (value, n) in &s.other {
                parts.push(format!("{n} {value}"));
            }
            let done = if s.all_done {
                ""
            } else {
                "; not every check is DONE"
            };
            format!("a person should review: {}{done}", parts.join(", "))
        }
    };
    format!(
        "{} {} — {why}",
        paint("Overall:", Style::Bold, color),
        paint(verdict.label(), verdict.style(), color)
    )
}

/// Render a session as a readable report. Pure: the same session and flag give the same text.
/// With `color`, ANSI escape codes highlight states and recommendations.
pub fn render_report(session: &Session, color: bool) -> String {
    let mut out = String::new();
    let refs = session.media_refs();
    let id = session.session_id.as_deref().unwrap_or("(no session id)");
    let _ = writeln!(
        out,
        "{} {}",
        paint("Session", Style::Bold, color),
        paint(id, Style::Cyan, color)
    );
    let state = session.state();
    let _ = writeln!(
        out,
        "State:   {}",
        paint(
            state.map_or("(no state)", |s| s.as_str()),
            state_style(state),
            color
        )
    );
    if let Some(ttl) = session.client_session_token_ttl {
        let _ = writeln!(out, "Client session token TTL: {ttl} s");
    }

    let resources = session.all_resources();
    let _ = writeln!(
        out,
        "\n{}",
        paint(
            &format!("Resources ({})", resources.len()),
            Style::Bold,
            color
        )
    );
    if resources.is_empty() {
        let _ = writeln!(out, "  none yet");
    }
    // Position of each resource within its kind: how media locations identify it.
    let mut per_kind: HashMap<ResourceKind, usize> = HashMap::new();
    for resource in &resources {
        let kind_index = {
            let n = per_kind.entry(resource.kind()).or_default();
            *n += 1;
            *n - 1
        };
        let mut line = format!(
            "  {}",
            paint(&describe_resource(resource), Style::Bold, color)
        );
        if let Some(source) = source_of(resource) {
            let _ = write!(line, "  source {source}");
        }
        if let Some(pages) = pages_of(resource) {
            let _ = write!(line, "  {pages} page{}", if pages == 1 { "" } else { "s" });
        }
        let _ = writeln!(out, "{line}");
        if let Some(rid) = resource.id() {
            let _ = writeln!(out, "      id: {}", paint(rid, Style::Dim, color));
        }
        for task in resource.tasks() {
            let _ = writeln!(
                out,
                "      task {} {}",
                task.task_type
                    .as_ref()
                    .map_or("(unknown type)", |t| t.as_str()),
                task.state.as_ref().map_or("(no state)", |s| s.as_str())
            );
        }
        let mine: Vec<&MediaRef<'_>> = refs
            .iter()
            .filter(|m| {
                m.location
                    .resource()
                    .is_some_and(|k| k.kind == resource.kind() && k.index == kind_index)
            })
            .collect();
        if mine.is_empty() {
            let _ = writeln!(out, "      media: none");
        } else {
            let _ = writeln!(out, "      media:");
            write_media_lines(&mut out, &mine, "        ", color);
        }
        if let Some(rid) = resource.id() {
            let mut users: Vec<(&str, usize)> = Vec::new();
            for check in session.checks_using(rid) {
                let name = check
                    .check_type
                    .as_ref()
                    .map_or("(unknown type)", |t| t.as_str());
                match users.iter_mut().find(|(n, _)| *n == name) {
                    Some((_, count)) => *count += 1,
                    None => users.push((name, 1)),
                }
            }
            if !users.is_empty() {
                let names: Vec<String> = users
                    .iter()
                    .map(|(n, c)| {
                        if *c > 1 {
                            format!("{n} x{c}")
                        } else {
                            (*n).to_owned()
                        }
                    })
                    .collect();
                let _ = writeln!(out, "      used by: {}", names.join(", "));
            }
        }
    }

    let _ = writeln!(
        out,
        "\n{}",
        paint(
            &format!("Checks ({})", session.checks.len()),
            Style::Bold,
            color
        )
    );
    if session.checks.is_empty() {
        let _ = writeln!(out, "  none yet");
    }
    for check in session.checks.iter().enumerate() {
        write_check(&mut out, session, check, &refs, color);
    }

    let other: Vec<&MediaRef<'_>> = refs
        .iter()
        .filter(|m| m.location.resource().is_none() && m.location.check().is_none())
        .collect();
    if !other.is_empty() {
        let _ = writeln!(out, "\n{}", paint("Other media", Style::Bold, color));
        write_media_lines(&mut out, &other, "  ", color);
    }

    let _ = writeln!(out, "\n{}", verdict_line(session, color));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const COMPLETED: &str =
        include_str!("../../../fixtures/sessions/product-page-5-completed.json");
    const CREATED: &str = include_str!("../../../fixtures/sessions/product-page-1-created.json");

    fn parse(text: &str) -> Session {
        idv_model::parse_session(text.as_bytes()).unwrap()
    }

    #[test]
    fn completed_product_page_session() {
        let report = render_report(&parse(COMPLETED), false);
        assert!(
            report
                .starts_with("Session 1c3cae90-1769-43a9-8554-d85f2e7cdb0f\nState:   COMPLETED\n"),
            "{report}"
        );
        assert!(report.contains("Resources (4)"), "{report}");
        assert!(
            report.contains("ID document DRIVING_LICENCE GBR  source IBV  2 pages"),
            "{report}"
        );
        assert!(
            report.contains("ID document PASSPORT GBR  source IBV  1 page\n"),
            "{report}"
        );
        assert!(
            report.contains("supplementary document UTILITY_BILL GBR  source IBV  1 page"),
            "{report}"
        );
        assert!(
            report.contains("applicant profile  source RELYING_BUSINESS"),
            "{report}"
        );
        // Media ids with where they sit.
        assert!(
            report.contains("page-1/frame-3  c8aa83c5-0292-4b4b-9f37-46b6bdca1856  IMAGE"),
            "{report}"
        );
        assert!(
            report.contains("page-1/media    ced2e1fa-3fe6-4aa6-9c45-4b3a71e804c8  IMAGE"),
            "{report}"
        );
        assert!(report.contains("Checks (9)"), "{report}");
        assert!(
            report.contains("DOCUMENT_SCHEME_VALIDITY_CHECK  DONE  APPROVE  scheme UK_DBS"),
            "{report}"
        );
        assert!(
            report.contains("resources used: PASSPORT GBR (3332241d), applicant profile ("),
            "{report}"
        );
        assert!(report.contains("breakdown: none"), "{report}");
        assert!(report.contains(
            "used by: IBV_VISUAL_REVIEW_CHECK, DOCUMENT_SCHEME_VALIDITY_CHECK, PROFILE_DOCUMENT_MATCH"
        ), "{report}");
        assert!(
            report
                .contains("resources used: PASSPORT GBR (3332241d), applicant profile (9ab4729c)"),
            "{report}"
        );
        assert!(
            report.contains("used by: PROFILE_DOCUMENT_MATCH x3\n"),
            "{report}"
        );
        assert!(
            report.contains("media  d609734c-e444-4c97-8211-6a3fe81e64e2  JSON"),
            "{report}"
        );
        assert!(
            report
                .trim_end()
                .ends_with("Overall: APPROVE — all 9 checks are DONE and recommend APPROVE"),
            "{report}"
        );
        assert!(!report.contains('\x1b'));
    }

    #[test]
    fn created_session_is_pending() {
        let session = parse(CREATED);
        assert_eq!(Verdict::of(&session), Verdict::Pending);
        let report = render_report(&session, false);
        assert!(report.contains("State:   ONGOING"), "{report}");
        assert!(report.contains("Checks (0)\n  none yet"), "{report}");
        assert!(
            report.contains("Overall: PENDING — the session is ONGOING; 0 checks so far"),
            "{report}"
        );
    }

    #[test]
    fn reject_reason_and_breakdown_are_shown() {
        let json = r#"{
            "session_id": "s1", "state": "COMPLETED",
            "resources": {"id_documents": [{"id": "doc-1", "document_type": "PASSPORT",
                "issuing_country": "FRA", "pages": [], "tasks": [
                    {"type": "ID_DOCUMENT_TEXT_DATA_EXTRACTION", "state": "DONE"}]}]},
            "checks": [
              {"id": "c1", "type": "ID_DOCUMENT_AUTHENTICITY", "state": "DONE",
               "resources_used": ["doc-1"],
               "report": {"recommendation": {"value": "REJECT", "reason": "PICTURE_TOO_DARK",
                          "recovery_suggestion": "BETTER_LIGHTING"},
                          "breakdown": [{"sub_check": "document_in_date", "result": "FAIL",
                             "details": [{"name": "expiry", "value": "2001-01-01"}]}]}},
              {"id": "c2", "type": "LIVENESS", "state": "DONE",
               "report": {"recommendation": {"value": "APPROVE"}, "breakdown": []}}
            ]}"#;
        let session = parse(json);
        assert_eq!(Verdict::of(&session), Verdict::Reject);
        let report = render_report(&session, false);
        assert!(
            report.contains("ID_DOCUMENT_AUTHENTICITY  DONE  REJECT"),
            "{report}"
        );
        assert!(
            report.contains("reason: PICTURE_TOO_DARK (suggestion: BETTER_LIGHTING)"),
            "{report}"
        );
        assert!(
            report.contains("document_in_date  FAIL  (expiry=2001-01-01)"),
            "{report}"
        );
        assert!(
            report.contains("resources used: PASSPORT FRA (doc-1)"),
            "{report}"
        );
        assert!(
            report.contains("task ID_DOCUMENT_TEXT_DATA_EXTRACTION DONE"),
            "{report}"
        );
        assert!(
            report.contains("Overall: REJECT — 1 of 2 checks recommend REJECT"),
            "{report}"
        );
    }

    #[test]
    fn consider_or_unknown_values_need_review() {
        let json = r#"{"session_id": "s", "state": "COMPLETED", "checks": [
            {"type": "LIVENESS", "state": "DONE", "report": {"recommendation": {"value": "CONSIDER"}}},
            {"type": "FUTURE_CHECK", "state": "PENDING", "report": {"recommendation": {"value": "MAYBE"}}}]}"#;
        let session = parse(json);
        assert_eq!(Verdict::of(&session), Verdict::Review);
        let report = render_report(&session, false);
        assert!(report.contains("FUTURE_CHECK  PENDING  MAYBE"), "{report}");
        assert!(
            report.contains("Overall: REVIEW — a person should review: 1 CONSIDER, 1 MAYBE; not every check is DONE"),
            "{report}"
        );
    }

    #[test]
    fn media_of_resources_and_checks_without_ids_are_listed() {
        let json = r#"{"state": "COMPLETED",
            "resources": {"id_documents": [
                {"document_type": "PASSPORT", "issuing_country": "GBR",
                 "pages": [{"media": {"id": "page-media-1", "type": "IMAGE"}}]},
                {"document_type": "DRIVING_LICENCE", "issuing_country": "GBR",
                 "pages": [{"media": {"id": "page-media-2", "type": "IMAGE"}}]}]},
            "checks": [{"type": "LIVENESS", "state": "DONE",
                        "generated_media": [{"id": "generated-1", "type": "JSON"}],
                        "report": {"recommendation": {"value": "APPROVE"}}}]}"#;
        let report = render_report(&parse(json), false);
        let passport = report.find("ID document PASSPORT").unwrap();
        let licence = report.find("ID document DRIVING_LICENCE").unwrap();
        let first = report.find("page-media-1").unwrap();
        let second = report.find("page-media-2").unwrap();
        assert!(
            passport < first && first < licence && licence < second,
            "{report}"
        );
        let check = report.find("LIVENESS  DONE").unwrap();
        assert!(
            report.find("generated_media-1  generated-1  JSON").unwrap() > check,
            "{report}"
        );
        assert!(report.contains("Session (no session id)"), "{report}");
    }

    #[test]
    fn finished_without_checks() {
        let session = parse(r#"{"session_id": "s", "state": "EXPIRED"}"#);
        assert_eq!(Verdict::of(&session), Verdict::NoChecks);
        assert!(render_report(&session, false).contains("Resources (0)\n  none yet"));
    }

    #[test]
    fn colour_only_when_asked() {
        let session = parse(COMPLETED);
        let plain = render_report(&session, false);
        let coloured = render_report(&session, true);
        assert!(coloured.contains("\x1b[32mAPPROVE\x1b[0m"));
        let stripped = strip_ansi(&coloured);
        assert_eq!(stripped, plain);
    }

    /// Every committed session fixture: each media id and each check type shows in the report.
    #[test]
    fn every_fixture_lists_all_its_media_and_checks() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/sessions");
        let mut dirs = vec![root];
        let mut seen = 0;
        let mut with_token = 0;
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    dirs.push(path);
                    continue;
                }
                if path.extension().is_none_or(|e| e != "json") {
                    continue;
                }
                let bytes = std::fs::read(&path).unwrap();
                let Ok(session) = idv_model::parse_session(&bytes) else {
                    continue;
                };
                seen += 1;
                let report = render_report(&session, false);
                for media in session.media_refs() {
                    assert!(
                        report.contains(media.media_id),
                        "{}: {}",
                        path.display(),
                        media.media_id
                    );
                }
                for check in &session.checks {
                    let ty = check
                        .check_type
                        .as_ref()
                        .map_or("(unknown type)", |t| t.as_str());
                    assert!(report.contains(ty), "{}: {ty}", path.display());
                }
                assert!(report.contains("Overall: "), "{}", path.display());
                // The client session token is a secret: only its TTL may be shown.
                if let Some(token) = &session.client_session_token {
                    with_token += 1;
                    assert!(
                        !report.contains(token.expose_secret()),
                        "{}: the client session token is in the report",
                        path.display()
                    );
                }
            }
        }
        assert!(seen >= 5, "only {seen} fixtures parsed");
        assert!(with_token >= 1, "no fixture has a client session token");
    }

    fn strip_ansi(text: &str) -> String {
        let mut out = String::new();
        let mut chars = text.chars();
        while let Some(c) = chars.next() {
            if c == '\x1b' {
                for d in chars.by_ref() {
                    if d == 'm' {
                        break;
                    }
                }
            } else {
                out.push(c);
            }
        }
        out
    }
}
