"""The Chroma store: the client (embedded or a `chroma run` server), the manifest, the generations.

- ``<prefix>-meta`` holds one record, the *manifest* (JSON): active collection, generation,
  embedder, chunking signature, the chunk table's digest, and per file its hash and chunk count;
- ``<prefix>-gNNNNN-xxxxxx`` holds one generation of chunks: vector, cleaned text, metadata.

Collections are always created and opened with ``embedding_function=None``: vectors are passed in,
Chroma's default embedding function is never involved. Every failure of the store becomes one
`RetrievalError` with a Chinese message and the way out: a generation that is gone
(`GenerationMissing`, from Chroma's own `NotFoundError`), a manifest that is not JSON
(`ManifestDamaged`), a damaged embedded store (`StoreDamaged`), an unreachable server.
"""
from __future__ import annotations

import contextlib
import json
import logging
import re
import shutil
import sqlite3
import time
from pathlib import Path
from urllib.parse import urlparse

from .errors import REBUILD_HINT, RetrievalError

log = logging.getLogger(__name__)
MANIFEST_VERSION = 2
READABLE_VERSIONS = (1, 2)   # version 1 (no table digest) still answers until the next build
_GENERATION = re.compile(r".*-g(\d{5})-[0-9a-f]{6}")


def generation_number(name: str) -> int:
    """The generation a collection name holds (`jixiao-g00012-ab12cd` → 12)."""
    m = _GENERATION.fullmatch(name)
    return int(m.group(1)) if m else 0


class GenerationMissing(RetrievalError):
    """The manifest names a generation the store does not have."""


class ManifestDamaged(RetrievalError):
    """The manifest record is not a JSON manifest."""


class StoreDamaged(RetrievalError):
    """The embedded store's files cannot be read."""


def _connection_errors() -> tuple[type[BaseException], ...]:
    import httpx  # heavy: comes with chromadb's HTTP client

    return (httpx.TransportError, ConnectionError, TimeoutError)


def _check_sqlite(db: Path) -> None:
    """Raise `sqlite3.DatabaseError` when an embedded store's database file is not a database."""
    if not db.exists():
        return
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        con.execute("SELECT count(*) FROM sqlite_master").fetchone()
    finally:
        con.close()


class Store:
    """One Chroma store, embedded under ``<index>/chroma`` or on a server."""

    def __init__(self, index_dir: Path, chroma_url: str | None, prefix: str):
        self.index_dir = Path(index_dir)
        self.url = chroma_url
        self.prefix = prefix
        self._client = None

    # -- where ------------------------------------------------------------------------------------

    @property
    def path(self) -> Path:
        return self.index_dir / "chroma"

    @property
    def location(self) -> str:
        return self.url or str(self.path.resolve())

    @property
    def kind(self) -> str:
        return "server" if self.url else "embedded"

    # -- the client -------------------------------------------------------------------------------

    @property
    def client(self):
        if self._client is None:
            import chromadb  # heavy: chromadb (~0.6 s)
            from chromadb.config import Settings as ChromaSettings  # heavy: chromadb

            settings = ChromaSettings(anonymized_telemetry=False)
            client = None
            try:
                if self.url:
                    u = urlparse(self.url if "://" in self.url else "http://" + self.url)
                    client = chromadb.HttpClient(host=u.hostname or "127.0.0.1", port=u.port or 8000,
                                                 ssl=u.scheme == "https", settings=settings)
                    client.heartbeat()
                else:
                    self.path.mkdir(parents=True, exist_ok=True)
                    _check_sqlite(self.path / "chroma.sqlite3")   # before Chroma caches a broken store
                    client = chromadb.PersistentClient(path=str(self.path), settings=settings)
                    client.list_collections()   # a damaged sqlite file fails here, not mid-query
            except Exception as exc:  # noqa: BLE001 - every way of failing to open becomes one message
                if client is not None:   # release Chroma's per-path system, so a later client starts afresh
                    with contextlib.suppress(Exception):
                        client.close()
                raise self._error(exc, opening=True) from exc
            self._client = client
        return self._client

    def _error(self, exc: BaseException, opening: bool = False) -> RetrievalError:
        """The Chinese message for a failure of the store."""
        if self.url:
            if opening:
                return RetrievalError(f"无法打开向量库 {self.url}：无法连接 Chroma 服务器（{type(exc).__name__}）。"
                                      "请确认服务器已启动（chroma run），或取消 JIXIAO_CHROMA_URL 改用本地索引")
            if isinstance(exc, _connection_errors()):
                return RetrievalError(f"与向量库服务器 {self.url} 的连接中断（{type(exc).__name__}），本次检索未完成。"
                                      "请确认服务器仍在运行（chroma run）后重试，或取消 JIXIAO_CHROMA_URL 改用本地索引")
            return RetrievalError(f"向量库服务器 {self.url} 出错：{exc}")
        return StoreDamaged(f"无法打开向量库 {self.path}：文件已损坏或不是 Chroma 索引（{type(exc).__name__}）。"
                            f"{REBUILD_HINT}（损坏的文件会移到一旁保留）")

    @contextlib.contextmanager
    def guard(self):
        """Translate the store's failures inside the block into `RetrievalError`."""
        from chromadb.errors import NotFoundError  # heavy: chromadb

        try:
            yield
        except RetrievalError:
            raise
        except NotFoundError as exc:
            raise GenerationMissing(f"索引版本已不在向量库中：{REBUILD_HINT}") from exc
        except (sqlite3.DatabaseError,) + _connection_errors() as exc:
            raise self._error(exc) from exc
        except Exception as exc:
            from chromadb.errors import ChromaError  # heavy: chromadb

            if isinstance(exc, ChromaError) or (self.url and isinstance(exc, OSError)):
                raise self._error(exc) from exc
            raise

    def set_aside(self) -> Path | None:
        """Move a damaged embedded store out of the way (kept, never deleted); a build then starts
        a new one. Returns where it went."""
        if self.url or not self.path.exists():
            return None
        target = self.path.with_name(f"chroma.damaged-{time.strftime('%Y%m%d-%H%M%S')}")
        shutil.move(str(self.path), str(target))
        self._client = None
        log.warning("向量库 %s 已损坏，已移到 %s 保留，将重新建立索引", self.path, target)
        return target

    # -- the manifest -----------------------------------------------------------------------------

    def _meta(self):
        return self.client.get_or_create_collection(f"{self.prefix}-meta", embedding_function=None)

    def manifest(self) -> dict | None:
        """The manifest, None when there is none (or of an unknown version); `ManifestDamaged` when
        it is there but not a JSON manifest."""
        with self.guard():
            got = self._meta().get(ids=["manifest"], include=["documents"])
        if not got["ids"]:
            return None
        try:
            m = json.loads(got["documents"][0])
            if not isinstance(m, dict) or not isinstance(m.get("files", {}), dict):
                raise ValueError("not a manifest object")
            if m.get("version") in READABLE_VERSIONS and not isinstance(m.get("collection"), str):
                raise ValueError("no collection")
        except (TypeError, ValueError) as exc:
            raise ManifestDamaged(f"索引清单已损坏（{self.location}）：{REBUILD_HINT}") from exc
        return m if m.get("version") in READABLE_VERSIONS else None

    def write_manifest(self, manifest: dict) -> None:
        with self.guard():
            self._meta().upsert(ids=["manifest"], embeddings=[[1.0]],
                                documents=[json.dumps(manifest, ensure_ascii=False)])

    # -- generations ------------------------------------------------------------------------------

    def generation(self, name: str):
        """The collection of one generation; `GenerationMissing` when it is gone."""
        with self.guard():
            return self.client.get_collection(name, embedding_function=None)

    def create_generation(self, gen: int, embedder: str, suffix: str):
        name = f"{self.prefix}-g{gen:05d}-{suffix}"
        with self.guard():
            col = self.client.create_collection(
                name, embedding_function=None, configuration={"hnsw": {"space": "cosine"}},
                metadata={"jixiao": "chunks", "generation": gen, "embedder": embedder})
        return name, col

    def generations(self) -> list[str]:
        """This index's generation collections in the store, oldest first."""
        with self.guard():
            names = [c if isinstance(c, str) else c.name for c in self.client.list_collections()]
        mine = [n for n in names if n.startswith(f"{self.prefix}-g") and _GENERATION.fullmatch(n)]
        return sorted(mine, key=generation_number)

    def drop(self, name: str) -> None:
        with contextlib.suppress(Exception):
            self.client.delete_collection(name)

    def drop_except(self, keep: str | None) -> None:
        """Remove generations left behind by builds killed before their commit."""
        for name in self.generations():
            if name != keep:
                self.drop(name)

    @property
    def batch_size(self) -> int:
        with self.guard():
            return max(1, min(2000, self.client.get_max_batch_size()))
