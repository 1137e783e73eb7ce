"""The one error type of the retrieval package: an index problem the officer can act on.

Every message is one Chinese sentence naming what is wrong and the way out (usually
`jixiao index build`), never a traceback.
"""
from __future__ import annotations

from ..errors import JixiaoError

REBUILD_HINT = "请运行 jixiao index build 重建索引"


class RetrievalError(JixiaoError):
    """A missing or damaged index, an unreachable Chroma server, a bad setting."""
