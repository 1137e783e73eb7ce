"""What the commands share (not a command itself: no `register`): reading a report's text, the
data options, printing a result as JSON or text, and CJK-aware column widths."""
from __future__ import annotations

import argparse
import json
import unicodedata
from pathlib import Path
from typing import Callable

from ..errors import JixiaoError


def read_text(path: str | Path) -> str:
    """A report's text: .docx paragraphs, .pdf pages, or a UTF-8 (else GB18030) text file."""
    path = Path(path)
    if not path.exists():
        raise JixiaoError(f"找不到文件“{path}”")
    suffix = path.suffix.lower()
    if suffix == ".docx":
        import docx

        return "\n".join(p.text for p in docx.Document(str(path)).paragraphs)
    if suffix == ".pdf":
        from pypdf import PdfReader

        return "\n".join(page.extract_text() or "" for page in PdfReader(str(path)).pages)
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        try:
            return path.read_text(encoding="gb18030")
        except UnicodeDecodeError as error:
            raise JixiaoError(f"文件“{path}”不是UTF-8或GB18030文本") from error


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
