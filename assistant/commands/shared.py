"""What the commands share (not a command itself: no `register`): reading a report's text, the
data options, printing a result as JSON or text, and CJK-aware column widths."""
from __future__ import annotations

import argparse
import json
import unicodedata
from pathlib import Path
from typing import Callable

from ..documents import decoded_text, read_document
from ..errors import JixiaoError

BINARY_SUFFIXES = (".docx", ".pdf", ".xlsx")     # read by the document readers


def read_text(path: str | Path) -> str:
    """A report's text: .docx (paragraphs and tables), .pdf, .xlsx through the document readers; any
    other file as UTF-8 (else GB18030) text."""
    path = Path(path)
    if not path.is_file():
        raise JixiaoError(f"找不到文件“{path}”")
    if path.suffix.lower() in BINARY_SUFFIXES:
        return read_document(path).text
    return decoded_text(path)


def add_data_options(parser: argparse.ArgumentParser, *, required: bool, help: str) -> None:
    """`--data DATA` (the evaluation to compare with) and `--year` (for a 申报表 with no year)."""
    parser.add_argument("--data", required=required, default=None, help=help)
    parser.add_argument("--year", type=int, default=None, help="年度（申报表未载明年度时必填）")


def print_result(result, as_json: bool, render: Callable[..., str]) -> None:
    """`result.to_json()` as indented JSON, or `render(result)`."""
    print(json.dumps(result.to_json(), ensure_ascii=False, indent=2) if as_json else render(result))


def display_width(text: str) -> int:
    """Columns `text` takes in a terminal: a CJK character takes two."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def pad(text: str, width: int) -> str:
    return text + " " * max(0, width - display_width(text))
