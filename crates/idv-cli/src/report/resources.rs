//! The resources part of the report: each resource with its tasks, its media and the checks
//! that used it.

use std::collections::HashMap;
use std::fmt::Write as _;

use idv_model::ResourceRef;

use super::{ReportWriter, media_lines};
use crate::session_index::Place;
use crate::style::Style;
use crate::terminal_safe::terminal_safe;

/// A short human description of a resource: kind, document type and country. Server text, not
/// yet made terminal-safe.
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

fn pages_of(resource: &ResourceRef<'_>) -> Option<usize> {
    match resource {
        ResourceRef::IdDocument(d) => Some(d.pages.len()),
        ResourceRef::SupplementaryDocument(d) => Some(d.pages.len()),
        _ => None,
    }
}

fn source_of<'a>(resource: &ResourceRef<'a>) -> Option<&'a str> {
    resource
        .source()
        .and_then(|s| s.source_type())
        .map(|t| t.as_str())
}

impl ReportWriter<'_> {
    pub(super) fn resources_section(&mut self) {
        let count = self.index.resources.len();
        self.heading(&format!("Resources ({count})"), count == 0);
        for position in 0..count {
            let (resource, place) = (self.index.resources[position], self.index.places[position]);
            self.resource(&resource, place);
        }
    }

    fn resource(&mut self, resource: &ResourceRef<'_>, place: Place) {
        self.resource_line(resource);
        if let Some(id) = resource.id() {
            let id = self.paint(id, Style::Dim);
            let _ = writeln!(self.out, "      id: {id}");
        }
        self.tasks(resource);
        self.resource_media(place);
        if let Some(id) = resource.id() {
            self.used_by(id);
        }
    }

    /// `  ID document PASSPORT GBR  source IBV  1 page`
    fn resource_line(&mut self, resource: &ResourceRef<'_>) {
        let description = describe_resource(resource);
        let description = self.paint(&description, Style::Bold);
        let _ = write!(self.out, "  {description}");
        if let Some(source) = source_of(resource) {
            let _ = write!(self.out, "  source {}", terminal_safe(source));
        }
        if let Some(pages) = pages_of(resource) {
            let plural = if pages == 1 { "" } else { "s" };
            let _ = write!(self.out, "  {pages} page{plural}");
        }
        self.out.push('\n');
    }

    fn tasks(&mut self, resource: &ResourceRef<'_>) {
        for task in resource.tasks() {
            let task_type = task
                .task_type
                .as_ref()
                .map_or("(unknown type)", |t| t.as_str());
            let state = task.state.as_ref().map_or("(no state)", |s| s.as_str());
            let _ = writeln!(
                self.out,
                "      task {} {}",
                terminal_safe(task_type),
                terminal_safe(state)
            );
        }
    }

    fn resource_media(&mut self, place: Place) {
        let media = self.index.media_of_resource(place);
        if media.is_empty() {
            let _ = writeln!(self.out, "      media: none");
        } else {
            let _ = writeln!(self.out, "      media:");
            media_lines::write(&mut self.out, &media, "        ", self.color);
        }
    }

    /// `      used by: IBV_VISUAL_REVIEW_CHECK, PROFILE_DOCUMENT_MATCH x3`: check types in the
    /// order first seen, counted.
    fn used_by(&mut self, resource_id: &str) {
        let session = self.session;
        let mut names: Vec<(&str, usize)> = Vec::new();
        let mut position: HashMap<&str, usize> = HashMap::new();
        for &check in self.index.checks_using(resource_id) {
            let name = session.checks[check]
                .check_type
                .as_ref()
                .map_or("(unknown type)", |t| t.as_str());
            match position.get(name) {
                Some(&i) => names[i].1 += 1,
                None => {
                    position.insert(name, names.len());
                    names.push((name, 1));
                }
            }
        }
        if names.is_empty() {
            return;
        }
        let _ = write!(self.out, "      used by: ");
        for (i, (name, count)) in names.iter().enumerate() {
            let separator = if i == 0 { "" } else { ", " };
            let _ = write!(self.out, "{separator}{}", terminal_safe(name));
            if *count > 1 {
                let _ = write!(self.out, " x{count}");
            }
        }
        self.out.push('\n');
    }
}
