"""Measurements: `python -m eval.figures` (checker recall on mutated texts), eval/retrieval, eval/drafting."""
