"""Every stated limit of what jixiao reads and keeps, one frozen dataclass per area, each limit a
named setting with its reason. A message for something over a limit names the limit and where
(`文件“x.xlsx”的工作表“绩效指标”超过行数上限（100000行）`).
"""
from __future__ import annotations

from dataclasses import dataclass


# --- the shared server ---

@dataclass(frozen=True)
class ServerLimits:
    """What the browser UI accepts and how long it keeps an officer's files."""
    upload_mb: int = 10
    """An upload's size (MB): a larger data file or document is refused with the loader's message."""
    transfer_mb: int = 200
    """Gradio's own transfer limit, far above `upload_mb`: a file between the two reaches the server
    and is refused there in Chinese (Gradio's browser-side refusal is in English)."""
    upload_kept_s: float = 600.0
    """An upload no handler has taken (read and deleted) is deleted after this many seconds."""



SERVER = ServerLimits()
