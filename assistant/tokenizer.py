"""The one jieba set-up: private tokenizers with the domain dictionary (`data/userdict.txt`).

The global `jieba` dictionary is never touched. `tokenizer(extra_words)` returns the tokenizer for
the domain dictionary plus `extra_words` (cached, thread-safe); BM25 uses the dictionary alone,
the chat's intent rules add a few words of their own. Without the dictionary jieba splits
预算执行率, 绩效自评 and 港澳商协会. jieba's dictionary cache goes to `paths.cache_dir()`, never to the working directory.
"""
from __future__ import annotations

import logging
import threading
from pathlib import Path

import jieba

from . import paths

USERDICT = Path(__file__).parent / "data" / "userdict.txt"
EXTRA_WORD_FREQUENCY = 20000

_lock = threading.Lock()
_tokenizers: dict[tuple[str, ...], jieba.Tokenizer] = {}


def tokenizer(extra_words: tuple[str, ...] = ()) -> jieba.Tokenizer:
    """A private jieba tokenizer with the domain dictionary and `extra_words` loaded (made once)."""
    with _lock:
        if extra_words not in _tokenizers:
            jieba.setLogLevel(logging.WARNING)
            tok = jieba.Tokenizer()
            folder = paths.cache_dir() / "jieba"
            folder.mkdir(parents=True, exist_ok=True)
            tok.tmp_dir = str(folder)
            tok.initialize()
            tok.load_userdict(str(USERDICT))
            for word in extra_words:
                tok.add_word(word, freq=EXTRA_WORD_FREQUENCY)
            _tokenizers[extra_words] = tok
        return _tokenizers[extra_words]
