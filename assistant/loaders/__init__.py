"""Input formats → `Evaluation`. See `assistant.actuals` for the public API (`load`, `load_declaration`).

Each reader module finds the cells of its layout and fills a `RawEvaluation`; `validate.assemble`
decides, once, what they mean. Readers are registered in `REGISTRY`, in the order they are asked:
each says which suffixes it reads and how it recognises a file by its content, and the first that
recognises a file reads it. A file no reader recognises is an error listing what was looked for.
Adding a layout is one module and one line here.

Before validation, the officer's corrections are applied (`overrides`): the `X.overrides.yaml`
beside the data, an `--overrides FILE`, and each `--set 第3行.实际完成值=16场`.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from ..errors import DataError, DataErrors
from ..evaluation import Evaluation, Provenance
from . import csv_profile, declaration, self_evaluation, xlsx, yaml_json
from .base import RawEvaluation, ReadOptions
from .overrides import Override, apply_overrides, overrides_file_for, parse_set, read_overrides
from .validate import assemble


@dataclass(frozen=True)
class Reader:
    name: str                                                   # what it reads, in Chinese
    suffixes: tuple[str, ...]
    recognises: Callable[[Path], bool]                          # by content (after the suffix)
    read: Callable[[Path, ReadOptions], RawEvaluation]
    looked_for: str                                             # what recognition looks for, in Chinese


REGISTRY: tuple[Reader, ...] = (
    Reader("YAML/JSON 绩效数据", yaml_json.SUFFIXES, yaml_json.recognises, yaml_json.read, yaml_json.LOOKED_FOR),
    Reader("绩效自评表", self_evaluation.SUFFIXES, self_evaluation.recognises, self_evaluation.read,
           self_evaluation.LOOKED_FOR),
    Reader("绩效数据工作簿", xlsx.SUFFIXES, xlsx.recognises, xlsx.read, xlsx.LOOKED_FOR),
    Reader("CSV 指标表", csv_profile.SUFFIXES, csv_profile.recognises, csv_profile.read, csv_profile.LOOKED_FOR),
    Reader("绩效目标申报表", declaration.SUFFIXES, declaration.recognises, declaration.read, declaration.LOOKED_FOR),
)
SUFFIXES = tuple(dict.fromkeys(s for reader in REGISTRY for s in reader.suffixes))
# suffix → the readers that may read it, in registry order (`tuple(READERS)` is every suffix read)
READERS: dict[str, tuple[Reader, ...]] = {s: tuple(r for r in REGISTRY if s in r.suffixes) for s in SUFFIXES}
EVALUATION_SUFFIXES = (".yaml", ".yml", ".json", ".xlsx", ".xlsm", ".csv", ".docx")
DECLARATION_SUFFIXES = (".txt", ".tsv", ".docx")


def reader_for(path: Path) -> Reader:
    """The first registered reader that recognises `path` by its content."""
    candidates = READERS.get(path.suffix.lower(), ())
    if not candidates:
        raise DataErrors([DataError(f"不支持的文件类型“{path.suffix}”：支持 {'、'.join(SUFFIXES)}", path.name)])
    for reader in candidates:
        if reader.recognises(path):
            return reader
    looked = "；".join(f"{r.name}：{r.looked_for}" for r in candidates)
    raise DataErrors([DataError(f"不支持或无法识别的文件内容，已查找：{looked}", path.name)])


def _corrections(path: Path, overrides_file: str | Path | None, settings: list[str] | None) -> list[Override]:
    found: list[Override] = []
    beside = overrides_file_for(path)
    if beside.exists():
        found += read_overrides(beside)
    if overrides_file is not None:
        given = Path(overrides_file)
        if not given.exists():
            raise DataErrors([DataError("更正文件不存在", str(given))])
        found += read_overrides(given)
    found += [parse_set(text) for text in settings or ()]
    return found


def read_raw(path: str | Path, profile: str | Path | None = None, year: int | None = None,
             overrides: str | Path | None = None, settings: list[str] | None = None,
             reader: Reader | None = None) -> RawEvaluation:
    """The cells of a file, with the officer's corrections and a `year` given on the command line applied."""
    path = Path(path)
    if not path.exists():
        raise DataErrors([DataError("文件不存在", str(path))])
    reader = reader or reader_for(path)
    raw = reader.read(path, ReadOptions(profile=profile, year=year))
    if year is not None:
        raw.profile["year"] = (year, Provenance(file=raw.file, column="年度（命令行参数）"))
    apply_overrides(raw, _corrections(path, overrides, settings))
    return raw


def load(path: str | Path, profile: str | Path | None = None, year: int | None = None,
         overrides: str | Path | None = None, settings: list[str] | None = None) -> Evaluation:
    """Read one evaluation from any registered format, recognised by its content.

    `profile` is the YAML profile of a CSV indicator table (default: the .yaml beside it).
    `year` is used when the data prints no year (a 申报表). `overrides` is a corrections file
    (besides the `X.overrides.yaml` read automatically), `settings` the `--set` corrections.
    """
    return assemble(read_raw(path, profile, year, overrides, settings))


def load_declaration(path: str | Path, year: int | None = None) -> Evaluation:
    """Import a 部门整体预算绩效目标申报表 (tab-separated text exported from Word, or .docx)."""
    declaration_reader = next(r for r in REGISTRY if r.read is declaration.read)
    return assemble(read_raw(path, year=year, reader=declaration_reader))
