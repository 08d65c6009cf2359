"""Benchmarks: ``python -m bench [core|web|pdf|all]``."""
