//! Placeholder until the store benchmarks land.
fn main() {}
