"""The one jieba set-up: private tokenizers with the domain dictionary (`data/userdict.txt`).

The global `jieba` dictionary is never touched. `tokenizer(extra_words)` returns the tokenizer for
the domain dictionary plus `extra_words` (cached, thread-safe); BM25 uses the dictionary alone,
the chat's intent rules add a few words of their own. Without the dictionary jieba splits
预算执行率, 绩效自评 and 港澳商协会. jieba's dictionary cache goes to `paths.cache_dir()`, never to the working directory.

`phrase_tokenizer(extra_words)` cuts exactly as `tokenizer(extra_words)` does, but reads its word
frequencies from an SQLite file (written once per dictionary, next to jieba's cache) a word at a
time instead of unpickling all 500 000 of them: the figure checker cuts a few hundred short phrases
per run, and a `jixiao check` process would otherwise spend most of its second loading the
dictionary. Bulk tokenising (BM25 over a corpus) keeps the in-memory tokenizer.
"""
from __future__ import annotations

import hashlib
import logging
import os
import sqlite3
import threading
from pathlib import Path

import jieba

from . import paths

USERDICT = Path(__file__).parent / "data" / "userdict.txt"
EXTRA_WORD_FREQUENCY = 20000

_lock = threading.Lock()
_tokenizers: dict[tuple[str, ...], jieba.Tokenizer] = {}


def _cache_folder() -> Path:
    return paths.cache_dir() / "jieba"


def tokenizer(extra_words: tuple[str, ...] = ()) -> jieba.Tokenizer:
    """A private jieba tokenizer with the domain dictionary and `extra_words` loaded (made once)."""
    with _lock:
        if extra_words not in _tokenizers:
            jieba.setLogLevel(logging.WARNING)
            tok = jieba.Tokenizer()
            folder = _cache_folder()
            try:
                folder.mkdir(parents=True, exist_ok=True)
                tok.tmp_dir = str(folder)
            except OSError:               # an unusable cache folder: jieba's cache goes to the temp folder
                pass
            tok.initialize()
            tok.load_userdict(str(USERDICT))
            for word in extra_words:
                tok.add_word(word, freq=EXTRA_WORD_FREQUENCY)
            _tokenizers[extra_words] = tok
        return _tokenizers[extra_words]


_phrase_tokenizers: dict[tuple[str, ...], jieba.Tokenizer] = {}
_MISSING = object()


class DiskFrequencies:
    """jieba's word → frequency table read from SQLite one word at a time, each answer remembered.

    Supports what jieba's cutting reads (`word in table`, `table[word]`, `table.get(word)`); the
    file is opened read-only, one connection per thread."""

    def __init__(self, path: Path):
        self.path = path
        self._seen: dict[str, int | None] = {}
        self._local = threading.local()

    def _connection(self) -> sqlite3.Connection:
        connection = getattr(self._local, "connection", None)
        if connection is None:
            connection = sqlite3.connect(f"file:{self.path}?mode=ro&immutable=1", uri=True, check_same_thread=False)
            self._local.connection = connection
        return connection

    def total(self) -> int:
        """The sum of every word's frequency, as jieba's `Tokenizer.total`."""
        return self._connection().execute("SELECT total FROM meta").fetchone()[0]

    def _lookup(self, word: str) -> int | None:
        found = self._seen.get(word, _MISSING)
        if found is _MISSING:
            row = self._connection().execute("SELECT freq FROM words WHERE word = ?", (word,)).fetchone()
            found = self._seen[word] = row[0] if row else None
        return found

    def __contains__(self, word: str) -> bool:
        return self._lookup(word) is not None

    def __getitem__(self, word: str) -> int:
        found = self._lookup(word)
        if found is None:
            raise KeyError(word)
        return found

    def get(self, word: str, default=None):
        found = self._lookup(word)
        return default if found is None else found


def _frequency_file(extra_words: tuple[str, ...]) -> Path:
    """The SQLite frequency table of `tokenizer(extra_words)`, written once per dictionary version."""
    dictionary = Path(jieba.__file__).with_name(jieba.DEFAULT_DICT_NAME)
    key = hashlib.sha256(repr((jieba.__version__, dictionary.stat().st_size, dictionary.stat().st_mtime_ns,
                               USERDICT.read_bytes(), extra_words, EXTRA_WORD_FREQUENCY)).encode()).hexdigest()[:16]
    folder = _cache_folder()
    path = folder / f"frequencies-{key}.sqlite"
    if path.exists():
        return path
    full = tokenizer(extra_words)
    folder.mkdir(parents=True, exist_ok=True)
    partial = folder / f".{path.name}.{os.getpid()}.{threading.get_ident()}"
    partial.unlink(missing_ok=True)
    with sqlite3.connect(partial) as connection:
        connection.execute("CREATE TABLE words (word TEXT PRIMARY KEY, freq INTEGER NOT NULL) WITHOUT ROWID")
        connection.execute("CREATE TABLE meta (total INTEGER NOT NULL)")
        connection.executemany("INSERT INTO words VALUES (?, ?)", full.FREQ.items())
        connection.execute("INSERT INTO meta VALUES (?)", (full.total,))
    connection.close()
    os.replace(partial, path)
    return path


def phrase_tokenizer(extra_words: tuple[str, ...] = ()) -> jieba.Tokenizer:
    """A tokenizer cutting as `tokenizer(extra_words)` does, its dictionary read from disk word by word."""
    with _lock:
        found = _phrase_tokenizers.get(extra_words)
    if found is not None:
        return found
    try:
        path = _frequency_file(extra_words)
    except (OSError, sqlite3.Error):          # a read-only or full cache folder: cut from memory instead
        return tokenizer(extra_words)
    with _lock:
        if extra_words not in _phrase_tokenizers:
            jieba.setLogLevel(logging.WARNING)
            tok = jieba.Tokenizer()
            tok.FREQ = DiskFrequencies(path)
            tok.total = tok.FREQ.total()
            tok.initialized = True
            _phrase_tokenizers[extra_words] = tok
        return _phrase_tokenizers[extra_words]
