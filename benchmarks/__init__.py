"""Benchmarks of jwstmodels beside the reference implementation (stdatamodels) and the I/O floor.

`make bench` runs them; `python -m benchmarks.run --help` lists the options. See `benchmarks/run.py`.
"""
