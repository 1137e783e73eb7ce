"""Retrieval over past reports and policy texts: the hybrid index and what it is made of.

One idea a module, bottom first: `errors`, `passages` (what a search returns), `regions` (the
region table), `embeddings`, `bm25`, `fusion` (methods by name), `rerank` (methods by name),
`query` (query understanding), `table` (the in-memory chunk table), `cache` (its JSON cache),
`settings`, `store` (Chroma: client, manifest, generations), `retrievers`, `boosts`, `progress`,
`build` (the incremental build's steps), `index` (the `Index` facade, `default_index`).
"""
from .build import BuildSummary
from .errors import RetrievalError
from .index import Index, default_corpus_dir, default_index
from .passages import Passage
from .progress import ProgressPrinter
from .settings import IndexSettings

__all__ = ["BuildSummary", "Index", "IndexSettings", "Passage", "ProgressPrinter", "RetrievalError",
           "default_corpus_dir", "default_index"]
