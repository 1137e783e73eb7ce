"""What the app listens on and starts with: `UISettings` (from JIXIAO_* variables) and the accepted files."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from .. import paths
from ..documents import SUFFIXES as DOCUMENT_SUFFIXES
from ..errors import JixiaoError
from ..limits import SERVER
from ..retrieval import Index
from ..loaders import READERS

DATA_SUFFIXES = tuple(READERS)          # what the loaders read
CORPUS_SUFFIXES = DOCUMENT_SUFFIXES     # what the document readers read
MAX_UPLOAD_MB = SERVER.upload_mb
TRANSFER_LIMIT_MB = SERVER.transfer_mb


@dataclass
class UISettings:
    """Where the app listens, who may log in, where work is saved and what a session starts with;
    `from_env` reads JIXIAO_HOST/PORT/USER/PASSWORD/USERS/DATA_DIR."""
    host: str = "127.0.0.1"
    port: int | None = 7860
    username: str | None = None
    password: str | None = None
    users: dict[str, str] = field(default_factory=dict)   # more logins: name → password
    data_dir: Path | None = None            # where sessions are saved (default paths.data_dir())
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
            "users": parse_users(env.get("JIXIAO_USERS") or ""),
            "data_dir": Path(env["JIXIAO_DATA_DIR"]) if env.get("JIXIAO_DATA_DIR") else None,
            "llm_provider": env.get("JIXIAO_LLM_PROVIDER") or ("openai" if env.get("JIXIAO_LLM_BASE_URL") else None),
        }
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)

    def logins(self) -> list[tuple[str, str]]:
        """Every (name, password) that may log in; empty: no login page."""
        logins = dict(self.users)
        if self.username and self.password:
            logins[self.username] = self.password
        return list(logins.items())

    def store_dir(self) -> Path:
        return Path(self.data_dir) if self.data_dir else paths.data_dir()

    def examples(self) -> list[Path]:
        folder = self.examples_dir or paths.examples_dir()
        if folder is None or not folder.is_dir():
            return []
        return sorted(p for p in folder.iterdir() if p.suffix.lower() in DATA_SUFFIXES and not p.name.startswith("."))


def parse_users(text: str) -> dict[str, str]:
    """`张三:密码1;李四:密码2` (or one a line) → {name: password}."""
    users = {}
    for item in (part.strip() for part in text.replace("\n", ";").split(";")):
        if not item:
            continue
        name, sep, password = item.partition(":")
        if not sep or not name.strip() or not password:
            raise JixiaoError(f"JIXIAO_USERS 的格式应为“用户名:密码;用户名:密码”，无法识别：“{name.strip()}”")
        users[name.strip()] = password
    return users
