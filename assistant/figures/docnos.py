"""Document numbers known outside the data: those printed in the indexed corpus.

`corpus_docnos(dir)` reads every text file under a corpus directory once (cached by directory and
modification times) and returns the set of normalized document numbers (`财预〔2020〕10号`). The
index may supply its own set or a callable to `Ledger(known_docnos=…)` instead.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from .extract import extract

TEXT_SUFFIXES = (".txt", ".md")
NOT_CORPUS = ("SOURCES.md", "README.md")


def corpus_docnos(corpus_dir: str | Path) -> frozenset[str]:
    root = Path(corpus_dir)
    if not root.is_dir():
        return frozenset()
    files = tuple(sorted((str(p), p.stat().st_mtime) for p in root.rglob("*")
                         if p.suffix.lower() in TEXT_SUFFIXES and p.name not in NOT_CORPUS))
    return _scan(files)


@lru_cache(maxsize=8)
def _scan(files: tuple[tuple[str, float], ...]) -> frozenset[str]:
    found: set[str] = set()
    for path, _ in files:
        text = Path(path).read_text(encoding="utf-8", errors="replace")
        if "〔" not in text and "[" not in text and "【" not in text:
            continue
        found.update(m.docno for m in extract(text) if m.kind == "docno" and m.docno)
    return frozenset(found)
