#!/usr/bin/env python3
"""Re-derive every figure of this set's clean texts from its data and prove every corruption false:
the realdata set's `check_truth.py` (../prose/check_truth.py), run on this folder.

    python3 check_truth.py [-v]          # prints ok, exit 0, when every case holds
"""
import importlib.util
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
_spec = importlib.util.spec_from_file_location("prose_check_truth", HERE.parent / "prose" / "check_truth.py")
check_truth = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(check_truth)

if __name__ == "__main__":
    sys.exit(check_truth.main(sys.argv[1:], HERE))
