"""Benchmarks: ``python -m bench [core|web|pdf|store|load|guard|all]`` (see docs/bench.md)."""
