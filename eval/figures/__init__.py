"""Figure checker measurements: `python -m eval.figures` (mutation harness), `python -m eval.figures.bench`."""
from .harness import HarnessResult, format_table, run

__all__ = ["run", "format_table", "HarnessResult"]
