//! Documents built to make a typed parse use as much memory per document byte as possible
//! (shared by `tests/memory_bound.rs` and `examples/peak_memory.rs`).

/// Which model type a case parses as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    /// `idv_model::Session`.
    Session,
    /// `idv_model::TrackedDevices` (a top-level list).
    TrackedDevices,
    /// `idv_model::SessionConfiguration`.
    SessionConfiguration,
}

/// One worst case: a name, what it parses as, and a builder of a document of about `len` bytes.
pub struct Case {
    pub name: &'static str,
    pub target: Target,
    pub build: fn(usize) -> Vec<u8>,
}

/// `prefix` + `item` repeated (comma-separated) until the document is about `len` bytes + `suffix`.
fn repeat(prefix: &str, item: &str, suffix: &str, len: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(len + item.len() + suffix.len() + 1);
    out.extend_from_slice(prefix.as_bytes());
    let mut first = true;
    while out.len() + suffix.len() < len {
        if !first {
            out.push(b',');
        }
        out.extend_from_slice(item.as_bytes());
        first = false;
    }
    out.extend_from_slice(suffix.as_bytes());
    out
}

/// `prefix` + numbered items (`{i}` replaced by a counter, base 36) until about `len` bytes.
fn numbered(prefix: &str, item: &str, suffix: &str, len: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(len + 64);
    out.extend_from_slice(prefix.as_bytes());
    let mut i: u64 = 0;
    while out.len() + suffix.len() < len {
        if i > 0 {
            out.push(b',');
        }
        let mut n = i;
        let mut digits = Vec::new();
        loop {
            digits.push(b"0123456789abcdefghijklmnopqrstuvwxyz"[(n % 36) as usize]);
            n /= 36;
            if n == 0 {
                break;
            }
        }
        digits.reverse();
        let text = item.replace("{i}", std::str::from_utf8(&digits).unwrap());
        out.extend_from_slice(text.as_bytes());
        i += 1;
    }
    out.extend_from_slice(suffix.as_bytes());
    out
}

/// Arrays nested `depth` deep: `[[[…]]]`.
fn nested(depth: usize) -> String {
    format!("{}{}", "[".repeat(depth), "]".repeat(depth))
}

pub const CASES: &[Case] = &[
    Case {
        name: "empty checks {\"checks\":[{},…]}",
        target: Target::Session,
        build: |n| repeat(r#"{"checks":["#, "{}", "]}", n),
    },
    Case {
        name: "empty share codes (largest list element)",
        target: Target::Session,
        build: |n| repeat(r#"{"resources":{"share_codes":["#, "{}", "]}}", n),
    },
    Case {
        name: "null fields {\"id\":null}",
        target: Target::Session,
        build: |n| repeat(r#"{"checks":["#, r#"{"id":null}"#, "]}", n),
    },
    Case {
        name: "empty frames of one page",
        target: Target::Session,
        build: |n| {
            repeat(
                r#"{"resources":{"id_documents":[{"pages":[{"frames":["#,
                "{}",
                "]}]}]}}",
                n,
            )
        },
    },
    Case {
        name: "boxed watchlist summaries, deepest model nesting",
        target: Target::Session,
        build: |n| {
            repeat(
                r#"{"checks":["#,
                r#"{"report":{"watchlist_summary":{"search_config":{"sources":{},"matching_strategy":{}}}}}"#,
                "]}",
                n,
            )
        },
    },
    Case {
        name: "empty strings in a list",
        target: Target::Session,
        build: |n| repeat(r#"{"checks":[{"resources_used":["#, r#""""#, "]}]}", n),
    },
    Case {
        name: "one-character strings in a list",
        target: Target::Session,
        build: |n| repeat(r#"{"checks":[{"resources_used":["#, r#""a""#, "]}]}", n),
    },
    Case {
        name: "unknown enum values",
        target: Target::Session,
        build: |n| repeat(r#"{"checks":["#, r#"{"type":"X"}"#, "]}", n),
    },
    Case {
        name: "one unknown key per check",
        target: Target::Session,
        build: |n| repeat(r#"{"checks":["#, r#"{"x":0}"#, "]}", n),
    },
    Case {
        name: "many unknown keys in one object",
        target: Target::Session,
        build: |n| numbered("{", r#""{i}":0"#, "}", n),
    },
    Case {
        name: "unknown array of zeros",
        target: Target::Session,
        build: |n| repeat(r#"{"x":["#, "0", "]}", n),
    },
    Case {
        name: "unknown array of empty objects",
        target: Target::Session,
        build: |n| repeat(r#"{"x":["#, "{}", "]}", n),
    },
    Case {
        name: "unknown array of one-key objects",
        target: Target::Session,
        build: |n| repeat(r#"{"x":["#, r#"{"a":0}"#, "]}", n),
    },
    Case {
        name: "unknown arrays nested 120 deep",
        target: Target::Session,
        build: |n| repeat(r#"{"x":["#, &nested(120), "]}", n),
    },
    Case {
        name: "watchlist tags map",
        target: Target::Session,
        build: |n| {
            numbered(
                r#"{"checks":[{"report":{"watchlist_summary":{"search_config":{"tags":{"#,
                r#""{i}":"""#,
                "}}}}}]}",
                n,
            )
        },
    },
    Case {
        name: "attempts_remaining map",
        target: Target::SessionConfiguration,
        build: |n| {
            numbered(
                r#"{"capture":{"required_resources":[{"attempts_remaining":{"#,
                r#""{i}":0"#,
                "}}]}}",
                n,
            )
        },
    },
    Case {
        name: "tracked devices [{},…] (top-level list)",
        target: Target::TrackedDevices,
        build: |n| repeat("[", "{}", "]", n),
    },
];

/// Parses `doc` as the case's target; `Ok(())` or the parse error.
pub fn parse(target: Target, doc: &[u8]) -> Result<(), idv_model::ParseError> {
    match target {
        Target::Session => idv_model::parse_session(doc).map(drop),
        Target::TrackedDevices => idv_model::from_slice::<idv_model::TrackedDevices>(doc).map(drop),
        Target::SessionConfiguration => {
            idv_model::from_slice::<idv_model::SessionConfiguration>(doc).map(drop)
        }
    }
}
