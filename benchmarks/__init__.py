"""Benchmarks: scripts that print figures with their floors. Run them with `make bench`."""
