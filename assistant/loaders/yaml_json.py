"""YAML and JSON evaluations: top-level keys are the `基本信息` fields, indicators a list under 绩效指标.

Provenance: `row` is the 1-based position in a list (the third indicator is row 3) and `column`
is the key path as written (`绩效指标.实际完成值`, `重点任务.资金`, `资金用途.场地租赁费`).
"""
from __future__ import annotations

import json
from pathlib import Path

import yaml

from .. import limits
from ..errors import DataError, DataErrors
from ..evaluation import Provenance
from .base import (
    RawEvaluation,
    ReadOptions,
    indicator_column,
    parsed_once,
    is_blank,
    profile_field_hint,
    read_text,
    task_field,
    text_of,
    unit_hint,
    with_unit_hint,
)
from .syntax import json_syntax_error, yaml_syntax_error


class _PythonLoader(yaml.SafeLoader):
    """The safe loader, reading an integer of more digits than a data file may hold
    (`limits.DATA_FILES.number_digits`) as its text: validation then names the cell."""


class _Loader(yaml.CSafeLoader if yaml.__with_libyaml__ else yaml.SafeLoader):
    """`_PythonLoader` in libyaml's speed (when installed). libyaml refuses an escaped lone surrogate
    (`"\\ud800"`) that PyYAML reads: such a file is read again by `_PythonLoader` (`_LIBYAML_ONLY`)."""


# libyaml's errors for what PyYAML reads: the file is read again by the pure-Python loader
_LIBYAML_ONLY = ("invalid Unicode character escape code",)


def _bounded_int(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> object:
    digits = sum(ch.isdigit() for ch in node.value)
    if digits > limits.DATA_FILES.number_digits:
        return node.value
    return yaml.SafeLoader.construct_yaml_int(loader, node)


_PythonLoader.add_constructor("tag:yaml.org,2002:int", _bounded_int)
_Loader.add_constructor("tag:yaml.org,2002:int", _bounded_int)


def _json_int(text: str) -> object:
    return text if len(text) > limits.DATA_FILES.number_digits else int(text)


def _load_yaml(text: str, file: str) -> object:
    try:
        _check_yaml_shape(text, file, _Loader)
        return yaml.load(text, Loader=_Loader)
    except yaml.YAMLError as error:
        if not yaml.__with_libyaml__ or not any(m in str(error) for m in _LIBYAML_ONLY):
            raise
    _check_yaml_shape(text, file, _PythonLoader)
    return yaml.load(text, Loader=_PythonLoader)


def _check_yaml_shape(text: str, file: str, loader: type) -> None:
    """Refuse a YAML file whose nodes, once every alias is expanded, pass the node limit (a billion-laughs
    file), whose lists and mappings nest past the depth limit, or a list longer than the row limit — from
    the event stream, before anything is built, in time linear in the file: an anchor's expanded size is
    counted once and reused."""
    cap = limits.DATA_FILES
    sizes: dict[str, int] = {}
    open_nodes: list[list] = [[None, 0, 0, False]]     # [anchor, expanded nodes, items, is a list] of each open one
    for event in yaml.parse(text, Loader=loader):
        if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            open_nodes.append([event.anchor, 1, 0, isinstance(event, yaml.SequenceStartEvent)])
            if len(open_nodes) - 1 > cap.yaml_depth:
                raise DataErrors([DataError(f"列表和映射的嵌套层次过深（超过{cap.yaml_depth}层的上限）", file,
                                            row=event.start_mark.line + 1)])
            continue
        if isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            anchor, size, _, _ = open_nodes.pop()
            if anchor is not None:
                sizes[anchor] = size
        elif isinstance(event, yaml.ScalarEvent):
            size = 1
            if event.anchor is not None:
                sizes[event.anchor] = 1
        elif isinstance(event, yaml.AliasEvent):
            size = sizes.get(event.anchor, 1)
        else:
            continue
        parent = open_nodes[-1]
        parent[1] += size
        parent[2] += 1
        if parent[1] > cap.yaml_nodes:
            raise DataErrors([DataError(f"内容过多：展开别名（&、*）后超过{cap.yaml_nodes}个值的上限", file,
                                        row=event.start_mark.line + 1)])
        if parent[3] and parent[2] > cap.rows:
            raise DataErrors([DataError(f"列表超过行数上限（{cap.rows}行）", file, row=event.start_mark.line + 1)])


def read_mapping(path: Path) -> dict:
    """Parse a YAML or JSON file into its top-level mapping; syntax errors name the line and column, a
    file past a limit (size, expanded nodes, nesting) names the limit."""
    data = read_data_file(path)
    if not isinstance(data, dict):
        raise DataErrors([DataError("文件顶层应为字段映射（单位名称、年度、绩效指标……）", path.name)])
    return data


@parsed_once
def read_data_file(path: Path) -> object:
    """A YAML or JSON file's content (a `.json` file as JSON, any other as YAML), within the data-file
    limits; an empty file is an empty mapping; a syntax error names the line and column in Chinese."""
    text = read_text(path)
    try:
        if path.suffix.lower() == ".json":
            data = json.loads(text, parse_int=_json_int)
        else:
            data = _load_yaml(text, path.name)
    except json.JSONDecodeError as error:
        raise DataErrors([json_syntax_error(error, text, path.name)]) from error
    except yaml.YAMLError as error:
        raise DataErrors([yaml_syntax_error(error, text, path.name)]) from error
    except RecursionError as error:
        raise DataErrors([DataError(f"列表和映射的嵌套层次过深（超过{limits.DATA_FILES.yaml_depth}层的上限）",
                                    path.name)]) from error
    return {} if data is None else data


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
    if len(value) > limits.DATA_FILES.rows:          # refused before any row is read (a JSON file's rows)
        raw.errors.append(DataError(f"绩效指标超过行数上限（{limits.DATA_FILES.rows}行，此处{len(value)}行）", file,
                                    column=key))
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
