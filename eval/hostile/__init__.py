"""Hostile-input benchmark: time and peak memory of every case in `tests/hostile.py`."""
