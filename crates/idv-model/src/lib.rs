//! `idv-model`: see the crate README.
