"""Input formats → `Evaluation`. See `assistant.actuals` for the public API (`load`, `load_declaration`)."""
from __future__ import annotations

from pathlib import Path

from ..errors import DataError, DataErrors
from ..evaluation import Evaluation
from .base import assemble

EVALUATION_SUFFIXES = (".yaml", ".yml", ".json", ".xlsx", ".xlsm", ".csv")
DECLARATION_SUFFIXES = (".txt", ".tsv", ".docx")


def load(path: str | Path, profile: str | Path | None = None, year: int | None = None) -> Evaluation:
    """Read one evaluation from any supported format, dispatching on the file suffix.

    `profile` is the YAML profile of a CSV indicator table (default: the .yaml beside it).
    `year` is used by the 申报表 importer (.txt/.tsv/.docx) when the form does not print one.
    """
    path = Path(path)
    if not path.exists():
        raise DataErrors([DataError("文件不存在", str(path))])
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml", ".json"):
        from . import yaml_json
        raw = yaml_json.read(path)
    elif suffix in (".xlsx", ".xlsm"):
        from . import xlsx
        raw = xlsx.read(path)
    elif suffix == ".csv":
        from . import csv_profile
        raw = csv_profile.read(path, profile)
    elif suffix in DECLARATION_SUFFIXES:
        return load_declaration(path, year=year)
    else:
        raise DataErrors([DataError(
            f"不支持的文件类型“{path.suffix}”：支持 {'、'.join(EVALUATION_SUFFIXES + DECLARATION_SUFFIXES)}",
            path.name)])
    return assemble(raw)


def load_declaration(path: str | Path, year: int | None = None) -> Evaluation:
    """Import a 部门整体预算绩效目标申报表 (tab-separated text exported from Word, or .docx)."""
    from . import declaration
    path = Path(path)
    if not path.exists():
        raise DataErrors([DataError("文件不存在", str(path))])
    return assemble(declaration.read(path, year))
