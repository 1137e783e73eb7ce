"""Hostile YAML, JSON and CSV (+ profile) evaluations: bombs, nesting, numbers out of range, encodings, cells under review."""
from __future__ import annotations

import json
import os
from pathlib import Path

from hostile_case import CaseList
from hostile_files import (
    ALIAS_BOMB,
    CSV_COLUMNS,
    PNG,
    PROJECT_XLSX,
    binary_bytes,
    csv_rows,
    dumped,
    numerals,
    project,
    weighted,
    with_indicator,
    write_csv,
    write_json,
    write_yaml,
)

CASES = CaseList()
case = CASES.case


@case("score", 2, "billion-laughs YAML: 9 levels of aliases under 绩效指标 (698 bytes)", item="2", limit=True, bomb=True)
def yaml_alias_bomb(folder: Path) -> Path:
    path = folder / "项目.yaml"
    path.write_text("单位名称: 某单位\n年度: 2023\n预算安排: 100\n" + ALIAS_BOMB + "绩效指标: *i\n", encoding="utf-8")
    return path


@case("check", 2, "the YAML alias bomb as `check --data`", item="2", limit=True, bomb=True)
def yaml_alias_bomb_check(folder: Path) -> Path:
    return yaml_alias_bomb(folder)


@case("draft", 2, "the YAML alias bomb as `draft`", item="2", limit=True, bomb=True)
def yaml_alias_bomb_draft(folder: Path) -> Path:
    return yaml_alias_bomb(folder)


@case("score", 0, "two ordinary anchors and aliases (an 一级指标 reused): legal")
def yaml_few_aliases(folder: Path) -> Path:
    text = dumped(project()).replace("一级指标: 产出指标", "一级指标: &out 产出指标", 1)
    text = text.replace("一级指标: 产出指标", "一级指标: *out")
    path = folder / "项目.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@case("score", 2, "100,000 nested YAML flow sequences under 绩效指标", item="6", limit=True)
def yaml_nested_100k(folder: Path) -> Path:
    path = folder / "项目.yaml"
    path.write_text("单位名称: 某单位\n年度: 2023\n绩效指标: " + "[" * 100_000 + "]" * 100_000 + "\n", encoding="utf-8")
    return path


@case("score", 2, "100,000 nested JSON arrays under 绩效指标", item="6", limit=True)
def json_nested_100k(folder: Path) -> Path:
    path = folder / "项目.json"
    path.write_text('{"单位名称": "某单位", "年度": 2023, "绩效指标": ' + "[" * 100_000 + "]" * 100_000 + "}",
                    encoding="utf-8")
    return path


@case("score", 2, "a YAML python/object tag that would run a command", item="", where=("行",), leaves_no=("pwned",))
def yaml_python_tag(folder: Path) -> Path:
    return write_yaml(folder, {**project(), "预算安排": "__TAG__"},
                      raw={"__TAG__": '!!python/object/apply:os.system ["echo hacked > pwned"]'})


@case("score", 2, "a 5000-digit integer budget (over Python's 4300-digit limit)", item="6", where=("预算安排",))
def yaml_huge_int_budget(folder: Path) -> Path:
    return write_yaml(folder, {**project(), "预算安排": "__INT__"}, raw={"__INT__": "9" * 5000})


@case("score", 2, "a 5000-digit integer weight in JSON", item="6", where=("分值",))
def json_huge_int_weight(folder: Path) -> Path:
    return write_json(folder, with_indicator(weighted(), 1, 分值="__INT__"), raw={"__INT__": "9" * 5000})


@case("score", 2, "budget .nan", item="10", where=("预算安排",))
def yaml_budget_nan(folder: Path) -> Path:
    return write_yaml(folder, {**project(), "预算安排": float("nan")})


@case("score", 2, "spending .inf", item="10", where=("实际支出",))
def yaml_spent_inf(folder: Path) -> Path:
    return write_yaml(folder, {**project(), "实际支出": float("inf")})


@case("score", 2, "JSON NaN literal as the budget", item="10", where=("预算安排",))
def json_nan_budget(folder: Path) -> Path:
    return write_json(folder, {**project(), "预算安排": "__NAN__"}, raw={"__NAN__": "NaN"})


@case("score", 2, "a negative budget", item="10", where=("预算安排",))
def yaml_budget_negative(folder: Path) -> Path:
    return write_yaml(folder, {**project(), "预算安排": -152.5})


@case("score", 2, "negative spending", item="10", where=("实际支出",))
def yaml_spent_negative(folder: Path) -> Path:
    return write_yaml(folder, {**project(), "实际支出": -1})


@case("score", 0, "a budget of 1e308 (legal; scoring must not overflow)", item="5")
def yaml_budget_1e308(folder: Path) -> Path:
    return write_yaml(folder, {**project(), "预算安排": 1e308})


@case("draft", 0, "a budget of 1e308, drafted", item="5")
def yaml_budget_1e308_draft(folder: Path) -> Path:
    return yaml_budget_1e308(folder)


@case("score", 0, "spending of 1e308 against 152.5: the execution rate is bounded in print", item="10")
def yaml_spent_1e308(folder: Path) -> Path:
    return write_yaml(folder, {**project(), "实际支出": 1e308})


@case("score", 2, "a weight of 1e308 (more than a 100-point form holds)", item="10", where=("分值", "第1行"))
def yaml_weight_1e308(folder: Path) -> Path:
    return write_yaml(folder, with_indicator(weighted(), 1, 分值=1e308))


@case("score", 2, "a negative weight", item="10", where=("分值", "第2行"))
def yaml_weight_negative(folder: Path) -> Path:
    return write_yaml(folder, with_indicator(weighted(), 2, 分值=-15))


@case("score", 0, "an actual of 10^26场 (legal; completion is bounded in print)", item="5")
def yaml_actual_1e26(folder: Path) -> Path:
    return write_yaml(folder, with_indicator(project(), 1, 实际完成值="1" + "0" * 26 + "场"))


@case("draft", 0, "an actual of 10^26场, drafted", item="5")
def yaml_actual_1e26_draft(folder: Path) -> Path:
    return yaml_actual_1e26(folder)


@case("score", 0, "no indicators at all, a budget (legal: the budget is scored)", item="5")
def yaml_zero_indicators(folder: Path) -> Path:
    return write_yaml(folder, {**project(), "绩效指标": []})


@case("draft", 0, "no indicators, drafted", item="5")
def yaml_zero_indicators_draft(folder: Path) -> Path:
    return yaml_zero_indicators(folder)


@case("score", 0, "target text `nan` (not qualitative: under review)", item="10", review="年度指标值")
def yaml_target_nan(folder: Path) -> Path:
    return write_yaml(folder, with_indicator(project(), 1, 年度指标值="nan"))


@case("score", 0, "target text `inf` (not qualitative: under review)", item="10", review="年度指标值")
def yaml_target_inf(folder: Path) -> Path:
    return write_yaml(folder, with_indicator(project(), 2, 年度指标值="inf"))


@case("score", 0, "actual .nan (a YAML float)", item="6", review="实际完成值")
def yaml_actual_float_nan(folder: Path) -> Path:
    return write_yaml(folder, with_indicator(project(), 1, 实际完成值=float("nan")))


@case("score", 0, "actual `abc`", item="6", review="实际完成值")
def yaml_actual_abc(folder: Path) -> Path:
    return write_yaml(folder, with_indicator(project(), 3, 实际完成值="abc"))


@case("score", 0, "weight `abc`", item="6", review="分值")
def yaml_weight_abc(folder: Path) -> Path:
    return write_yaml(folder, with_indicator(weighted(), 3, 分值="abc"))


@case("score", 2, "an actual of 14,000 Chinese numerals (quadratic parse: 9 s today)", item="3", limit=True,
      where=("实际完成值", "第1行"))
def yaml_numerals_14k(folder: Path) -> Path:
    return write_yaml(folder, with_indicator(project(), 1, 实际完成值=numerals(14_000) + "场"))


@case("score", 2, "an 84 KB YAML: a target of 28,000 Chinese numerals (42 s today)", item="3", limit=True,
      where=("年度指标值", "第1行"))
def yaml_numerals_84kb(folder: Path) -> Path:
    return write_yaml(folder, with_indicator(project(), 1, 年度指标值="≥" + numerals(28_000) + "场"))


@case("score", 2, "a 1 MB indicator name", item="", limit=True, where=("三级指标", "第2行"))
def yaml_name_1mb(folder: Path) -> Path:
    return write_yaml(folder, with_indicator(project(), 2, 三级指标="名" * 350_000))


@case("score", 2, "60,000 indicators (6 MB)", item="", limit=True)
def yaml_60k_indicators(folder: Path) -> Path:
    head = dumped({k: v for k, v in project().items() if k != "绩效指标"})
    rows = "".join(f"- {{一级指标: 产出指标, 三级指标: 指标{k}, 年度指标值: ≥1场, 实际完成值: 1场}}\n" for k in range(60_000))
    path = folder / "项目.yaml"
    path.write_text(head + "绩效指标:\n" + rows, encoding="utf-8")
    return path


@case("score", 2, "random bytes named .yaml", item="6")
def yaml_binary(folder: Path) -> Path:
    path = folder / "项目.yaml"
    path.write_bytes(binary_bytes())
    return path


@case("score", 2, "the project YAML in UTF-16 with a BOM", item="6")
def yaml_utf16(folder: Path) -> Path:
    path = folder / "项目.yaml"
    path.write_bytes(dumped(project()).encode("utf-16"))
    return path


@case("score", 2, "UTF-8 with one line (line 4, 项目名称) in GB18030", item="", where=("第4行",))
def yaml_mixed_encoding(folder: Path) -> Path:
    lines = dumped(project()).split("\n")
    assert lines[3].startswith("项目名称"), lines[3]
    data = "\n".join(lines[:3]).encode("utf-8") + b"\n" + lines[3].encode("gb18030") + b"\n" + \
        "\n".join(lines[4:]).encode("utf-8")
    path = folder / "项目.yaml"
    path.write_bytes(data)
    return path


@case("score", 0, "a lone surrogate in an actual (YAML escape \\ud800)", item="6", review="实际完成值")
def yaml_lone_surrogate_actual(folder: Path) -> Path:
    return write_yaml(folder, with_indicator(project(), 1, 实际完成值="__S__"), raw={"__S__": '"\\ud800场"'})


@case("score", 0, "a lone surrogate in an indicator name (JSON escape \\udc80): printed escaped", item="6")
def json_lone_surrogate_name(folder: Path) -> Path:
    return write_json(folder, with_indicator(project(), 2, 三级指标="__S__"), raw={"__S__": '"港澳\\udc80商协汇"'})


@case("score", 0, "a lone surrogate in an unknown field's key: the warning is printable", item="6")
def yaml_surrogate_key(folder: Path) -> Path:
    path = write_yaml(folder, project())
    path.write_text(path.read_text(encoding="utf-8") + '"备注\\ud83d": 无\n', encoding="utf-8")
    return path


@case("score", 2, "a YAML whose top level is a list", item="")
def yaml_top_level_list(folder: Path) -> Path:
    path = folder / "项目.yaml"
    path.write_text("- 单位名称: 某单位\n- 年度: 2023\n", encoding="utf-8")
    return path


@case("score", 2, "an empty .yaml (0 bytes): nothing to score", item="")
def yaml_empty(folder: Path) -> Path:
    path = folder / "项目.yaml"
    path.write_bytes(b"")
    return path


@case("score", 2, "a YAML syntax error (an unclosed flow sequence)", item="", where=("第4行第5列", "方括号"))
def yaml_syntax_error(folder: Path) -> Path:
    path = folder / "项目.yaml"
    path.write_text("单位名称: 某单位\n年度: 2023\n预算安排: [100, 200\n实际支出: 90\n", encoding="utf-8")
    return path


@case("score", 2, "JSON with trailing garbage", item="", where=("第2行第1列", "多余的内容"))
def json_trailing_garbage(folder: Path) -> Path:
    path = folder / "项目.json"
    path.write_text(json.dumps(project(), ensure_ascii=False) + "\n多余的内容", encoding="utf-8")
    return path


@case("score", 2, "the project YAML with one indicator field indented a space too far", item="6",
      where=("第29行第9列", "缩进"))
def yaml_bad_indentation(folder: Path) -> Path:
    return _project_yaml_with(folder, "\n  年度指标值: ≥40篇", "\n   年度指标值: ≥40篇")


@case("score", 2, "the project YAML with one indicator field indented by a tab", item="6", where=("第29行第1列", "制表符"))
def yaml_tab_indentation(folder: Path) -> Path:
    return _project_yaml_with(folder, "\n  年度指标值: ≥40篇", "\n\t年度指标值: ≥40篇")


def _project_yaml_with(folder: Path, old: str, new: str) -> Path:
    text = dumped(project())
    assert text.count(old) == 1, old
    path = folder / "项目.yaml"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


@case("score", 2, "the project as JSON with a comma after its last field", item="6", where=("字段名", "最后一项"))
def json_trailing_comma(folder: Path) -> Path:
    path = folder / "项目.json"
    text = json.dumps(project(), ensure_ascii=False, indent=2)
    path.write_text(text[: text.rindex("\n}")] + ",\n}\n", encoding="utf-8")
    return path


@case("score", 0, "the project YAML with CR-only line ends (old Mac)", item="6")
def yaml_cr_only(folder: Path) -> Path:
    path = folder / "项目.yaml"
    path.write_bytes(dumped(project()).replace("\n", "\r").encode("utf-8"))
    return path


@case("score", 0, "names with a right-to-left override, zero-width spaces and a BOM inside: printable output")
def yaml_bidi_zero_width(folder: Path) -> Path:
    data = with_indicator(project(), 1, 三级指标="\u202e“倾”沙龙系列座谈场次")
    data = with_indicator(data, 2, 三级指标="“港澳商协汇”\u200b公众号\ufeff推文数量")
    return write_yaml(folder, {**data, "单位名称": "广州南沙\u2066港澳办\u2069"})


@case("score", 0, "an actual date that does not exist (2023年13月45日) against a deadline", item="", review="实际完成值")
def yaml_malformed_date(folder: Path) -> Path:
    return write_yaml(folder, with_indicator(project(), 1, 年度指标值="2023年12月前", 实际完成值="2023年13月45日"))


@case("score", 0, "a year of 99999 (not a year: under review)", item="", review="年度")
def yaml_year_absurd(folder: Path) -> Path:
    return write_yaml(folder, {**project(), "年度": 99999})


@case("score", 2, "a directory named 项目.yaml", item="6")
def dir_named_yaml(folder: Path) -> Path:
    path = folder / "项目.yaml"
    path.mkdir()
    return path


@case("score", 2, "an .xlsx workbook named .yaml", item="")
def yaml_is_xlsx(folder: Path) -> Path:
    path = folder / "项目.yaml"
    path.write_bytes(PROJECT_XLSX.read_bytes())
    return path


@case("score", 2, "an invalid UTF-8 file name with a bidi override, and a bad year inside", item="6",
      names=os.fsdecode(b"\xff\xfe\xe2\x80\xae\xe9\xa1\xb9.yaml"))
def yaml_undecodable_name(folder: Path) -> Path:
    path = folder / os.fsdecode(b"\xff\xfe\xe2\x80\xae\xe9\xa1\xb9.yaml")
    path.write_text("单位名称: 某单位\n年度: 2023\n预算安排: [未闭合\n", encoding="utf-8")
    return path


@case("score", 2, "a 1 MB CSV field (over csv's 128 KiB field limit)", item="6", limit=True, where=("第2行",))
def csv_field_1mb(folder: Path) -> Path:
    rows = csv_rows()
    rows[0][2] = "名" * 350_000
    return write_csv(folder, rows)


@case("score", 0, "the CSV with CR-only line ends", item="6")
def csv_cr_only(folder: Path) -> Path:
    path = write_csv(folder)
    path.write_bytes(path.read_bytes().replace(b"\r\n", b"\r"))
    return path


@case("score", 2, "a NUL byte in the CSV's third record", item="", where=("第3行",))
def csv_nul_byte(folder: Path) -> Path:
    rows = csv_rows()
    rows[1][2] = "公众号\x00推文"
    return write_csv(folder, rows)


@case("score", 2, "a PNG named .csv (with a good profile)", item="")
def csv_is_png(folder: Path) -> Path:
    path = write_csv(folder)
    path.write_bytes(PNG)
    return path


@case("score", 2, "the CSV in UTF-16", item="6")
def csv_utf16(folder: Path) -> Path:
    return write_csv(folder, encoding="utf-16")


@case("score", 2, "UTF-8 CSV with its third record in GB18030", item="", where=("第3行",))
def csv_mixed_encoding(folder: Path) -> Path:
    path = write_csv(folder)
    lines = path.read_bytes().split(b"\r\n")
    lines[2] = lines[2].decode("utf-8").encode("gb18030")
    path.write_bytes(b"\r\n".join(lines))
    return path


@case("score", 2, "a CSV header of 20,000 columns", item="", limit=True)
def csv_20k_columns(folder: Path) -> Path:
    columns = CSV_COLUMNS + tuple(f"备注{k}" for k in range(20_000))
    rows = [r + [""] * 20_000 for r in csv_rows()]
    return write_csv(folder, rows, columns=columns)


@case("score", 2, "120,000 CSV records (6 MB)", item="", limit=True)
def csv_120k_rows(folder: Path) -> Path:
    return write_csv(folder, [["产出指标", "数量指标", f"指标{k}", "≥1场", "1场", ""] for k in range(120_000)])


@case("score", 2, "a CSV without its profile", item="")
def csv_missing_profile(folder: Path) -> Path:
    path = write_csv(folder)
    path.with_suffix(".yaml").unlink()
    return path


@case("score", 2, "the CSV's profile is a YAML alias bomb", item="2", limit=True, bomb=True, names="指标.yaml")
def csv_profile_alias_bomb(folder: Path) -> Path:
    path = write_csv(folder)
    path.with_suffix(".yaml").write_text("单位名称: 某单位\n年度: 2023\n预算安排: 100\n" + ALIAS_BOMB + "政策依据: *i\n",
                                         encoding="utf-8")
    return path


@case("score", 2, "an empty CSV (0 bytes)", item="")
def csv_empty(folder: Path) -> Path:
    path = write_csv(folder)
    path.write_bytes(b"")
    return path


@case("score", 0, "a CSV header and no records, a profile with a budget (legal)", item="5")
def csv_header_only(folder: Path) -> Path:
    return write_csv(folder, [])


@case("score", 0, "quoted CSV cells spanning lines (legal)", item="")
def csv_quoted_newlines(folder: Path) -> Path:
    rows = csv_rows()
    rows[4][5] = "公众号于2023年新开设，\n推广时间较短，\r\n关注量未达预期"
    return write_csv(folder, rows)


@case("score", 2, "a CSV quote opened on the third record and never closed", item="", where=("第3行",))
def csv_unclosed_quote(folder: Path) -> Path:
    path = write_csv(folder)
    lines = path.read_bytes().split(b"\r\n")
    lines[2] = b'"' + lines[2]
    path.write_bytes(b"\r\n".join(lines))
    return path


@case("score", 0, "spreadsheet formulas as indicator names (=HYPERLINK, @SUM, cmd|): plain text", item="")
def csv_formula_injection(folder: Path) -> Path:
    rows = csv_rows()
    rows[0][2] = '=HYPERLINK("http://127.0.0.1/x","点击")'
    rows[1][2] = "@SUM(1+1)*cmd|' /C calc'!A0"
    return write_csv(folder, rows)


@case("score", 0, "the CSV in GB18030 (as Excel saves it): legal", item="")
def csv_gb18030(folder: Path) -> Path:
    return write_csv(folder, encoding="gb18030")


@case("score", 0, "actual `NaN` text in the CSV", item="6", review="实际完成值")
def csv_actual_nan(folder: Path) -> Path:
    rows = csv_rows()
    rows[2][4] = "NaN"
    return write_csv(folder, rows)


@case("score", 2, "weight `inf` in the CSV (weights must be finite)", item="10", where=("分值", "第2行"))
def csv_weight_inf(folder: Path) -> Path:
    rows = [r + ["inf" if k == 0 else "15"] for k, r in enumerate(csv_rows())]
    return write_csv(folder, rows, columns=CSV_COLUMNS + ("分值",))
