//! `idv-sandbox`: see the crate README.
