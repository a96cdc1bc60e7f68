//! File names for downloaded media: safe, unique case-insensitively, never reserved on Windows.
//!
//! Names come from the session (server data), so every component is cleaned: only
//! `[A-Za-z0-9_-]` (and `.` where an extension may follow), no leading or trailing dot, at most
//! [`MAX_COMPONENT_LEN`] characters, and never a Windows device name (`CON`, `NUL`, `COM1`…,
//! which would open the device instead of a file). [`FileNamer`] hands out names that differ
//! case-insensitively, so two ids differing only in case never share a file or a directory on
//! macOS or Windows.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasher, Hasher, RandomState};
use std::path::{Path, PathBuf};

/// The longest file-name component written (file systems allow 255 bytes; room is left for
/// suffixes and extensions).
pub const MAX_COMPONENT_LEN: usize = 100;

/// The file extension (without the dot) for a content type, from the one table the sandbox and
/// the client use too ([`idv_model::content_type::extension_for`]: parameters, case and aliases
/// ignored). Unknown types fall back to the media `type` of the session (`IMAGE`, `JSON`,
/// `PDF`), then `bin`.
pub fn extension_for(content_type: Option<&str>, media_type: Option<&str>) -> &'static str {
    content_type
        .and_then(idv_model::content_type::extension_for)
        .unwrap_or_else(
            || match media_type.map(str::to_ascii_uppercase).as_deref() {
                Some("JSON") => "json",
                Some("PDF") => "pdf",
                Some("IMAGE") => "img",
                _ => "bin",
            },
        )
}

/// Whether Windows reserves `name` for a device: `CON`, `PRN`, `AUX`, `NUL`, `COM0`–`COM9`,
/// `LPT0`–`LPT9`, in any case, alone or followed by an extension (`nul.json` is reserved too).
pub fn is_windows_reserved(name: &str) -> bool {
    let base = name.split('.').next().unwrap_or(name).to_ascii_uppercase();
    match base.as_str() {
        "CON" | "PRN" | "AUX" | "NUL" => true,
        _ => {
            base.len() == 4
                && (base.starts_with("COM") || base.starts_with("LPT"))
                && base.as_bytes()[3].is_ascii_digit()
        }
    }
}

/// One cleaned path component, or `None` when nothing is left (`.`, `..`, empty). Characters
/// outside `[A-Za-z0-9_-]` (and `.` when `keep_dots`) become `_`; leading and trailing dots go;
/// the result is cut to [`MAX_COMPONENT_LEN`] and a reserved name gets `_` after its base.
fn safe_component(part: &str, keep_dots: bool) -> Option<Cow<'_, str>> {
    let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, '_' | '-');
    // The usual case, a component of a model path hint: already clean, nothing to allocate.
    if !part.is_empty()
        && part.len() <= MAX_COMPONENT_LEN
        && part.chars().all(allowed)
        && !is_windows_reserved(part)
    {
        return Some(Cow::Borrowed(part));
    }
    let cleaned: String = part
        .trim_start_matches('.')
        .chars()
        .map(|c| {
            if allowed(c) || (keep_dots && c == '.') {
                c
            } else {
                '_'
            }
        })
        .take(MAX_COMPONENT_LEN)
        .collect();
    let cleaned = cleaned.trim_end_matches('.');
    if cleaned.is_empty() {
        return None;
    }
    if !is_windows_reserved(cleaned) {
        return Some(Cow::Owned(cleaned.to_owned()));
    }
    let base_len = cleaned.find('.').unwrap_or(cleaned.len());
    Some(Cow::Owned(format!(
        "{}_{}",
        &cleaned[..base_len],
        &cleaned[base_len..]
    )))
}

/// Turn a slash-separated hint from the session (untrusted server data) into a relative path that
/// cannot escape the output directory: empty, `.` and `..` components are dropped, every
/// character outside `[A-Za-z0-9._-]` becomes `_`, and components are cleaned as described in
/// the [module documentation](self).
pub fn safe_relative_path(hint: &str) -> PathBuf {
    let mut path: PathBuf = hint
        .split(['/', '\\'])
        .filter_map(|part| safe_component(part, true))
        .map(Cow::into_owned)
        .collect();
    if path.as_os_str().is_empty() {
        path.push("media");
    }
    path
}

/// `dir/name` (`name` alone when `dir` is empty).
fn join(dir: &str, name: &str) -> String {
    if dir.is_empty() {
        name.to_owned()
    } else {
        format!("{dir}/{name}")
    }
}

/// Hands out relative file stems (no extension: it comes from the content type once the
/// download has started) that are unique even where file names ignore case.
///
/// * A file stem that is taken gets the media id appended, then `-2`, `-3`…
/// * A directory of the hint whose name another directory already takes in another case
///   (`face_capture/abcdefgh` after `face_capture/ABCDEFGH`) becomes `NAME-2`, `NAME-3`…; every
///   later hint under the same directory goes to the same renamed directory.
/// * Stems have no dots, so `stem.ext` is never another stem's file or a directory.
/// * `index` at the top is kept for `index.json`.
///
/// Each call costs time linear in the hint's length, however many names clash.
#[derive(Debug)]
pub struct FileNamer {
    /// Every file stem and directory handed out, by [`FileNamer::key`].
    taken: HashSet<u64>,
    /// Where each directory path of a hint (as cleaned, and each of its prefixes) was put.
    dirs: HashMap<String, String>,
    /// The next number to try after each base that clashed, by [`FileNamer::key`].
    next_number: HashMap<u64, u64>,
    /// Keys the hashes of names (random per run).
    hasher: RandomState,
}

impl Default for FileNamer {
    fn default() -> Self {
        FileNamer::with_capacity(0)
    }
}

impl FileNamer {
    /// A namer with room for about `files` names (no rehashing while they are handed out).
    pub fn with_capacity(files: usize) -> Self {
        let mut namer = FileNamer {
            taken: HashSet::with_capacity(files.saturating_add(1)),
            dirs: HashMap::new(),
            next_number: HashMap::new(),
            hasher: RandomState::new(),
        };
        let index = namer.key("", "index");
        namer.taken.insert(index);
        namer
    }

    /// The key of `name` inside the relative directory `dir`, ignoring ASCII case: a keyed
    /// 64-bit hash of `dir/name` lower-cased, so that the sets stay small and nothing is
    /// allocated. The key is random per run, so a server cannot aim at collisions; and a
    /// collision could only make a free name look taken (one more suffix), never hand a name
    /// out twice.
    fn key(&self, dir: &str, name: &str) -> u64 {
        let mut hasher = self.hasher.build_hasher();
        let mut buffer = [0u8; 64];
        for part in [dir.as_bytes(), b"/", name.as_bytes()] {
            for chunk in part.chunks(buffer.len()) {
                let lower = &mut buffer[..chunk.len()];
                lower.copy_from_slice(chunk);
                lower.make_ascii_lowercase();
                hasher.write(lower);
            }
        }
        hasher.finish()
    }

    /// A unique relative stem for a media item.
    pub fn stem(&mut self, hint: &str, media_id: &str) -> PathBuf {
        let mut parts: Vec<Cow<'_, str>> = hint
            .split(['/', '\\'])
            .filter_map(|part| safe_component(part, false))
            .collect();
        let file = parts.pop().unwrap_or(Cow::Borrowed("media"));
        let dir = match self.dirs.get(parts.join("/").as_str()) {
            Some(dir) => dir.clone(),
            None => self.directory(&parts),
        };
        let name = self.file_name(&dir, &file, media_id);
        let mut stem: PathBuf = dir.split('/').filter(|p| !p.is_empty()).collect();
        stem.push(name);
        stem
    }

    /// The directory for the hint's directory components, claiming each new one.
    fn directory(&mut self, parts: &[Cow<'_, str>]) -> String {
        let mut spelled = String::new();
        let mut resolved = String::new();
        for part in parts {
            spelled = join(&spelled, part);
            if let Some(existing) = self.dirs.get(&spelled) {
                resolved.clone_from(existing);
                continue;
            }
            let name = self.claim(&resolved, part);
            resolved = join(&resolved, &name);
            self.dirs.insert(spelled.clone(), resolved.clone());
        }
        resolved
    }

    fn file_name(&mut self, dir: &str, file: &str, media_id: &str) -> String {
        if self.taken.insert(self.key(dir, file)) {
            return file.to_owned();
        }
        let id = safe_component(media_id, false).unwrap_or(Cow::Borrowed("media"));
        self.claim(dir, &format!("{file}-{id}"))
    }

    /// `base` if free in `dir`, else the first free `base-N` (N from 2, remembered per base so
    /// that repeated clashes stay linear).
    fn claim(&mut self, dir: &str, base: &str) -> String {
        let counter = self.key(dir, base);
        if self.taken.insert(counter) {
            return base.to_owned();
        }
        let mut n = self.next_number.get(&counter).copied().unwrap_or(2);
        loop {
            let name = format!("{base}-{n}");
            n += 1;
            if self.taken.insert(self.key(dir, &name)) {
                self.next_number.insert(counter, n);
                return name;
            }
        }
    }
}

/// `stem` with `.ext` appended to its file name (the stem may itself contain dots).
pub fn with_ext(stem: &Path, ext: &str) -> PathBuf {
    let mut name = stem
        .file_name()
        .map(|s| s.to_os_string())
        .unwrap_or_default();
    name.push(".");
    name.push(ext);
    stem.with_file_name(name)
}

/// The path as written in `index.json`: always `/`-separated.
pub fn index_path(path: &Path) -> String {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extensions_come_from_the_content_type() {
        assert_eq!(extension_for(Some("image/jpeg"), Some("IMAGE")), "jpg");
        assert_eq!(extension_for(Some("IMAGE/PNG; charset=x"), None), "png");
        assert_eq!(
            extension_for(Some("application/json; charset=utf-8"), None),
            "json"
        );
        assert_eq!(extension_for(Some("application/pdf"), None), "pdf");
        assert_eq!(extension_for(Some("application/vnd.x+json"), None), "json");
        assert_eq!(
            extension_for(Some("application/x-unknown"), Some("JSON")),
            "json"
        );
        assert_eq!(extension_for(None, Some("IMAGE")), "img");
        assert_eq!(extension_for(None, None), "bin");
    }

    #[test]
    fn hints_cannot_escape_the_directory() {
        assert_eq!(
            safe_relative_path("../../etc/passwd"),
            PathBuf::from("etc/passwd")
        );
        assert_eq!(safe_relative_path("/abs/./x y"), PathBuf::from("abs/x_y"));
        assert_eq!(safe_relative_path("..hidden"), PathBuf::from("hidden"));
        assert_eq!(safe_relative_path(""), PathBuf::from("media"));
        assert_eq!(safe_relative_path("a./b.."), PathBuf::from("a/b"));
        assert_eq!(
            safe_relative_path("id_documents/PASSPORT-GBR/page-1/frame-2"),
            PathBuf::from("id_documents/PASSPORT-GBR/page-1/frame-2")
        );
        let long = "x".repeat(500);
        assert_eq!(
            safe_relative_path(&long),
            PathBuf::from("x".repeat(MAX_COMPONENT_LEN))
        );
    }

    #[test]
    fn windows_device_names_are_never_used() {
        for name in [
            "CON",
            "con",
            "Prn",
            "AUX",
            "nul",
            "COM1",
            "com9",
            "COM0",
            "LPT1",
            "lpt9",
            "NUL.json",
            "con.tar.gz",
        ] {
            assert!(is_windows_reserved(name), "{name}");
        }
        for name in [
            "CONSOLE", "COM10", "LPT", "COMA", "NULL", "icon", "x.CON", "COM1-2",
        ] {
            assert!(!is_windows_reserved(name), "{name}");
        }
        assert_eq!(safe_relative_path("a/CON"), PathBuf::from("a/CON_"));
        assert_eq!(safe_relative_path("nul.json"), PathBuf::from("nul_.json"));
        let mut namer = FileNamer::default();
        assert_eq!(index_path(&namer.stem("aux/com1", "m1")), "aux_/com1_");
        assert_eq!(index_path(&namer.stem("Lpt3", "m2")), "Lpt3_");
        assert_eq!(index_path(&namer.stem("x/prn.json", "m3")), "x/prn_json");
        for stem in ["aux_/com1_", "Lpt3_", "x/prn_json"] {
            for part in stem.split('/') {
                assert!(!is_windows_reserved(&format!("{part}.jpg")), "{part}");
            }
        }
    }

    #[test]
    fn clashing_names_get_the_media_id() {
        let mut namer = FileNamer::default();
        let a = namer.stem("id_documents/PASSPORT-GBR/page-1/image", "m1");
        let b = namer.stem("id_documents/PASSPORT-GBR/page-1/image", "m2");
        let c = namer.stem("id_documents/PASSPORT-GBR/page-1/image", "m2");
        assert_eq!(
            index_path(&with_ext(&a, "jpg")),
            "id_documents/PASSPORT-GBR/page-1/image.jpg"
        );
        assert_eq!(
            index_path(&with_ext(&b, "jpg")),
            "id_documents/PASSPORT-GBR/page-1/image-m2.jpg"
        );
        assert_eq!(
            index_path(&c),
            "id_documents/PASSPORT-GBR/page-1/image-m2-2"
        );
    }

    #[test]
    fn names_differing_only_in_case_never_share_a_file_or_directory() {
        let mut namer = FileNamer::default();
        let stems: Vec<String> = [
            ("face_capture/abcdefgh/image", "abcdefgh-1"),
            ("face_capture/ABCDEFGH/image", "ABCDEFGH-1"),
            ("face_capture/AbCdEfGh/image", "AbCdEfGh-1"),
            // Later media of the same directory stay together.
            ("face_capture/ABCDEFGH/tasks/T-1/generated_media-1", "g1"),
            ("face_capture/abcdefgh/tasks/T-1/generated_media-1", "g2"),
            // File names differing only in case, and ids differing only in case.
            ("checks/C/report", "id-a"),
            ("checks/C/REPORT", "ID-A"),
            ("checks/C/Report", "id-A"),
            ("checks/C/rePort", "Id-a"),
        ]
        .iter()
        .map(|(hint, id)| index_path(&namer.stem(hint, id)))
        .collect();
        assert_eq!(
            stems,
            [
                "face_capture/abcdefgh/image",
                "face_capture/ABCDEFGH-2/image",
                "face_capture/AbCdEfGh-3/image",
                "face_capture/ABCDEFGH-2/tasks/T-1/generated_media-1",
                "face_capture/abcdefgh/tasks/T-1/generated_media-1",
                "checks/C/report",
                "checks/C/REPORT-ID-A",
                "checks/C/Report-id-A-2",
                "checks/C/rePort-Id-a-3",
            ]
        );
        let lower: HashSet<String> = stems.iter().map(|s| s.to_ascii_lowercase()).collect();
        assert_eq!(lower.len(), stems.len());
        // No file stem is also a directory (case-insensitively).
        for stem in &stems {
            let prefix = format!("{}/", stem.to_ascii_lowercase());
            assert!(
                !stems
                    .iter()
                    .any(|s| s.to_ascii_lowercase().starts_with(&prefix)),
                "{stem}"
            );
        }
    }

    #[test]
    fn the_index_name_is_kept_and_many_clashes_stay_cheap() {
        let mut namer = FileNamer::default();
        assert_eq!(index_path(&namer.stem("index", "m")), "index-m");
        // 20,000 media with one hint and ids that clean to one name: each gets its own stem.
        let mut seen = HashSet::new();
        for i in 0..20_000 {
            let id = if i % 2 == 0 { "a.b" } else { "A_B" };
            let stem = index_path(&namer.stem("x/image", id)).to_ascii_lowercase();
            assert!(seen.insert(stem), "stem handed out twice at {i}");
        }
    }
}
