//! Filesystem-safe, unique labels for the resources, tasks and checks of a session.
//!
//! Labels become directory names (see [`MediaLocation::path_hint`](crate::MediaLocation)), so
//! they must stay distinct on case-insensitive file systems (macOS, Windows) and must never be a
//! name Windows reserves for a device.

use std::collections::{HashMap, HashSet};

use crate::{ResourceKey, ResourceKind};

/// A filesystem-safe path segment: `[A-Za-z0-9_-]`, at most 64 characters, never empty.
pub(crate) fn safe_segment(text: &str) -> String {
    let s: String = text
        .chars()
        .take(64)
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if s.is_empty() {
        "unknown".to_owned()
    } else {
        s
    }
}

/// The first eight characters of an id, made safe; `n<index + 1>` without an id.
pub(crate) fn short_id(id: Option<&str>, index: usize) -> String {
    match id {
        Some(id) if !id.is_empty() => safe_segment(&id.chars().take(8).collect::<String>()),
        _ => format!("n{}", index + 1),
    }
}

/// Whether Windows reserves `name` for a device (`CON`, `PRN`, `AUX`, `NUL`, `COM1`–`COM9`,
/// `LPT1`–`LPT9`, in any case, with or without an extension). Such a file or directory cannot
/// be created there.
pub(crate) fn is_windows_reserved(name: &str) -> bool {
    let stem = name.split('.').next().unwrap_or(name).trim_end_matches(' ');
    let upper = stem.to_ascii_uppercase();
    match upper.as_bytes() {
        b"CON" | b"PRN" | b"AUX" | b"NUL" => true,
        [b'C', b'O', b'M', d] | [b'L', b'P', b'T', d] => (b'1'..=b'9').contains(d),
        // `COM¹`–`COM³` and `LPT¹`–`LPT³` are reserved too.
        _ => ["COM", "LPT"].iter().any(|prefix| {
            upper
                .strip_prefix(prefix)
                .is_some_and(|rest| matches!(rest, "¹" | "²" | "³"))
        }),
    }
}

/// Makes labels unique, comparing them case-insensitively, and never a reserved name.
///
/// A label that is unique (ignoring case) and not reserved is kept as it is; a label shared by
/// several entries, or reserved, gets `-N` (N = index + 1), and in the rare case that this
/// collides with another entry's label, `_2`, `_3`, … after that. Unique labels are claimed
/// first, so a label never changes because of a later entry, and the work stays linear: `-N`
/// labels cannot collide with each other (the last `-` splits off a distinct N), only with a
/// kept label, which each candidate `…-N_k` can name only once.
pub(crate) fn unique_labels(bases: Vec<String>) -> Vec<String> {
    let folded: Vec<String> = bases.iter().map(|b| b.to_ascii_lowercase()).collect();
    let mut counts: HashMap<&str, usize> = HashMap::with_capacity(bases.len());
    for f in &folded {
        *counts.entry(f.as_str()).or_default() += 1;
    }
    let keeps =
        |i: usize| counts.get(folded[i].as_str()) == Some(&1) && !is_windows_reserved(&bases[i]);
    let mut used: HashSet<String> = (0..bases.len())
        .filter(|&i| keeps(i))
        .map(|i| folded[i].clone())
        .collect();
    bases
        .iter()
        .enumerate()
        .map(|(i, base)| {
            if keeps(i) {
                return base.clone();
            }
            let stem = format!("{base}-{}", i + 1);
            let mut label = stem.clone();
            let mut k = 1usize;
            while !used.insert(label.to_ascii_lowercase()) {
                k += 1;
                label = format!("{stem}_{k}");
            }
            label
        })
        .collect()
}

/// `DOCUMENT_TYPE-COUNTRY`, each part made safe.
pub(crate) fn document_label(document_type: Option<&str>, country: Option<&str>) -> String {
    format!(
        "{}-{}",
        safe_segment(document_type.unwrap_or("UNKNOWN")),
        safe_segment(country.unwrap_or("UNKNOWN"))
    )
}

/// `TYPE-<short id>` (the type made safe, `UNKNOWN` without one): the base label of a task, a
/// check or a liveness capture.
pub(crate) fn typed_label(type_name: Option<&str>, id: Option<&str>, index: usize) -> String {
    format!(
        "{}-{}",
        safe_segment(type_name.unwrap_or("UNKNOWN")),
        short_id(id, index)
    )
}

/// Keys for documents labelled `DOCUMENT_TYPE-COUNTRY`, from each one's id, document type and
/// issuing country.
pub(crate) fn document_keys<'a>(
    kind: ResourceKind,
    documents: impl Iterator<Item = (Option<&'a str>, Option<&'a str>, Option<&'a str>)>,
) -> Vec<ResourceKey> {
    keys(
        kind,
        documents
            .map(|(id, document_type, country)| (id, document_label(document_type, country)))
            .collect(),
    )
}

/// Keys for resources labelled by their short id alone (face captures, applicant profiles,
/// share codes).
pub(crate) fn id_keys<'a>(
    kind: ResourceKind,
    ids: impl Iterator<Item = Option<&'a str>>,
) -> Vec<ResourceKey> {
    keys(
        kind,
        ids.enumerate()
            .map(|(i, id)| (id, short_id(id, i)))
            .collect(),
    )
}

/// Keys for the resources of one kind from their ids and base labels.
pub(crate) fn keys(kind: ResourceKind, items: Vec<(Option<&str>, String)>) -> Vec<ResourceKey> {
    let (ids, bases): (Vec<_>, Vec<_>) = items.into_iter().unzip();
    unique_labels(bases)
        .into_iter()
        .zip(ids)
        .enumerate()
        .map(|(index, (label, id))| ResourceKey {
            kind,
            index,
            id: id.map(str::to_owned),
            label,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(bases: &[&str]) -> Vec<String> {
        unique_labels(bases.iter().map(|b| (*b).to_owned()).collect())
    }

    #[test]
    fn reserved_names_in_any_case_and_with_extensions() {
        for name in [
            "CON",
            "con",
            "Prn",
            "aux",
            "NUL",
            "nul.txt",
            "COM1",
            "com9",
            "LPT1",
            "lpt9.json",
            "CON.tar.gz",
            "COM¹",
            "lpt³",
            "NUL ",
        ] {
            assert!(is_windows_reserved(name), "{name}");
        }
        for name in [
            "CONX", "COM0", "COM10", "LPT", "NULL", "con-1", "n1", "CON_", "xCON", "", "COM",
        ] {
            assert!(!is_windows_reserved(name), "{name}");
        }
    }

    #[test]
    fn labels_differ_ignoring_case() {
        let out = labels(&["abcdefgh", "ABCDEFGH", "AbCdEfGh", "other"]);
        assert_eq!(out, ["abcdefgh-1", "ABCDEFGH-2", "AbCdEfGh-3", "other"]);
    }

    #[test]
    fn reserved_labels_get_a_suffix() {
        assert_eq!(
            labels(&["CON", "nul", "com1", "ok"]),
            ["CON-1", "nul-2", "com1-3", "ok"]
        );
    }

    #[test]
    fn kept_labels_win_over_suffixed_ones() {
        // "a-2" is unique and kept; the second "a" would become "a-2" too, so it moves on.
        let out = labels(&["a", "a", "A-2", "a-2_2"]);
        assert_eq!(out, ["a-1", "a-2_3", "A-2", "a-2_2"]);
        let folded: HashSet<String> = out.iter().map(|l| l.to_ascii_lowercase()).collect();
        assert_eq!(folded.len(), out.len());
    }

    #[test]
    fn many_collisions_stay_unique() {
        let bases: Vec<String> = (0..2_000)
            .map(|i| {
                if i % 2 == 0 {
                    "X".to_owned()
                } else {
                    format!("x-{}", i + 2)
                }
            })
            .collect();
        let out = unique_labels(bases);
        let folded: HashSet<String> = out.iter().map(|l| l.to_ascii_lowercase()).collect();
        assert_eq!(folded.len(), out.len());
        assert!(out.iter().all(|l| !is_windows_reserved(l)));
    }
}
