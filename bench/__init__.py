"""Benchmarks: the scenarios, the runner and the mixed load (docs/performance.md)."""
