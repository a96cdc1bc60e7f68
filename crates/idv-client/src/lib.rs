//! `idv-client`: see the crate README.
