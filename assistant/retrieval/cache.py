"""The on-disk cache of a generation's chunk table: JSON, never pickle, checked against the manifest.

Reading a generation's chunk table from Chroma takes seconds at scale, so the table is kept in
``<index>/cache/<collection>.json``. JSON cannot execute anything when read, and the table's
digest (the sha256 of its bytes, `table.table_digest`) must equal the one the build wrote into the
manifest before anything is parsed, so a cache
that is damaged, from another generation, or edited (passage texts replaced while the citations
keep the real titles) is not used: it is read again from Chroma and rewritten, with a warning.
"""
from __future__ import annotations

import contextlib
import json
import logging
import os
from pathlib import Path

from .table import CACHE_FORMAT, CACHE_VERSION, ChunkTable, table_digest

log = logging.getLogger(__name__)


def cache_path(index_dir: Path, collection: str) -> Path:
    return Path(index_dir) / "cache" / f"{collection}.json"


def read_cache(path: Path, collection: str, digest: str | None) -> ChunkTable | None:
    """The cached table when its bytes match `digest` (the manifest's) and it is a sound table of
    `collection`; None (with a warning when a file was there) otherwise."""
    if not digest or not path.exists():
        return None
    try:
        raw = path.read_bytes()
        if table_digest(raw) != digest:
            raise ValueError("内容与索引清单记录的指纹不符")
        data = json.loads(raw.decode("utf-8"))
        if not (isinstance(data, dict) and data.get("format") == CACHE_FORMAT
                and data.get("version") == CACHE_VERSION and data.get("collection") == collection):
            raise ValueError("不是本索引版本的缓存")
        ids, texts, metas = data["ids"], data["texts"], data["metas"]
        if not (isinstance(ids, list) and isinstance(texts, list) and isinstance(metas, list)
                and len(ids) == len(texts) == len(metas)):
            raise ValueError("结构不符")
    except (OSError, ValueError, KeyError, TypeError) as exc:   # JSONDecodeError is a ValueError
        log.warning("索引缓存 %s 已损坏或与索引不符（%s），已从向量库重新读取并重写缓存", path, exc)
        return None
    return ChunkTable(ids, texts, metas)


def write_cache(path: Path, data: bytes, prefix: str) -> None:
    """Write a serialised table (`table.table_bytes`) atomically; older generations' caches of this
    index are removed."""
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        for old in path.parent.glob(f"{prefix}-g*"):
            if old != path:
                old.unlink(missing_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, path)
