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

from ..actuals import load
from ..documents import decoded_text, read_document
from ..errors import FileFailure, JixiaoError
from ..evaluation import Evaluation

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


def add_data_options(parser: argparse.ArgumentParser, *, required: bool | None, help: str) -> None:
    """`--data DATA` (the evaluation to compare with; `required=None` when the command takes DATA as its
    argument), `--year` (for data with no year), and the officer's corrections: `--overrides FILE` and
    `--set 第3行.实际完成值=16场` (the `DATA.overrides.yaml` beside the data is read anyway)."""
    if required is not None:
        parser.add_argument("--data", required=required, default=None, help=help)
    parser.add_argument("--year", type=int, default=None, help="年度（数据未载明年度时填写）")
    parser.add_argument("--overrides", default=None,
                        help="更正文件（YAML，“第3行.实际完成值: 16场”；与数据同名的 .overrides.yaml 自动读取）")
    parser.add_argument("--set", dest="settings", action="append", default=None, metavar="位置=值",
                        help="更正一个单元格，如 --set 第3行.实际完成值=16场 或 --set 年度=2023（可重复）")


def load_data(args: argparse.Namespace, path: str | Path | None = None) -> Evaluation:
    """The evaluation the data options name (DATA, or `--data`), with the corrections applied."""
    path = path if path is not None else args.data
    with working_on(path):
        return load(path, profile=getattr(args, "profile", None), year=args.year,
                    overrides=getattr(args, "overrides", None), settings=getattr(args, "settings", None))


def print_result(result, as_json: bool, render: Callable[..., str]) -> None:
    """`result.to_json()` as indented JSON, or `render(result)`."""
    print(json.dumps(result.to_json(), ensure_ascii=False, indent=2) if as_json else render(result))


def display_width(text: str) -> int:
    """Columns `text` takes in a terminal: a CJK character takes two."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def pad(text: str, width: int) -> str:
    return text + " " * max(0, width - display_width(text))
