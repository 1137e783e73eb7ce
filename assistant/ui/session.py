"""Browser sessions: a `UISession` (chat engine plus a private downloads folder) per browser tab.

`Sessions` makes them, each starting with the preloaded data (if any) and its own chat model;
`end_session` removes a finished session's folder. Nothing mutable is shared between sessions.
"""
from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from ..actuals import load
from ..chat import ChatSession
from ..errors import JixiaoError
from ..evaluation import Evaluation
from ..llm import chat_model
from .index_handle import IndexHandle
from .settings import UISettings


@dataclass
class UISession:
    """One browser session: the chat engine plus a private folder for downloads."""
    chat: ChatSession
    workdir: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="jixiao-ui-")))
    source: str = ""

    def __deepcopy__(self, memo):       # gr.State never needs to copy a live session
        return self


def load_evaluation(path: str | Path, profile: str | Path | None = None) -> Evaluation:
    return load(path, profile=profile) if profile else load(path)


def error_text(error: Exception) -> str:
    """What the officer is shown for a failure: our own message, or the error's kind and text."""
    if isinstance(error, JixiaoError):
        return str(error)
    return f"无法读取文件（{type(error).__name__}）：{error}"


class Sessions:
    """Makes the sessions of one app: the shared index handle, the preloaded data, the chat model."""

    def __init__(self, settings: UISettings):
        self.settings = settings
        self.index_handle = IndexHandle(settings.index_dir, settings.index_provider)
        self.preload: Evaluation | None = load_evaluation(settings.data) if settings.data else None
        self.preload_name = Path(settings.data).name if settings.data else ""
        self.llm_factory = _llm_factory(settings.llm_provider)
        if self.llm_factory is not None:
            self.llm_factory()          # a misconfigured model fails at start (JixiaoError), not in a session

    def new(self) -> UISession:
        chat = ChatSession(index_provider=self.index_handle, llm=self.llm_factory() if self.llm_factory else None,
                           writer="template")
        session = UISession(chat=chat)
        if self.preload is not None:
            chat.load(self.preload.model_copy(deep=True))
            session.source = self.preload_name
        return session

    def ensure(self, session: UISession | None) -> UISession:
        return session if session is not None else self.new()


def end_session(session: UISession | None) -> None:
    """A browser session is gone: remove its downloads folder."""
    if session is not None:
        shutil.rmtree(session.workdir, ignore_errors=True)


def _llm_factory(provider: str | None) -> Callable | None:
    if not provider:
        return None
    def factory():
        return chat_model(provider)
    return factory
