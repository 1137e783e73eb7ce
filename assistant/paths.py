"""Where things are by default: the index, the corpus, the examples, the user cache, the checkout.

One module answers these, so an installed wheel and a source checkout find the same things:

- `index_dir()`: `$JIXIAO_INDEX`, else `./index` (built, never committed);
- `corpus_dir()`: `./corpus` when the working folder has one, else the checkout's `corpus/`, else
  None (an installed package run elsewhere has no corpus: retrieval then says so);
- `examples_dir()`: `./examples`, else the checkout's `examples/`, else None;
- `cache_dir()`: `$JIXIAO_CACHE`, else `$XDG_CACHE_HOME/jixiao`, else `~/.cache/jixiao` (the
  assembled GGUF, jieba's dictionary cache);
- `data_dir()`: `$JIXIAO_DATA_DIR`, else `$XDG_DATA_HOME/jixiao`, else `~/.local/share/jixiao` (the
  officers' saved work: the sessions' database and files);
- `checkout()`: the source checkout the package runs from (a folder with `pyproject.toml`,
  `assistant/` and `eval/`), or None when it is installed from a wheel.
"""
from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def checkout() -> Path | None:
    root = PACKAGE_DIR.parent
    if (root / "pyproject.toml").is_file() and (root / "eval").is_dir():
        return root
    return None


def _here_or_checkout(name: str) -> Path | None:
    here = Path(name)
    if here.is_dir():
        return here
    root = checkout()
    if root is not None and (root / name).is_dir():
        return root / name
    return None


def index_dir() -> Path:
    return Path(os.environ.get("JIXIAO_INDEX") or "index")


def corpus_dir() -> Path | None:
    return _here_or_checkout("corpus")


def examples_dir() -> Path | None:
    return _here_or_checkout("examples")


def cache_dir() -> Path:
    configured = os.environ.get("JIXIAO_CACHE")
    if configured:
        return Path(configured)
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "jixiao"


def data_dir() -> Path:
    configured = os.environ.get("JIXIAO_DATA_DIR")
    if configured:
        return Path(configured)
    return Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share") / "jixiao"
