//! The `idv` command.

fn main() {}
