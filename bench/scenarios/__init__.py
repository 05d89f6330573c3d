"""Benchmark scenarios, one module per area; each defines SCENARIOS."""
