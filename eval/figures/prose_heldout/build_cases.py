#!/usr/bin/env python3
"""Regenerate `texts/` and `cases.yaml` from `spec/`: the realdata set's `build_cases.py`
(../prose/build_cases.py), run on this folder with this set's name.

    python3 build_cases.py
"""
import importlib.util
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
_spec = importlib.util.spec_from_file_location("prose_build_cases", HERE.parent / "prose" / "build_cases.py")
build_cases = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(build_cases)

if __name__ == "__main__":
    sys.exit(build_cases.main(HERE, "heldout", "held-out realdata inputs"))
