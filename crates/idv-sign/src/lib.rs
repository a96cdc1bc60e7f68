//! `idv-sign`: see the crate README.
