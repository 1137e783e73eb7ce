"""The incremental, crash-safe build, as named steps over a typed `BuildJob`.

    plan → chunk → open a new generation → copy unchanged files → collect reusable vectors
         → embed and add → commit (write the manifest) → drop the old generation

A build writes a *new* generation: chunks of unchanged files are copied with their vectors,
changed or new files are chunked and embedded, vectors of unchanged chunk texts are reused. The
commit is the manifest's upsert; a build killed before it leaves the manifest naming the previous,
intact generation, and the next build removes the orphan.
"""
from __future__ import annotations

import hashlib
import time
import uuid
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np

from ..corpus import Chunk, SourceDoc, chunk_document, chunk_id_for, file_sha256, load_document
from ..errors import DataError, DataErrors, JixiaoError, failure_kind, printable
from .bm25 import tokenize
from .embeddings import Embedder
from .progress import Progress
from .settings import IndexSettings
from .store import MANIFEST_VERSION, GenerationMissing, Store, generation_number
from .table import table_bytes, table_digest, table_order

EMBED_STEP = 8   # passages embedded per progress report


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


@dataclass(frozen=True)
class FileEntry:
    """A file a build is asked to hold: where it is, its corpus root, a kind that overrides the guess."""
    path: Path
    root: Path | None = None
    kind: str | None = None


@dataclass
class FileTask:
    """A file to (re)chunk and embed."""
    rel: str
    entry: FileEntry
    hash: str
    existed: bool                 # the index held an earlier version (or the same under another signature)


@dataclass
class ChunkedFile:
    task: FileTask
    doc: SourceDoc
    chunks: list[Chunk]


@dataclass
class Record:
    """One chunk as stored: id, vector, text, metadata."""
    id: str
    vector: list[float] | None
    text: str
    meta: dict


@dataclass
class BuildJob:
    origin: str                               # "corpus" | "added" | "*" (removals)
    signature: str
    embedder: str
    old: dict | None                          # the manifest before the build
    keep: dict[str, dict] = field(default_factory=dict)   # rel → manifest record, copied as is
    todo: list[FileTask] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    chunked: list[ChunkedFile] = field(default_factory=list)
    summary: BuildSummary = field(default_factory=BuildSummary)
    old_collection: object = None
    new_name: str = ""
    new_collection: object = None
    generation: int = 0
    reuse: dict[str, list[float]] = field(default_factory=dict)   # embedded-text hash → vector
    files_out: dict[str, dict] = field(default_factory=dict)
    table: list[tuple[str, str, dict]] = field(default_factory=list)   # (id, text, meta) of every chunk

    @property
    def old_files(self) -> dict:
        return dict(self.old["files"]) if self.old else {}

    @property
    def same_signature(self) -> bool:
        return bool(self.old) and self.old.get("signature") == self.signature

    @property
    def nothing_to_do(self) -> bool:
        return not self.todo and not self.removed and self.old is not None


def failure_reason(error: BaseException) -> str:
    """Why a file could not be indexed, in Chinese: a data error's own located message (a limit names
    itself: `部件“word/document.xml”解压后1024.0MB，超过单个部件的大小上限（64.0MB）`), else what the
    exception means (`failure_kind`: `文件解压后超过上限`, `PDF文件损坏` …), never a library's English."""
    if isinstance(error, DataErrors):
        return "；".join(_located(e) for e in error.errors[:3]) + (f"等{len(error.errors)}处" if len(error.errors) > 3 else "")
    if isinstance(error, DataError):
        return _located(error)
    if isinstance(error, JixiaoError):
        return str(error)
    return failure_kind(error)


def _located(error: DataError) -> str:
    """The error's message without its file (the summary names the file already)."""
    text, named = str(error), f"文件“{printable(error.file, newlines=False)}”"
    return text[len(named):].lstrip("，：") if error.file and text.startswith(named) else text


def file_ids(rel: str, record: dict) -> list[str]:
    return [chunk_id_for(rel, record["hash"], i) for i in range(int(record["chunks"]))]


def _task_from_record(rel: str, record: dict) -> FileTask | None:
    path = Path(record.get("path", ""))
    if not path.is_file():
        return None
    root = Path(record["root"]) if record.get("root") else None
    return FileTask(rel, FileEntry(path, root, record.get("kind_override")), file_sha256(path), True)


class Builder:
    def __init__(self, store: Store, settings: IndexSettings, embedder_name: str,
                 embedder: Callable[[], Embedder], progress: Progress):
        self.store = store
        self.settings = settings
        self.embedder_name = embedder_name
        self._embedder = embedder          # loaded only when something is to be embedded
        self.progress = progress

    @property
    def embedder(self) -> Embedder:
        return self._embedder()

    # -- 1. plan ----------------------------------------------------------------------------------

    def plan(self, old: dict | None, entries: dict[str, FileEntry], origin: str, remove_missing: bool,
             remove: bool = False) -> BuildJob:
        job = BuildJob(origin=origin, signature=self.settings.signature(self.embedder_name),
                       embedder=self.embedder_name, old=old)
        old_files = job.old_files
        if remove:
            job.removed = list(entries)
            job.keep = {r: f for r, f in old_files.items() if r not in entries}
        else:
            for rel, entry in entries.items():
                h = file_sha256(entry.path)
                prev = old_files.get(rel)
                if prev and prev["hash"] == h and job.same_signature and entry.kind in (None, prev.get("kind")):
                    job.keep[rel] = prev
                else:
                    job.todo.append(FileTask(rel, entry, h, prev is not None))
            for rel, record in old_files.items():
                if rel in entries:
                    continue
                if remove_missing and record.get("origin", "corpus") == origin:
                    job.removed.append(rel)
                elif job.same_signature:
                    job.keep[rel] = record
                else:  # still present but stored under another signature: re-process
                    task = _task_from_record(rel, record)
                    if task is None:
                        job.removed.append(rel)
                    else:
                        job.todo.append(task)
        if old:
            try:
                job.old_collection = self.store.generation(old["collection"])
            except GenerationMissing:  # the active generation vanished from the store: redo everything
                for rel, record in list(job.keep.items()):
                    task = _task_from_record(rel, record)
                    if task is not None:
                        job.todo.append(task)
                job.keep.clear()
        s = job.summary
        s.removed, s.unchanged = len(job.removed), len(job.keep)
        s.added = sum(1 for t in job.todo if not t.existed)
        s.changed = sum(1 for t in job.todo if t.existed)
        s.files_total = len(job.keep) + len(job.todo)
        self.progress({"stage": "scan", "files_total": s.files_total, "files_todo": len(job.todo),
                       "removed": len(job.removed)})
        return job

    # -- 2. chunk ---------------------------------------------------------------------------------

    def chunk(self, job: BuildJob) -> None:
        s = job.summary
        for n, task in enumerate(job.todo, 1):
            try:
                doc = load_document(task.entry.path, task.entry.root)
                doc.rel = task.rel
                if task.entry.kind:
                    doc.kind = task.entry.kind
                chunks = chunk_document(doc, self.settings.chunking, task.hash)
            except Exception as exc:  # noqa: BLE001 - an unreadable file keeps its previous version if any
                s.failed.append(f"{task.rel}（{failure_reason(exc)}）")
                if task.existed and task.rel in job.old_files and job.same_signature:
                    job.keep[task.rel] = job.old_files[task.rel]
                if task.existed:
                    s.changed -= 1
                else:
                    s.added -= 1
                continue
            job.chunked.append(ChunkedFile(task, doc, chunks))
            self.progress({"stage": "chunk", "files_done": n, "files_todo": len(job.todo),
                           "chunks": sum(len(c.chunks) for c in job.chunked)})
        s.files_total = len(job.keep) + len(job.chunked)

    # -- 3. a new generation ----------------------------------------------------------------------

    def open_generation(self, job: BuildJob) -> None:
        if job.old:
            job.generation = job.old["generation"] + 1
        else:  # no manifest (or a damaged one): number on from whatever generations the store holds
            job.generation = max([0] + [generation_number(n) for n in self.store.generations()]) + 1
        self.store.drop_except(job.old["collection"] if job.old else None)
        job.new_name, job.new_collection = self.store.create_generation(job.generation, job.embedder,
                                                                         uuid.uuid4().hex[:6])

    # -- 4. copy the chunks of unchanged files, vectors included ----------------------------------

    def copy_unchanged(self, job: BuildJob) -> None:
        ids = [cid for rel, record in job.keep.items() for cid in file_ids(rel, record)]
        batch = self.store.batch_size
        for off in range(0, len(ids), batch):
            with self.store.guard():
                got = job.old_collection.get(ids=ids[off: off + batch],
                                             include=["embeddings", "documents", "metadatas"])
                if got["ids"]:
                    job.new_collection.add(ids=got["ids"], embeddings=got["embeddings"],
                                           documents=got["documents"], metadatas=got["metadatas"])
            job.table.extend(zip(got["ids"], got["documents"], got["metadatas"]))
            job.summary.chunks_copied += len(got["ids"])
            self.progress({"stage": "copy", "chunks_done": job.summary.chunks_copied, "chunks_total": len(ids)})
        job.files_out = dict(job.keep)

    # -- 5. vectors to reuse: old chunks of re-processed files, keyed by embedded-text hash -------

    def collect_reusable(self, job: BuildJob) -> None:
        old_files = job.old_files
        ids = [cid for c in job.chunked if c.task.rel in old_files
               for cid in file_ids(c.task.rel, old_files[c.task.rel])]
        if job.old_collection is None or not ids or job.old.get("embedder") != job.embedder:
            return
        batch = self.store.batch_size
        for off in range(0, len(ids), batch):
            with self.store.guard():
                got = job.old_collection.get(ids=ids[off: off + batch], include=["embeddings", "metadatas"])
            for meta, vec in zip(got["metadatas"], got["embeddings"]):
                if meta and meta.get("thash"):
                    job.reuse[meta["thash"]] = vec

    # -- 6. embed and add the new chunks, file by file --------------------------------------------

    def embed_text(self, chunk: Chunk) -> str:
        return (chunk.header() + "\n" + chunk.text) if self.settings.embed_header else chunk.text

    def chunk_meta(self, chunk: Chunk, file_hash: str, thash: str, tokens: dict[str, list[str]]) -> dict:
        def toks(text: str) -> list[str]:
            if text not in tokens:
                tokens[text] = tokenize(text)
            return tokens[text]

        words = (toks(chunk.header()) if self.settings.bm25_header else []) + toks(chunk.text)
        return {"doc": chunk.doc, "rel": chunk.rel, "title": chunk.title, "kind": chunk.kind,
                "year": int(chunk.year or 0), "issuer": chunk.issuer or "", "section": chunk.section,
                "start": chunk.start, "end": chunk.end, "location": chunk.location,
                "file_hash": file_hash, "thash": thash, "tokens": " ".join(words)}

    def embed_and_add(self, job: BuildJob) -> None:
        s = job.summary
        pending = sum(len(c.chunks) for c in job.chunked)
        done = 0
        tokens: dict[str, list[str]] = {}
        buffer: list[Record] = []
        batch = self.store.batch_size

        def rate() -> float:
            return s.chunks_embedded / max(s.embed_seconds, 1e-9)

        for n, item in enumerate(job.chunked, 1):
            records: list[Record] = []
            need: dict[str, list[int]] = {}   # embedded-text hash → the records waiting for its vector
            for chunk in item.chunks:
                etext = self.embed_text(chunk)
                thash = hashlib.sha1((job.embedder + "\n" + etext).encode("utf-8")).hexdigest()[:20]
                vec = job.reuse.get(thash)
                if vec is not None or thash in need:  # an earlier generation's, or a text met before
                    s.chunks_reused += 1
                if vec is None:
                    need.setdefault(thash, []).append(len(records))
                records.append(Record(chunk.chunk_id, vec, chunk.text,
                                      self.chunk_meta(chunk, item.task.hash, thash, tokens)))
            distinct = list(need.items())     # each distinct text embedded once
            for off in range(0, len(distinct), EMBED_STEP):
                part = distinct[off: off + EMBED_STEP]
                t0 = time.monotonic()
                out = self.embedder.embed_passages([self.embed_text(item.chunks[js[0]]) for _, js in part])
                s.embed_seconds += time.monotonic() - t0
                for (thash, js), v in zip(part, out):
                    job.reuse[thash] = vector = np.asarray(v, dtype=np.float32).tolist()
                    for j in js:
                        records[j].vector = vector
                s.chunks_embedded += len(part)
                done += len(part)
                self.progress({"stage": "embed", "files_done": n - 1, "files_todo": len(job.chunked),
                               "chunks_done": done + s.chunks_reused, "chunks_total": pending, "rate": rate()})
            # Chroma pays ~0.3 s per add() call whatever its size: add in large batches
            buffer.extend(records)
            if len(buffer) >= batch:
                self._add(job, buffer, batch)
            task, doc = item.task, item.doc
            job.files_out[task.rel] = {
                "hash": task.hash, "name": doc.name, "title": doc.title, "kind": doc.kind, "year": doc.year,
                "issuer": doc.issuer, "chunks": len(item.chunks),
                "origin": job.origin if job.origin != "*" else "corpus",
                "path": str(Path(task.entry.path).resolve()),
                "root": str(Path(task.entry.root).resolve()) if task.entry.root else None,
                "kind_override": task.entry.kind}
            self.progress({"stage": "embed", "files_done": n, "files_todo": len(job.chunked),
                           "chunks_done": done + s.chunks_reused, "chunks_total": pending, "rate": rate()})
        self._add(job, buffer, batch)

    def _add(self, job: BuildJob, buffer: list[Record], batch: int) -> None:
        for off in range(0, len(buffer), batch):
            part = buffer[off: off + batch]
            with self.store.guard():
                # vectors reused from an earlier generation come back as lists, new ones as arrays:
                # Chroma takes one kind per call
                job.new_collection.add(ids=[r.id for r in part], embeddings=[list(map(float, r.vector)) for r in part],
                                       documents=[r.text for r in part], metadatas=[r.meta for r in part])
        job.table.extend((r.id, r.text, r.meta) for r in buffer)
        buffer.clear()

    # -- 7. commit, then drop the old generation --------------------------------------------------

    def commit(self, job: BuildJob) -> dict:
        self.progress({"stage": "commit"})
        ids = [r[0] for r in job.table]
        metas = [r[2] for r in job.table]
        order = table_order(ids, metas)
        digest = table_digest(table_bytes(job.new_name, [ids[i] for i in order], [job.table[i][1] for i in order],
                                          [metas[i] for i in order]))
        dim = int(self.embedder.dim) if job.chunked else (job.old or {}).get("dim")
        manifest = {"version": MANIFEST_VERSION, "generation": job.generation, "collection": job.new_name,
                    "embedder": job.embedder, "dim": dim, "signature": job.signature,
                    "table_digest": digest, "chunks": len(ids),
                    "built_at": time.strftime("%Y-%m-%dT%H:%M:%S"), "files": job.files_out}
        self.store.write_manifest(manifest)
        if job.old:
            self.store.drop(job.old["collection"])
        s = job.summary
        s.chunks_total = sum(f["chunks"] for f in job.files_out.values())
        s.generation, s.collection = job.generation, job.new_name
        return manifest

    # -- the whole build --------------------------------------------------------------------------

    def run(self, job: BuildJob) -> BuildSummary:
        s = job.summary
        if job.nothing_to_do:
            s.chunks_total = sum(f["chunks"] for f in job.old_files.values())
            s.generation, s.collection = job.old["generation"], job.old["collection"]
            return s
        self.chunk(job)
        self.open_generation(job)
        self.copy_unchanged(job)
        self.collect_reusable(job)
        self.embed_and_add(job)
        self.commit(job)
        return s
