//! The checks part of the report: each check's outcome, reason, resources, breakdown and
//! generated media.

use std::fmt::Write as _;

use idv_model::{Breakdown, Check, CheckState, Recommendation, RecommendationValue, ResourceRef};

use super::resources::describe_resource;
use super::{ReportWriter, media_lines};
use crate::style::Style;
use crate::terminal_safe::terminal_safe;

fn recommendation_style(value: Option<&RecommendationValue>) -> Style {
    match value {
        Some(RecommendationValue::Approve) => Style::Green,
        Some(RecommendationValue::Reject) => Style::Red,
        _ => Style::Yellow,
    }
}

fn result_style(result: &str) -> Style {
    match result {
        "PASS" => Style::Green,
        "FAIL" => Style::Red,
        _ => Style::Yellow,
    }
}

fn recommendation_of(check: &Check) -> Option<&Recommendation> {
    check
        .report
        .as_ref()
        .and_then(|r| r.recommendation.as_ref())
}

impl ReportWriter<'_> {
    pub(super) fn checks_section(&mut self) {
        let session = self.session;
        self.heading(
            &format!("Checks ({})", session.checks.len()),
            session.checks.is_empty(),
        );
        for (position, check) in session.checks.iter().enumerate() {
            self.check(position, check);
        }
    }

    fn check(&mut self, position: usize, check: &Check) {
        self.check_line(check);
        if let Some(id) = &check.id {
            let id = self.paint(id, Style::Dim);
            let _ = writeln!(self.out, "      id: {id}");
        }
        if let Some(recommendation) = recommendation_of(check) {
            self.reason(recommendation);
        }
        self.resources_used(check);
        self.breakdown(check);
        self.watchlist_hits(check);
        self.generated_media(position);
    }

    /// `  ID_DOCUMENT_AUTHENTICITY  DONE  REJECT  scheme UK_DBS`
    fn check_line(&mut self, check: &Check) {
        let check_type = check
            .check_type
            .as_ref()
            .map_or("(unknown type)", |t| t.as_str());
        let state = check.state.as_ref().map_or("(no state)", |s| s.as_str());
        let state_style = if check.state == Some(CheckState::Done) {
            Style::Green
        } else {
            Style::Yellow
        };
        let value = recommendation_of(check).and_then(|r| r.value.as_ref());
        let value_text = value.map_or("(no recommendation)", |v| v.as_str());
        let _ = write!(
            self.out,
            "  {}  {}  {}",
            self.paint(check_type, Style::Bold),
            self.paint(state, state_style),
            self.paint(value_text, recommendation_style(value))
        );
        if let Some(scheme) = &check.scheme {
            let _ = write!(self.out, "  scheme {}", terminal_safe(scheme));
        }
        self.out.push('\n');
    }

    /// `      reason: PICTURE_TOO_DARK (suggestion: BETTER_LIGHTING)`
    fn reason(&mut self, recommendation: &Recommendation) {
        let Some(reason) = recommendation.reason.as_deref() else {
            return;
        };
        let _ = write!(self.out, "      reason: {}", terminal_safe(reason));
        if let Some(suggestion) = recommendation.recovery_suggestion.as_deref() {
            let _ = write!(self.out, " (suggestion: {})", terminal_safe(suggestion));
        }
        self.out.push('\n');
    }

    /// `      resources used: PASSPORT GBR (3332241d), applicant profile (9ab4729c)`
    fn resources_used(&mut self, check: &Check) {
        if check.resources_used.is_empty() {
            return;
        }
        let _ = write!(self.out, "      resources used: ");
        for (i, id) in check.resources_used.iter().enumerate() {
            if i > 0 {
                self.out.push_str(", ");
            }
            let label = self.resource_label(id);
            let _ = write!(self.out, "{}", terminal_safe(&label));
        }
        self.out.push('\n');
    }

    /// A short label for a resource in a check's "used" list: `PASSPORT GBR (3332241d)`.
    fn resource_label(&self, id: &str) -> String {
        let short: String = id.chars().take(8).collect();
        match self.index.resource_by_id(id) {
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

    fn breakdown(&mut self, check: &Check) {
        let items = check
            .report
            .as_ref()
            .map(|r| r.breakdown.as_slice())
            .unwrap_or_default();
        if items.is_empty() {
            let _ = writeln!(self.out, "      breakdown: none");
            return;
        }
        let _ = writeln!(self.out, "      breakdown:");
        for item in items {
            self.breakdown_line(item);
        }
    }

    /// `        document_in_date  FAIL  AUTOMATED  (expiry=2001-01-01)`
    fn breakdown_line(&mut self, item: &Breakdown) {
        let result = item.result.as_ref().map_or("(no result)", |r| r.as_str());
        let sub_check = item.sub_check.as_deref().unwrap_or("(unnamed sub-check)");
        let _ = write!(
            self.out,
            "        {}  {}",
            terminal_safe(sub_check),
            self.paint(result, result_style(result))
        );
        if let Some(process) = &item.process {
            let _ = write!(self.out, "  {}", self.paint(process, Style::Dim));
        }
        for (i, detail) in item.details.iter().enumerate() {
            let _ = write!(
                self.out,
                "{}{}={}",
                if i == 0 { "  (" } else { ", " },
                terminal_safe(detail.name.as_deref().unwrap_or("?")),
                terminal_safe(detail.value.as_deref().unwrap_or(""))
            );
        }
        if !item.details.is_empty() {
            self.out.push(')');
        }
        self.out.push('\n');
    }

    fn watchlist_hits(&mut self, check: &Check) {
        let hits = check
            .report
            .as_ref()
            .and_then(|r| r.watchlist_summary.as_ref())
            .and_then(|w| w.total_hits.as_ref());
        if let Some(hits) = hits {
            let _ = writeln!(self.out, "      watchlist hits: {hits}");
        }
    }

    fn generated_media(&mut self, position: usize) {
        let media = self.index.media_of_check(position);
        if media.is_empty() {
            return;
        }
        let _ = writeln!(self.out, "      media:");
        media_lines::write(&mut self.out, &media, "        ", self.color);
    }
}
