"""The server's allocator: at most one malloc arena per core (glibc), set before the server's threads start.

glibc gives a process up to eight malloc arenas per core, one taken by each thread that allocates
while the others hold theirs; with Gradio's worker threads (about 45 in the 20-session load) memory
freed in one arena is not reused by threads of another, and the server's resident size crept up by
about 2.6 MB a round with no live object left behind (Python's objects flat, glibc's free bytes
growing). With one arena per core it grew 1.75 MB a round, what the conversations themselves add,
at the same speed (`python -m eval.ui.load --rounds 6`, README). Elsewhere (not glibc) nothing is done.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import os
import sys

M_ARENA_MAX = -8        # glibc's mallopt parameter (malloc.h)


def limit_malloc_arenas(arenas: int | None = None) -> bool:
    """Cap glibc's malloc arenas at `arenas` (default: one per core); True when the cap was set."""
    if not sys.platform.startswith("linux") or os.environ.get("MALLOC_ARENA_MAX"):
        return False            # not glibc, or the administrator chose
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        mallopt = libc.mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes, mallopt.restype = [ctypes.c_int, ctypes.c_int], ctypes.c_int
    return mallopt(M_ARENA_MAX, max(1, arenas or os.cpu_count() or 1)) == 1
