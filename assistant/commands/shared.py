"""What the commands share (not a command itself: no `register`): the step a command is working
on, reading a report's text, the data options, printing a result as JSON or text, and CJK-aware
column widths."""
from __future__ import annotations

import argparse
import contextlib
import json
import unicodedata
from pathlib import Path
from typing import Callable, Iterator

from ..documents import decoded_text, read_document
from ..errors import FileFailure, JixiaoError

BINARY_SUFFIXES = (".docx", ".pdf", ".xlsx")     # read by the document readers


@contextlib.contextmanager
def working_on(path: str | Path, step: str = "读取") -> Iterator[None]:
    """Inside, an unexpected exception becomes a `FileFailure` naming `path` and the step
    (`无法读取文件“x.xlsx”：文件结构损坏（XML解析失败）`); a `JixiaoError` passes as it is."""
    try:
        yield
    except JixiaoError:
        raise
    except Exception as error:
        raise FileFailure(path, step, error) from error


def read_text(path: str | Path) -> str:
    """A report's text: .docx (paragraphs and tables), .pdf, .xlsx through the document readers; any
    other file as UTF-8 (else GB18030) text."""
    path = Path(path)
    if path.is_dir():
        raise JixiaoError(f"“{path}”是文件夹，不是文件")
    if not path.is_file():
        raise JixiaoError(f"找不到文件“{path}”")
    with working_on(path):
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
