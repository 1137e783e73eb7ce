"""The one object sessions share: the index, opened in the background and locked for writes."""
from __future__ import annotations

import logging
import threading
from typing import Callable

from ..errors import JixiaoError
from ..retrieval import Index, default_index

log = logging.getLogger(__name__)


class IndexHandle:
    """The shared index. The default one is opened (and built from ./corpus when missing) in a
    background thread started with the app, so the first question never waits minutes for a
    build: until it is ready, retrieval answers that the index is being built and drafts go out
    without citations. A given `provider` (tests) is called directly. Writes are serialised."""

    def __init__(self, index_dir: str | None = None, provider: Callable[[], Index | None] | None = None):
        self.index_dir = index_dir
        self._provider = provider
        self._index = None
        self._error: Exception | None = None
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self.write_lock = threading.Lock()

    def start(self) -> None:
        if self._provider is not None:
            return
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._open, name="jixiao-index", daemon=True)
                self._thread.start()

    def _open(self) -> None:
        try:
            self._index = default_index(self.index_dir)
        except Exception as error:      # kept and shown when the index is asked for
            log.exception("index unavailable")
            self._error = error

    def __call__(self):
        if self._provider is not None:
            index = self._provider()
            if index is None:
                raise JixiaoError("未配置资料库（索引）")
            return index
        if self._index is not None:
            return self._index
        if self._error is not None:
            raise JixiaoError(f"资料库无法打开：{self._error}")
        self.start()
        raise JixiaoError("资料库正在建立索引（首次启动需要几分钟），请稍后再试")

