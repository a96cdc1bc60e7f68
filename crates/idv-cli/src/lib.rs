//! The library behind the `idv` command: the parts that are pure functions of a session, kept
//! apart from the commands so that they can be tested and benchmarked on their own.
//!
//! * [`report`]: the readable session report and its verdict;
//! * [`pull_plan`]: which media `idv media pull` downloads, and under which file names
//!   ([`naming`]), with the context written to `index.json` ([`index_json`]);
//! * [`terminal_safe`]: server text made safe to print, used by every output of the command;
//! * [`private_files`]: private directories and atomically written files;
//! * [`byte_size`]: sizes typed by people (`2GiB`, `500MB`), for `--max-bytes`;
//! * [`style`]: the report's colours.
//!
//! This is the command's internal library, not a stable API: depend on `idv-client` instead.

// docs.rs (nightly, `--cfg docsrs`) labels feature-gated items with the feature they need.
#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod byte_size;
pub mod index_json;
pub mod naming;
pub mod private_files;
pub mod pull_plan;
pub mod report;
mod session_index;
pub mod style;
pub mod terminal_safe;
