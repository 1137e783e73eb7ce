"""`Index`: the hybrid index of past reports and policy texts, the one object callers use.

A search reads the question (`query.QueryReader`: framing dropped, thesaurus expansion, the document
type, region, titles and article numbers it names), asks both retrievers (`retrievers`: BM25 in
memory, dense in Chroma) for candidates (the question is embedded on the query-embedding thread while
BM25 ranks: `embeddings.embed_later`), fuses them (`fusion.FUSIONS`), applies what the question
asks for (`boosts`), reranks the top (`rerank.RERANKERS`) and puts a named article first. Builds
are `build.Builder`'s; the store, its manifest and generations are `store.Store`'s; the chunk table
of the active generation is held in memory (`table.ChunkTable`), cached on disk as JSON checked
against the manifest (`cache`).
"""
from __future__ import annotations

import contextlib
import logging
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from .. import paths
from ..corpus import iter_corpus_files
from .build import BuildSummary, Builder, FileEntry
from .cache import cache_path, read_cache, write_cache
from .embeddings import Embedder, embed_later, get_embedder, resolve_spec
from .errors import REBUILD_HINT, RetrievalError
from .fusion import FUSIONS, ranked
from .boosts import articles_first, preferred
from .passages import Passage
from .progress import Progress, ProgressPrinter, silent
from .query import Query, QueryReader
from .rerank import reranked
from .retrievers import BM25Retriever, DenseRetriever, Filters
from .settings import IndexSettings, check_mode
from .store import GenerationMissing, ManifestDamaged, Store, StoreDamaged, generation_number
from .table import EMPTY, ChunkTable, table_bytes, table_digest, table_order

log = logging.getLogger(__name__)


@dataclass
class _State:
    """What one generation answers with."""
    manifest: dict | None
    table: ChunkTable
    collection_handle: object = None     # the generation's Chroma collection, fetched once

    @property
    def collection(self) -> str | None:
        return (self.manifest or {}).get("collection")


class Index:
    """Hybrid (BM25 + dense) index over the corpus. Thread-safe for searches."""

    def __init__(self, settings: IndexSettings):
        settings.check()
        self.settings = settings
        self.store = Store(settings.index_dir, settings.chroma_url, settings.collection)
        self._embedder: Embedder | None = settings.embedder
        self._state = _State(None, EMPTY)
        self._checked = 0.0
        self._lock = threading.RLock()
        self.warning: str | None = None      # set when the index answers from a fallback

    @classmethod
    def open(cls, index_dir: str | Path | None = None, settings: IndexSettings | None = None) -> "Index":
        if settings is None:
            settings = IndexSettings.from_env(index_dir)
        elif index_dir is not None:
            settings.index_dir = Path(index_dir)
        idx = cls(settings)
        idx.refresh(force=True)
        return idx

    # -- where and with what ----------------------------------------------------------------------

    @property
    def index_dir(self) -> Path:
        return Path(self.settings.index_dir)

    @property
    def client(self):
        return self.store.client

    @property
    def manifest(self) -> dict | None:
        return self._state.manifest

    def is_empty(self) -> bool:
        return not len(self._state.table)

    def _embedder_name(self) -> str:
        if self.settings.embedder is not None:
            return self.settings.embedder.name
        return resolve_spec(self.settings.embeddings)

    @property
    def embedder(self) -> Embedder:
        """The query embedder: the model the stored vectors came from."""
        if self._embedder is None:
            spec = self.settings.embeddings
            m = self._state.manifest
            if m and m.get("embedder") and resolve_spec(spec) != m["embedder"]:
                spec = m["embedder"]
            self._embedder = get_embedder(spec)
        return self._embedder

    def _build_embedder(self) -> Embedder:
        return self.settings.embedder if self.settings.embedder is not None else get_embedder(self.settings.embeddings)

    def _reader(self, table: ChunkTable) -> QueryReader:
        s = self.settings
        return QueryReader(titles=table.titles, expand=s.expand_query, expansion_weight=s.expansion_weight,
                           drop_framing=s.drop_framing)

    # -- the active generation --------------------------------------------------------------------

    def refresh(self, force: bool = False) -> None:
        """Re-read the manifest (another process or user may have rebuilt the index)."""
        now = time.monotonic()
        if not force and now - self._checked < self.settings.refresh_seconds:
            return
        with self._lock:
            self._checked = now
            try:
                m = self.store.manifest()
                self.warning = None
            except ManifestDamaged as exc:
                m = self._fallback_manifest(exc)
            if m is None:
                self._set_state(None, EMPTY)
                return
            if self._state.collection == m.get("collection") and len(self._state.table):
                self._state.manifest = m
                return
            try:
                table = self._load_table(m)
            except GenerationMissing:
                # the manifest names a generation that is gone: empty until the next build repairs it
                self.warning = f"索引版本 {m.get('collection')} 已不在向量库中：{REBUILD_HINT}"
                log.warning(self.warning)
                table = EMPTY
            self._set_state(m, table)

    def _set_state(self, manifest: dict | None, table: ChunkTable) -> None:
        if self.settings.embedder is None and self._embedder is not None and manifest \
                and self._embedder.name != manifest.get("embedder"):
            self._embedder = None
        self._state = _State(manifest, table)

    def _fallback_manifest(self, exc: ManifestDamaged) -> dict | None:
        """With a damaged manifest, the newest generation in the store keeps answering."""
        names = self.store.generations()
        self.warning = str(exc) + ("；暂用向量库中最新的索引版本回答" if names else "")
        log.warning(self.warning)
        if not names:
            return None
        name = names[-1]
        col = self.store.generation(name)
        meta = col.metadata or {}
        return {"collection": name, "generation": generation_number(name),
                "embedder": meta.get("embedder"), "files": {}, "damaged": True}

    def _load_table(self, m: dict) -> ChunkTable:
        name = m["collection"]
        col = self.store.generation(name)   # raises if the generation is gone, cache or not
        path = cache_path(self.index_dir, name)
        digest = m.get("table_digest")
        table = read_cache(path, name, digest)
        if table is not None:
            return table
        ids, texts, metas = [], [], []
        with self.store.guard():
            total = col.count()
            for off in range(0, total, 2000):
                got = col.get(include=["documents", "metadatas"], limit=2000, offset=off)
                ids += got["ids"]
                texts += got["documents"]
                metas += got["metadatas"]
        order = table_order(ids, metas)
        table = ChunkTable([ids[i] for i in order], [texts[i] for i in order], [metas[i] for i in order])
        data = table_bytes(name, table.ids, table.texts, table.metas) if digest else b""
        if digest and table_digest(data) == digest:
            write_cache(path, data, self.settings.collection)
        elif digest:
            log.warning("向量库 %s 中的索引版本 %s 与索引清单记录的指纹不符：%s", self.store.location, name, REBUILD_HINT)
        return table

    def _collection(self, st: _State):
        if st.collection_handle is None:
            st.collection_handle = self.store.generation(st.collection)
        return st.collection_handle

    # -- search -----------------------------------------------------------------------------------

    def read(self, question: str) -> Query:
        """How the index reads a question (for `jixiao index query --explain` and the tests)."""
        self.refresh()
        return self._reader(self._state.table).read(question)

    def search(self, query: str, k: int = 5, kind: str | None = None, year: int | None = None,
               mode: str = "hybrid") -> list[Passage]:
        """The ``k`` passages that best answer ``query``; ``kind`` ("report"/"policy"/"form") and
        ``year`` filter; ``mode`` is "hybrid" (default), "bm25" or "dense"."""
        check_mode(mode)
        query = (query or "").strip()
        if not query or k <= 0:
            return []
        return self.search_many([query], k=k, kind=kind, year=year, mode=mode)[0]

    def search_many(self, queries: list[str], k: int = 5, kind: str | None = None,
                    year: int | None = None, mode: str = "hybrid") -> list[list[Passage]]:
        """Several queries in one go (query vectors computed together)."""
        check_mode(mode)
        self.refresh()
        for attempt in (0, 1):
            st = self._state
            try:
                return self._search_many(st, queries, k, Filters(kind, year), mode)
            except GenerationMissing:  # the generation was replaced under us: reload once
                if attempt:
                    raise
                self.refresh(force=True)
        return []  # pragma: no cover

    def _search_many(self, st: _State, queries: list[str], k: int, filters: Filters,
                     mode: str) -> list[list[Passage]]:
        """The queries' vectors are computed on the query-embedding thread while BM25 ranks here."""
        reader = self._reader(st.table)
        read = [reader.read(q) if (q or "").strip() and k > 0 else None for q in queries]
        todo = [q for q in read if q is not None]
        pending = None
        if mode != "bm25" and len(st.table) and todo:
            pending = embed_later(self.embedder, [q.dense_text or " " for q in todo])
        n = k if mode == "bm25" else max(self.settings.candidates, k)
        bm25 = BM25Retriever(st.table)
        with self.store.guard():
            lexical = [bm25.ranked(q, n, filters) if q is not None and mode != "dense" else [] for q in read]
            if pending is not None:
                for q, v in zip(todo, pending.result()):
                    q.vector = v
            return [[] if q is None else self._search(st, q, k, filters, mode, lex)
                    for q, lex in zip(read, lexical)]

    def _search(self, st: _State, q: Query, k: int, filters: Filters, mode: str,
                lexical: list[tuple[int, float]]) -> list[Passage]:
        """One query's passages; `lexical` is its BM25 list (``k`` long in bm25 mode, else the
        settings' candidates)."""
        s, table = self.settings, st.table
        if mode == "bm25":
            return [table.passage(i, sc) for i, sc in lexical]
        dense = DenseRetriever(table, lambda: self._collection(st), lambda: self.embedder)
        if mode == "dense":
            return [table.passage(i, sc) for i, sc in dense.ranked(q, k, filters)]
        n = max(s.candidates, k)
        lists = [lexical, dense.ranked(q, n, filters)]
        fused = FUSIONS[s.fusion](lists, [s.bm25_weight, s.dense_weight], s.rrf_k)
        fused = preferred(q, fused, table, s.kind_boost, s.region_boost, s.title_boost)
        order = reranked(s.rerank, q, ranked(fused, max(n, k)), table, s.rerank_depth, s.rerank_weight)
        if s.article_first:
            order = articles_first(q, order, table, filters)
        return [table.passage(row, sc) for row, sc in order[:k]]

    # -- building ---------------------------------------------------------------------------------

    @contextlib.contextmanager
    def _build_lock(self):
        self.index_dir.mkdir(parents=True, exist_ok=True)
        path = self.index_dir / ".build.lock"
        with open(path, "a+") as fh:
            try:
                import fcntl  # heavy: POSIX only (no fcntl on Windows)

                try:
                    fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError as exc:
                    raise RetrievalError(f"另一个进程正在构建索引 {self.index_dir}，请稍后再试") from exc
            except ImportError:  # pragma: no cover - non-POSIX
                pass
            yield

    def build(self, corpus_dir: str | Path | None = None, progress: Progress | None = None) -> BuildSummary:
        """Bring the index in line with ``corpus_dir``: new files added, changed ones replaced,
        deleted ones removed, unchanged ones skipped (their vectors are kept)."""
        root = Path(corpus_dir) if corpus_dir else default_corpus_dir()
        if not root.exists():
            raise RetrievalError(f"语料目录不存在：{root}")
        entries = {}
        for p in iter_corpus_files(root):
            rel = p.name if root.is_file() else p.relative_to(root).as_posix()
            entries[rel] = FileEntry(p, root if root.is_dir() else p.parent)
        return self._sync(entries, origin="corpus", remove_missing=True, progress=progress)

    def add_files(self, paths_: Iterable[str | Path], kind: str | None = None,
                  progress: Progress | None = None) -> BuildSummary:
        """Add (or replace) individual documents, e.g. uploaded in the UI. They are kept across
        later corpus builds; ``kind`` overrides the guessed document kind."""
        entries = {}
        for p in paths_:
            p = Path(p)
            if not p.is_file():
                raise RetrievalError(f"文件不存在：{p}")
            entries[f"added/{p.name}"] = FileEntry(p, None, kind)
        return self._sync(entries, origin="added", remove_missing=False, progress=progress)

    def remove_files(self, names: Iterable[str]) -> BuildSummary:
        """Remove documents by file name or relative path."""
        names = set(names)
        m = self._manifest_for_build() or {}
        entries = {rel: None for rel, f in m.get("files", {}).items() if rel in names or f.get("name") in names}
        return self._sync(entries, origin="*", remove_missing=False, progress=None, remove=True)

    def _manifest_for_build(self) -> dict | None:
        """The manifest a build starts from; a damaged store is set aside and a damaged manifest
        read as none (everything is rebuilt), each with a warning."""
        try:
            return self.store.manifest()
        except StoreDamaged:
            self.store.set_aside()
            return self.store.manifest()
        except ManifestDamaged as exc:
            log.warning("%s；将重新建立全部索引", exc)
            return None

    def _sync(self, entries: dict, origin: str, remove_missing: bool, progress: Progress | None,
              remove: bool = False) -> BuildSummary:
        t0 = time.monotonic()
        progress = progress or silent
        with self._build_lock():
            old = self._manifest_for_build()
            builder = Builder(self.store, self.settings, self._embedder_name(), self._build_embedder, progress)
            job = builder.plan(old, entries, origin, remove_missing, remove)
            summary = builder.run(job)
            if not job.nothing_to_do:
                self._checked = 0.0
                self.refresh(force=True)
            summary.seconds = time.monotonic() - t0
            progress({"stage": "done", "summary": summary})
            return summary

    # -- what is indexed --------------------------------------------------------------------------

    def stats(self) -> dict:
        self.refresh(force=True)
        st = self._state
        m = st.manifest or {}
        files = m.get("files", {})
        by_kind: dict[str, int] = {}
        by_year: dict[str, int] = {}
        for md in st.table.metas:
            by_kind[md["kind"]] = by_kind.get(md["kind"], 0) + 1
            y = str(md.get("year") or "未知")
            by_year[y] = by_year.get(y, 0) + 1
        files_by_kind: dict[str, int] = {}
        for f in files.values():
            files_by_kind[f["kind"]] = files_by_kind.get(f["kind"], 0) + 1
        texts = st.table.texts
        return {
            "index_dir": str(self.index_dir.resolve()),
            "store": self.store.kind,
            "location": self.store.location,
            "collection": m.get("collection"),
            "generation": m.get("generation", 0),
            "embedder": m.get("embedder"),
            "dim": m.get("dim"),
            "built_at": m.get("built_at"),
            "files": len(files),
            "files_by_kind": files_by_kind,
            "chunks": len(st.table),
            "chunks_by_kind": by_kind,
            "chunks_by_year": dict(sorted(by_year.items())),
            "avg_chunk_chars": round(sum(len(t) for t in texts) / len(texts), 1) if texts else 0,
            "fusion": self.settings.fusion,
            "rerank": self.settings.rerank,
            "warning": self.warning,
        }

    def documents(self) -> list[dict]:
        """The indexed files: name, title, kind, year, chunks."""
        m = self._state.manifest or {}
        return [{"rel": rel, "doc": f["name"], "title": f["title"], "kind": f["kind"],
                 "year": f.get("year"), "chunks": f["chunks"]} for rel, f in sorted(m.get("files", {}).items())]


# ---------------------------------------------------------------------------------------------
# Defaults


def default_corpus_dir() -> Path:
    """`paths.corpus_dir()`, or an error saying where a corpus was looked for."""
    found = paths.corpus_dir()
    if found is None:
        raise RetrievalError("未找到资料库语料：当前目录下没有 corpus/ 文件夹。请在含 corpus/ 的目录运行，"
                             "或用 jixiao index build --corpus 目录 建立索引")
    return found


_DEFAULT: dict[tuple, Index] = {}
_DEFAULT_LOCK = threading.Lock()


def default_index(index_dir: str | Path | None = None, corpus_dir: str | Path | None = None,
                  settings: IndexSettings | None = None, progress: Callable[[dict], None] | None = None,
                  build_if_missing: bool = True) -> Index:
    """The index at ``./index`` (or ``$JIXIAO_INDEX``), opened once per process; built from
    ``paths.corpus_dir()`` first if it does not exist yet (progress on stderr). With no index and
    no corpus to build one from, a `RetrievalError` says so (and no index folder is made)."""
    settings = settings or IndexSettings.from_env(index_dir)
    key = (str(Path(settings.index_dir).resolve()), settings.chroma_url, settings.collection)
    with _DEFAULT_LOCK:
        idx = _DEFAULT.get(key)
        if idx is None:
            if build_if_missing and corpus_dir is None and settings.chroma_url is None \
                    and not Path(settings.index_dir).exists():
                corpus_dir = default_corpus_dir()     # no index yet and nothing to build it from: say so first
            idx = Index.open(settings=settings)
            if idx.is_empty() and build_if_missing:
                print(str(idx.build(corpus_dir, progress=progress or ProgressPrinter())), file=sys.stderr)
            _DEFAULT[key] = idx
        return idx
