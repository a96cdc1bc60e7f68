//! `idv-transport`: see the crate README.
