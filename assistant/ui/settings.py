"""What the app listens on and starts with: `UISettings` (from JIXIAO_* variables) and the accepted files."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from .. import paths
from ..documents import SUFFIXES as DOCUMENT_SUFFIXES
from ..retrieval import Index
from ..loaders import READERS

DATA_SUFFIXES = tuple(READERS)          # what the loaders read
CORPUS_SUFFIXES = DOCUMENT_SUFFIXES     # what the document readers read
MAX_UPLOAD_MB = 10


@dataclass
class UISettings:
    """Where the app listens and what it starts with; `from_env` reads JIXIAO_HOST/PORT/USER/PASSWORD."""
    host: str = "127.0.0.1"
    port: int | None = 7860
    username: str | None = None
    password: str | None = None
    data: str | None = None                 # an actuals file every new session starts with
    examples_dir: Path | None = None
    llm_provider: str | None = None         # None: the template writer; else a provider name (assistant.llm)
    index_dir: str | None = None
    max_upload_mb: int = MAX_UPLOAD_MB
    index_provider: Callable[[], Index | None] | None = None   # tests: a ready index

    @classmethod
    def from_env(cls, **overrides) -> "UISettings":
        env = os.environ
        values: dict[str, Any] = {
            "host": env.get("JIXIAO_HOST") or "127.0.0.1",
            "port": int(env["JIXIAO_PORT"]) if env.get("JIXIAO_PORT") else 7860,
            "username": env.get("JIXIAO_USER") or None,
            "password": env.get("JIXIAO_PASSWORD") or None,
            "llm_provider": env.get("JIXIAO_LLM_PROVIDER") or ("openai" if env.get("JIXIAO_LLM_BASE_URL") else None),
        }
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)

    def examples(self) -> list[Path]:
        folder = self.examples_dir or paths.examples_dir()
        if folder is None or not folder.is_dir():
            return []
        return sorted(p for p in folder.iterdir() if p.suffix.lower() in DATA_SUFFIXES and not p.name.startswith("."))

