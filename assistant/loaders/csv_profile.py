"""A CSV indicator table plus a YAML profile: `X.csv` holds the indicators, `X.yaml` beside it the rest.

Convention: the profile is the file with the same stem and suffix .yaml (or .yml) in the same
folder, unless one is given (`jixiao score X.csv --profile other.yaml`). The profile has the same
keys as a YAML evaluation (单位名称, 年度, 预算安排 …) without 绩效指标. The CSV's first non-blank
row is the header (the indicator columns of an XLSX 绩效指标 sheet); UTF-8 (with or without BOM)
or GB18030, as Excel writes it. Provenance row = the CSV record number (the header is row 1; the
same as the line number unless a quoted cell spans lines).
"""
from __future__ import annotations

import csv
import io
from pathlib import Path

from .. import limits
from ..errors import DataError, DataErrors
from ..evaluation import Provenance
from .base import (
    RawEvaluation,
    ReadOptions,
    indicator_column,
    is_blank,
    read_text,
    text_of,
    unit_hint,
    with_unit_hint,
)
from .yaml_json import fill_from_mapping, read_mapping


def profile_for(path: Path, profile: str | Path | None) -> Path:
    if profile is not None:
        found = Path(profile)
        if not found.exists():
            raise DataErrors([DataError("配置文件（基本信息YAML）不存在", str(found))])
        return found
    for suffix in (".yaml", ".yml"):
        candidate = path.with_suffix(suffix)
        if candidate.exists():
            return candidate
    raise DataErrors([DataError(
        f"CSV指标表需要同名的基本信息文件“{path.with_suffix('.yaml').name}”（单位名称、年度、预算安排……），"
        "或用 --profile 指定", path.name)])


SUFFIXES = (".csv",)
LOOKED_FOR = "CSV 指标表（表头含“三级指标”，同名 .yaml 为基本信息）"


def recognises(path: Path) -> bool:
    return path.suffix.lower() in SUFFIXES


def _records(path: Path) -> list[list[str]]:
    """The CSV's records, read within the limits: a header wider than the column limit, more records
    than the row limit, a field longer than the cell limit or a quote never closed refuses the file,
    naming the record (the header is 第1行). Line ends may be CRLF, LF or CR alone."""
    cap = limits.DATA_FILES
    reader = csv.reader(io.StringIO(read_text(path), newline=""), strict=True)
    rows: list[list[str]] = []
    try:
        for row in reader:
            if len(row) > cap.columns:
                raise DataErrors([DataError(f"超过列数上限（{cap.columns}列，此处{len(row)}列）", path.name,
                                            row=len(rows) + 1)])
            rows.append(row)
            if len(rows) > cap.rows + 1:
                raise DataErrors([DataError(f"绩效指标超过行数上限（{cap.rows}行）", path.name, row=len(rows))])
    except csv.Error as error:
        if "field larger than field limit" in str(error):
            reason = f"单元格内容超过长度上限（{cap.cell_chars}字）"
        elif "end of data" in str(error):
            reason = "CSV格式错误：引号未闭合（从此行起的内容都在一个引号里）"
        else:
            reason = f"CSV格式错误：{error}"
        raise DataErrors([DataError(reason, path.name, row=len(rows) + 1)]) from error
    return rows


def read(path: Path, options: ReadOptions = ReadOptions()) -> RawEvaluation:
    profile_path = profile_for(path, options.profile)
    raw = RawEvaluation(file=path.name, source_file=str(path))
    fill_from_mapping(raw, read_mapping(profile_path), profile_path.name, allow_indicators=False)

    rows = _records(path)
    header_at = next((k for k, row in enumerate(rows) if any(not is_blank(c) for c in row)), None)
    if header_at is None:               # no header row: not an indicator table at all
        raw.errors.append(DataError("CSV文件为空（没有表头行，不是指标表）", path.name))
        return raw
    columns = {}
    for index, label in enumerate(rows[header_at]):
        if is_blank(label):
            continue
        field, hint = indicator_column(label)
        if field is None:
            raw.warnings.append(f"CSV的列“{text_of(label)}”未识别，已忽略（{path.name}）")
        elif field not in [c[0] for c in columns.values()]:
            columns[index] = (field, text_of(label), hint)
            if field in ("target", "actual") and unit_hint(hint):
                raw.column_units[field] = unit_hint(hint)
    if "name" not in [c[0] for c in columns.values()]:
        raw.warnings.append(f"CSV文件{path.name}第{header_at + 1}行的表头中找不到“三级指标”列，指标未读入")
        return raw
    for k, row in enumerate(rows[header_at + 1:], start=header_at + 2):
        if all(is_blank(c) for c in row):
            continue
        record = {}
        for index, (field, label, hint) in columns.items():
            value = row[index] if index < len(row) else ""
            if field == "stated_completion":
                value = with_unit_hint(value, hint)
            record[field] = (value, Provenance(file=path.name, row=k, column=label))
        raw.indicators.append(record)
    return raw
