"""YAML and JSON evaluations: top-level keys are the `基本信息` fields, indicators a list under 绩效指标.

Provenance: `row` is the 1-based position in a list (the third indicator is row 3) and `column`
is the key path as written (`绩效指标.实际完成值`, `重点任务.资金`, `资金用途.场地租赁费`).
"""
from __future__ import annotations

import json
from pathlib import Path

import yaml

from ..errors import DataError, DataErrors
from ..evaluation import Provenance
from .base import (
    RawEvaluation,
    ReadOptions,
    indicator_column,
    parsed_once,
    is_blank,
    profile_field_hint,
    task_field,
    text_of,
    unit_hint,
    with_unit_hint,
)


@parsed_once
def read_mapping(path: Path) -> dict:
    """Parse a YAML or JSON file into its top-level mapping; syntax errors name the line."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise DataErrors([DataError("文件不是UTF-8编码", path.name)]) from error
    try:
        data = json.loads(text) if path.suffix.lower() == ".json" else yaml.safe_load(text)
    except json.JSONDecodeError as error:
        raise DataErrors([DataError(f"JSON格式错误：{error.msg}", path.name, row=error.lineno)]) from error
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        raise DataErrors([DataError(f"YAML格式错误：{getattr(error, 'problem', error)}", path.name,
                                    row=mark.line + 1 if mark else None)]) from error
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise DataErrors([DataError("文件顶层应为字段映射（单位名称、年度、绩效指标……）", path.name)])
    return data


def fill_from_mapping(raw: RawEvaluation, data: dict, file: str, allow_indicators: bool = True) -> None:
    """Put a top-level mapping's fields into `raw` (used for YAML/JSON files and CSV profiles)."""
    for key, value in data.items():
        field, hint = profile_field_hint(key)
        where = Provenance(file=file, column=str(key))
        if field is None:
            raw.warnings.append(f"未识别的字段“{key}”，已忽略（{file}）")
        elif field == "policy_basis":
            items = value if isinstance(value, list) else str(value or "").splitlines()
            for k, item in enumerate(items):
                raw.policy_basis.append((item, Provenance(file=file, row=k + 1, column=str(key))))
        elif field == "tasks":
            _tasks(raw, value, file, str(key))
        elif field in ("by_source", "by_item"):
            _breakdown(raw, field, value, file, str(key))
        elif field == "indicators":
            if allow_indicators:
                _indicators(raw, value, file, str(key))
            else:
                raw.warnings.append(f"配置文件中的“{key}”已忽略：指标取自CSV文件（{file}）")
        else:
            raw.profile[field] = (with_unit_hint(value, hint), where)


def _tasks(raw: RawEvaluation, value: object, file: str, key: str) -> None:
    if not isinstance(value, list):
        raw.problem("重点任务应为列表（每项含名称、主要内容、资金、目标），未读入", Provenance(file=file, column=key), value)
        return
    for k, item in enumerate(value):
        if isinstance(item, str):
            item = {"名称": item}
        if not isinstance(item, dict):
            raw.problem("重点任务的这一项不是“名称、主要内容、资金、目标”的映射，未读入",
                        Provenance(file=file, row=k + 1, column=key), item)
            continue
        raw.tasks.append(_record(raw, item, task_field, file, k, key, "重点任务"))


# the fields whose bare numbers take the header hint's unit (`资金（万元）: 163` is 163万元)
HINTED_FIELDS = ("funds", "stated_completion")


def _record(raw: RawEvaluation, item: dict, lookup, file: str, k: int, key: str, what: str) -> dict:
    """One list item (a task, an indicator) as cells keyed by canonical field, each citing `key.字段` and row k+1."""
    row = {}
    for name, cell in item.items():
        field, hint = lookup(name)
        if field is None:
            raw.warnings.append(f"{what}第{k + 1}项的字段“{name}”未识别，已忽略（{file}）")
            continue
        if hint and field in ("target", "actual"):
            raw.column_units.setdefault(field, unit_hint(hint))
        value = with_unit_hint(cell, hint) if field in HINTED_FIELDS else cell
        row[field] = (value, Provenance(file=file, row=k + 1, column=f"{key}.{name}"))
    return row


def _breakdown(raw: RawEvaluation, field: str, value: object, file: str, key: str) -> None:
    target = raw.by_source if field == "by_source" else raw.by_item
    if isinstance(value, dict):
        for name, amount in value.items():
            target.append((text_of(name), (amount, Provenance(file=file, column=f"{key}.{name}"))))
    elif isinstance(value, list):
        for k, item in enumerate(value):
            if isinstance(item, dict) and len(item) == 1:
                (name, amount), = item.items()
                target.append((text_of(name), (amount, Provenance(file=file, row=k + 1, column=f"{key}.{name}"))))
            else:
                raw.problem(f"{key}的这一项不是“名称: 金额”，未读入", Provenance(file=file, row=k + 1, column=key), item)
    elif not is_blank(value):
        raw.problem(f"{key}应为“名称: 金额”的映射，未读入", Provenance(file=file, column=key), value)


def _indicators(raw: RawEvaluation, value: object, file: str, key: str) -> None:
    if not isinstance(value, list):
        raw.problem("绩效指标应为列表（每项含一级指标、三级指标、年度指标值……），未读入", Provenance(file=file, column=key),
                    value)
        return
    for k, item in enumerate(value):
        if not isinstance(item, dict):
            raw.problem("绩效指标的这一项不是“一级指标、三级指标、年度指标值……”的映射，未读入",
                        Provenance(file=file, row=k + 1, column=key), item)
            continue
        row = _record(raw, item, indicator_column, file, k, key, "绩效指标")
        if not row:
            continue
        # keep every row's columns in a stable order, so a missing 三级指标 still names its place
        row.setdefault("name", ("", Provenance(file=file, row=k + 1, column=f"{key}.三级指标")))
        raw.indicators.append(row)


SUFFIXES = (".yaml", ".yml", ".json")
LOOKED_FOR = "顶层为字段映射（单位名称、年度、绩效指标……）的 YAML/JSON 文件"


def recognises(path: Path) -> bool:
    """Any YAML/JSON mapping (a syntax error is reported as such, naming the line)."""
    return path.suffix.lower() in SUFFIXES and isinstance(read_mapping(path), dict)


def read(path: Path, options: ReadOptions = ReadOptions()) -> RawEvaluation:
    raw = RawEvaluation(file=path.name, source_file=str(path))
    fill_from_mapping(raw, read_mapping(path), path.name)
    return raw
