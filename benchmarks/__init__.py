"""Benchmarks: scripts that print figures, mostly ratios measured in one run.

`make bench` runs every `benchmarks/bench_*.py` in name order. Each module has a
`main()` that prints its own figures. Nothing here is a test: no figure fails a build.
"""
