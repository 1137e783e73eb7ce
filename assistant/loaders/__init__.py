"""Input formats → `Evaluation`. See `assistant.actuals` for the public API (`load`, `load_declaration`).

Each reader module finds the cells of its format and fills a `RawEvaluation`; `base.assemble`
validates them all at once. `READERS` maps a file suffix to its reader: adding a format is one
module and one line.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable

from ..errors import DataError, DataErrors
from ..evaluation import Evaluation
from . import csv_profile, declaration, xlsx, yaml_json
from .base import RawEvaluation, ReadOptions, assemble

READERS: dict[str, Callable[[Path, ReadOptions], RawEvaluation]] = {
    ".yaml": yaml_json.read, ".yml": yaml_json.read, ".json": yaml_json.read,
    ".xlsx": xlsx.read, ".xlsm": xlsx.read,
    ".csv": csv_profile.read,                   # with its YAML profile
    ".txt": declaration.read, ".tsv": declaration.read,   # the 申报表 as tab-separated text …
    ".docx": declaration.read,                  # … or as the Word table
}
EVALUATION_SUFFIXES = (".yaml", ".yml", ".json", ".xlsx", ".xlsm", ".csv")
DECLARATION_SUFFIXES = (".txt", ".tsv", ".docx")


def load(path: str | Path, profile: str | Path | None = None, year: int | None = None) -> Evaluation:
    """Read one evaluation from any supported format, chosen by the file suffix.

    `profile` is the YAML profile of a CSV indicator table (default: the .yaml beside it).
    `year` is used by the 申报表 importer (.txt/.tsv/.docx) when the form does not print one.
    """
    path = Path(path)
    if not path.exists():
        raise DataErrors([DataError("文件不存在", str(path))])
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise DataErrors([DataError(
            f"不支持的文件类型“{path.suffix}”：支持 {'、'.join(READERS)}", path.name)])
    return assemble(reader(path, ReadOptions(profile=profile, year=year)))


def load_declaration(path: str | Path, year: int | None = None) -> Evaluation:
    """Import a 部门整体预算绩效目标申报表 (tab-separated text exported from Word, or .docx)."""
    path = Path(path)
    if not path.exists():
        raise DataErrors([DataError("文件不存在", str(path))])
    return assemble(declaration.read(path, ReadOptions(year=year)))
