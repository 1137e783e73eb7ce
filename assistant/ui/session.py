"""Browser sessions: a `UISession` per browser tab over the officer's saved `Work`.

`Sessions` owns the app's `Store` (the data folder) and makes the sessions: a page load reopens
the owner's latest saved work (`resume`), or starts new work with the preloaded data (if any).
The owner is the login name when login is on, else the browser's id (kept in the browser's
localStorage, `gr.BrowserState`). Each session has a private folder (downloads, documents being
added) that only its client may fetch (`files.Grants`); `end_session` deletes it when the tab's
session ends; the saved work stays in the store.
"""
from __future__ import annotations

import threading
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from ..chat import ChatSession
from ..errors import JixiaoError
from ..evaluation import Evaluation
from ..llm import chat_model
from ..workbench import SessionNotFound, Store, Work, read_evaluation
from .files import Grants, gradio_cache
from .index_handle import IndexHandle
from .settings import CORPUS_SUFFIXES, DATA_SUFFIXES, UISettings


@dataclass
class UISession:
    """One browser tab: the officer's work plus a private folder (downloads, documents being added)
    that only its client may fetch."""
    work: Work
    workdir: Path
    files: Grants
    client: str | None = None               # who may fetch its files (files.client_of); None: nobody yet
    lock: threading.Lock = field(default_factory=threading.Lock)     # one recorder of an answer in flight
    inflight: dict | None = None            # the answer being streamed: question, shown html and text
    notice: str = ""                        # a message for the data tab's status line (e.g. a restore problem)
    save_error: str = ""                    # why the last answer could not be saved, if it could not
    drafted_in_chat: bool = False           # the last answer drafted a section: the draft tab follows

    @property
    def chat(self) -> ChatSession:
        return self.work.chat

    @property
    def owner(self) -> str:
        return self.work.owner

    def __deepcopy__(self, memo):       # gr.State never needs to copy a live session
        return self

    def belongs_to(self, client: str | None) -> None:
        """The page that shows this session is `client`'s: so are its files."""
        self.client = client
        self.files.bind(self.workdir, client)

    def close(self) -> None:
        """The session is over: its folder goes."""
        self.files.forget(self.workdir)


def owner_of(username: str | None, browser_id: str | None) -> str:
    """Whose work a request is: the login name when login is on, else the browser's id."""
    if username:
        return f"user:{username}"
    return f"browser:{browser_id}" if browser_id else f"browser:{uuid.uuid4().hex}"


def new_browser_id() -> str:
    return uuid.uuid4().hex


def error_text(error: Exception) -> str:
    """What the officer is shown for a failure: our own message, or the error's kind."""
    if isinstance(error, JixiaoError):
        return str(error)
    return f"出错了（{type(error).__name__}），请重试；如仍出错，请联系管理员。"


class Sessions:
    """Makes the sessions of one app: the store, the shared index handle, the preloaded data, the model."""

    def __init__(self, settings: UISettings):
        self.settings = settings
        self.store = Store(settings.store_dir())
        self.files = Grants(gradio_cache(), accepted=tuple(dict.fromkeys(DATA_SUFFIXES + CORPUS_SUFFIXES)))
        self.index_handle = IndexHandle(settings.index_dir, settings.index_provider)
        self.preload_files: list[tuple[str, bytes]] = []
        self.preload: Evaluation | None = None
        if settings.data:
            path = Path(settings.data)
            self.preload_files = [(path.name, path.read_bytes())]
            profile = path.with_suffix(".yaml")
            if path.suffix.lower() == ".csv" and profile.is_file():
                self.preload_files.append((profile.name, profile.read_bytes()))
            self.preload = read_evaluation(self.preload_files)
        self.preload_name = Path(settings.data).name if settings.data else ""
        self.llm_factory = _llm_factory(settings.llm_provider)
        if self.llm_factory is not None:
            self.llm_factory()          # a misconfigured model fails at start (JixiaoError), not in a session

    def chat(self) -> ChatSession:
        return ChatSession(index_provider=self.index_handle, llm=self.llm_factory() if self.llm_factory else None,
                           writer="template")

    def _session(self, work: Work, client: str | None, notice: str = "") -> UISession:
        return UISession(work=work, workdir=self.files.session_folder(client), files=self.files, client=client,
                         notice=notice)

    def new(self, owner: str, client: str | None = None) -> UISession:
        """New work of `owner` (saved at its first change), starting with the preloaded data; its files
        are `client`'s."""
        work = Work(self.store, owner, self.chat())
        if self.preload is not None:
            work.start_with(self.preload.model_copy(deep=True), self.preload_files, self.preload_name)
        return self._session(work, client)

    def open(self, owner: str, session_id: str, client: str | None = None) -> UISession:
        work = Work.open(self.store, owner, session_id, self.chat())
        return self._session(work, client, notice=work.restore_error)

    def resume(self, owner: str, client: str | None = None) -> UISession:
        """The owner's latest saved work, or new work."""
        latest = self.store.latest(owner)
        if latest is not None:
            try:
                return self.open(owner, latest, client)
            except SessionNotFound:     # deleted meanwhile in another tab
                pass
        return self.new(owner, client)

    def close(self) -> None:
        """Shutdown: every session's folder and every upload not yet taken are deleted."""
        self.files.close()

    def ensure(self, session: UISession | None) -> UISession:
        """The tab's session; a request without one (an API client) gets new work of its own."""
        return session if session is not None else self.new(owner_of(None, None))


def end_session(session: UISession | None) -> None:
    """A browser tab's session is over (closed and expired, or replaced by other work): its folder
    goes (the saved work stays)."""
    if session is not None:
        session.close()


def _llm_factory(provider: str | None) -> Callable | None:
    if not provider:
        return None
    def factory():
        return chat_model(provider)
    return factory
