"""Data files read within named limits, values in range, cells made safe (issue 16: items 2, 3, 5, 6, 10).

Real files written to a temporary folder and read by the real loaders (`assistant.actuals.load`):
what is refused names the limit or the rule and the cell; what is legal loads, with a warning or a
review item where a person should look. The slow `test_hostile.py` runs the same kinds of files
through the CLI with time and memory caps; these say what each rule means.
"""
from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
import yaml

from assistant import limits, printing
from assistant.actuals import load
from assistant.errors import DataErrors, printable
from assistant.scoring import score

ROOT = Path(__file__).resolve().parents[1]
PROJECT_YAML = ROOT / "examples" / "2023_商协会服务集聚区_项目.yaml"


def project() -> dict:
    return yaml.safe_load(PROJECT_YAML.read_text(encoding="utf-8"))


def write(tmp_path: Path, data: dict, name: str = "项目.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000), encoding="utf-8")
    return path


def refusal(path: Path) -> str:
    with pytest.raises(DataErrors) as caught:
        load(path)
    return str(caught.value)


def review_columns(evaluation) -> list[str]:
    return [item.column for i in evaluation.indicators for item in i.review] + [i.column for i in evaluation.review]


# --- YAML and JSON limits ---------------------------------------------------------------------------

def test_an_alias_bomb_is_refused_before_it_is_expanded(tmp_path):
    bomb = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
        f"{b}: &{b} [*{a},*{a},*{a},*{a},*{a},*{a},*{a},*{a},*{a}]\n" for a, b in zip("abcdefgh", "bcdefghi"))
    path = tmp_path / "项目.yaml"
    path.write_text("单位名称: 某单位\n年度: 2023\n预算安排: 100\n" + bomb + "绩效指标: *i\n", encoding="utf-8")
    message = refusal(path)
    assert "上限" in message and "别名" in message and "项目.yaml" in message and "行" in message


def test_a_few_aliases_are_legal(tmp_path):
    text = PROJECT_YAML.read_text(encoding="utf-8").replace("一级指标: 产出指标", "一级指标: &out 产出指标", 1)
    path = tmp_path / "项目.yaml"
    path.write_text(text.replace("一级指标: 产出指标", "一级指标: *out"), encoding="utf-8")
    assert len(load(path).indicators) == len(project()["绩效指标"])


def test_nesting_past_the_depth_limit_is_refused(tmp_path):
    depth = limits.DATA_FILES.yaml_depth
    path = tmp_path / "项目.yaml"
    path.write_text("单位名称: 某单位\n预算安排: 100\n备注: " + "[" * (depth + 1) + "]" * (depth + 1) + "\n",
                    encoding="utf-8")
    assert f"{depth}层" in refusal(path)


@pytest.mark.parametrize("suffix", [".yaml", ".json"])
def test_an_integer_of_thousands_of_digits_names_its_cell(tmp_path, suffix):
    path = tmp_path / f"项目{suffix}"
    if suffix == ".json":
        path.write_text('{"单位名称": "某单位", "年度": 2023, "预算安排": ' + "9" * 5000 + "}", encoding="utf-8")
    else:
        path.write_text("单位名称: 某单位\n年度: 2023\n预算安排: " + "9" * 5000 + "\n", encoding="utf-8")
    message = refusal(path)
    assert "预算安排" in message and "有限" in message


def test_a_line_in_another_encoding_is_named(tmp_path):
    lines = PROJECT_YAML.read_text(encoding="utf-8").split("\n")
    data = "\n".join(lines[:3]).encode("utf-8") + b"\n" + lines[3].encode("gb18030") + b"\n" + \
        "\n".join(lines[4:]).encode("utf-8")
    path = tmp_path / "项目.yaml"
    path.write_bytes(data)
    assert "第4行" in refusal(path)


def test_a_whole_file_in_gb18030_reads(tmp_path):
    path = tmp_path / "项目.yaml"
    path.write_bytes(PROJECT_YAML.read_text(encoding="utf-8").encode("gb18030"))
    assert load(path).unit_name == project()["单位名称"]


def test_more_indicators_than_the_row_limit_are_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(limits, "DATA_FILES", dataclasses.replace(limits.DATA_FILES, rows=3))
    message = refusal(write(tmp_path, project()))
    assert "行数上限（3行" in message


# --- values in range --------------------------------------------------------------------------------

@pytest.mark.parametrize("field, value, words", [
    ("预算安排", -152.5, "不能为负数"), ("实际支出", -1, "不能为负数"),
    ("预算安排", float("nan"), "有限"), ("实际支出", float("inf"), "有限"), ("调整后预算", "-inf", "有限"),
])
def test_budgets_and_spending_must_be_finite_and_non_negative(tmp_path, field, value, words):
    message = refusal(write(tmp_path, {**project(), field: value}))
    assert field in message and words in message


@pytest.mark.parametrize("weight, words", [(1e308, "超过100分"), (-15, "不能为负数"), ("inf", "有限"),
                                           (100.5, "超过100分")])
def test_a_weight_must_be_finite_from_0_to_100_points(tmp_path, weight, words):
    data = project()
    for indicator in data["绩效指标"]:
        indicator["分值"] = 15
    data["绩效指标"][1]["分值"] = weight
    message = refusal(write(tmp_path, data))
    assert "第2行" in message and "分值" in message and words in message


def test_every_value_out_of_range_is_reported_at_once(tmp_path):
    data = {**project(), "预算安排": -1, "实际支出": -2}
    message = refusal(write(tmp_path, data))
    assert "2处错误" in message and "预算安排" in message and "实际支出" in message


def test_a_huge_but_finite_budget_and_spending_score_and_print(tmp_path):
    evaluation = load(write(tmp_path, {**project(), "预算安排": 1e308, "实际支出": 1e308}))
    card = score(evaluation)
    assert card.budget.execution_rate == pytest.approx(1.0)
    assert printing.money(evaluation.budget.spent).startswith("1000000000000000010979")
    assert printing.percent(1e306, 2).endswith(".00%") and len(printing.percent(1e306, 2)) > 300


def test_no_indicators_and_a_budget_scores_the_budget(tmp_path):
    card = score(load(write(tmp_path, {**project(), "绩效指标": []})))
    assert card.budget.score is not None and card.indicators == []


# --- cells under review -----------------------------------------------------------------------------

@pytest.mark.parametrize("column, value", [("年度指标值", "nan"), ("年度指标值", "inf"), ("实际完成值", float("nan")),
                                           ("实际完成值", "abc"), ("实际完成值", "2023年13月45日")])
def test_a_cell_that_reads_as_nothing_is_under_review(tmp_path, column, value):
    data = project()
    data["绩效指标"][0][column] = value
    indicator = load(write(tmp_path, data)).indicators[0]
    assert [(item.kind, item.column) for item in indicator.review] == [("unreadable", column)]


def test_a_broken_surrogate_in_an_actual_is_under_review(tmp_path):
    text = PROJECT_YAML.read_text(encoding="utf-8")
    first_actual = yaml.safe_load(text)["绩效指标"][0]["实际完成值"]
    path = tmp_path / "项目.yaml"
    path.write_text(text.replace(f"实际完成值: {first_actual}", '实际完成值: "\\ud800场"', 1), encoding="utf-8")
    indicator = load(path).indicators[0]
    assert [item.column for item in indicator.review] == ["实际完成值"]
    assert indicator.actual.text.isprintable()


def test_a_cell_over_the_length_limit_is_refused_naming_it(tmp_path):
    cap = limits.DATA_FILES.cell_chars
    data = project()
    data["绩效指标"][1]["三级指标"] = "名" * (cap + 1)
    message = refusal(write(tmp_path, data))
    assert "第2行" in message and "三级指标" in message and f"长度上限（{cap}字" in message


def test_invisible_characters_are_removed_with_a_warning(tmp_path):
    data = project()
    name = data["绩效指标"][0]["三级指标"]
    data["绩效指标"][0]["三级指标"] = "\u202e" + name[:2] + "\u200b" + name[2:] + "\ufeff"
    data["单位名称"] = "\u2066" + data["单位名称"] + "\u2069"
    evaluation = load(write(tmp_path, data))
    assert evaluation.indicators[0].name == name and evaluation.unit_name == project()["单位名称"]
    warning = next(w for w in evaluation.warnings if "不可见字符" in w)
    assert "U+202E" in warning and "第1行" in warning and warning.isprintable()


def test_a_sheet_or_column_label_with_a_zero_width_space_is_recognised(tmp_path):
    data = project()
    data = {("单位名称\u200b" if k == "单位名称" else k): v for k, v in data.items()}
    assert load(write(tmp_path, data)).unit_name == project()["单位名称"]


# --- CSV tables -------------------------------------------------------------------------------------

def write_csv(tmp_path: Path, text: str, encoding: str = "utf-8") -> Path:
    profile = {k: v for k, v in project().items() if k != "绩效指标"}
    write(tmp_path, profile, "指标.yaml")
    path = tmp_path / "指标.csv"
    path.write_bytes(text.encode(encoding))
    return path


CSV_HEADER = "一级指标,三级指标,年度指标值,实际完成值,偏差原因"
CSV_ROWS = ["产出指标,座谈场次,≥4场,6场,", "产出指标,推文数量,≥100篇,120篇,", "效益指标,关注量,≥450人次,386人次,推广时间较短"]


def test_a_csv_with_carriage_returns_alone_reads(tmp_path):
    path = write_csv(tmp_path, "\r".join([CSV_HEADER, *CSV_ROWS]) + "\r")
    assert [i.name for i in load(path).indicators] == ["座谈场次", "推文数量", "关注量"]


def test_a_quoted_cell_across_lines_keeps_its_lines_without_carriage_returns(tmp_path):
    rows = [*CSV_ROWS[:2], '效益指标,关注量,≥450人次,386人次,"公众号新开设，\r\n推广时间较短"']
    path = write_csv(tmp_path, "\r\n".join([CSV_HEADER, *rows]) + "\r\n")
    assert load(path).indicators[2].reason == "公众号新开设，\n推广时间较短"


def test_an_unclosed_quote_names_its_record(tmp_path):
    rows = [CSV_ROWS[0], '"' + CSV_ROWS[1], CSV_ROWS[2]]
    message = refusal(write_csv(tmp_path, "\r\n".join([CSV_HEADER, *rows]) + "\r\n"))
    assert "第3行" in message and "引号" in message


def test_a_csv_field_past_the_csv_module_limit_names_its_record(tmp_path):
    rows = [CSV_ROWS[0].replace("座谈场次", "名" * 200_000), *CSV_ROWS[1:]]
    message = refusal(write_csv(tmp_path, "\r\n".join([CSV_HEADER, *rows]) + "\r\n"))
    assert "第2行" in message and "长度上限" in message


def test_a_nul_character_refuses_the_csv_naming_the_cell(tmp_path):
    rows = [CSV_ROWS[0], CSV_ROWS[1].replace("推文", "推\x00文"), CSV_ROWS[2]]
    message = refusal(write_csv(tmp_path, "\r\n".join([CSV_HEADER, *rows]) + "\r\n"))
    assert "第3行" in message and "三级指标" in message and "\\x00" in message and "\x00" not in message


def test_a_csv_wider_than_the_column_limit_is_refused(tmp_path):
    wide = limits.DATA_FILES.columns + 1
    header = CSV_HEADER + "".join(f",备注{k}" for k in range(wide))
    message = refusal(write_csv(tmp_path, header + "\r\n" + CSV_ROWS[0] + "\r\n"))
    assert "第1行" in message and "列数上限" in message


def test_a_yaml_list_longer_than_the_row_limit_is_refused_while_parsing(tmp_path, monkeypatch):
    monkeypatch.setattr(limits, "DATA_FILES", dataclasses.replace(limits.DATA_FILES, rows=3))
    path = tmp_path / "项目.yaml"
    path.write_text("单位名称: 某单位\n预算安排: 100\n政策依据:\n" + "".join(f"- 文件{k}\n" for k in range(4)),
                    encoding="utf-8")
    message = refusal(path)
    assert "行数上限（3行）" in message and "第7行" in message


def test_an_unknown_key_with_a_broken_surrogate_loads_and_its_warning_prints_escaped(tmp_path):
    path = write(tmp_path, project())
    path.write_text(path.read_text(encoding="utf-8") + '"备注\\ud83d": 无\n', encoding="utf-8")
    warning = next(w for w in load(path).warnings if "备注" in w)
    assert printable(warning).endswith("备注\\ud83d”，已忽略（项目.yaml）")


def test_an_empty_csv_is_no_table(tmp_path):
    assert "为空" in refusal(write_csv(tmp_path, ""))


def test_a_csv_header_without_records_scores_the_budget(tmp_path):
    evaluation = load(write_csv(tmp_path, CSV_HEADER + "\r\n"))
    assert evaluation.indicators == [] and evaluation.budget.budgeted == project()["预算安排"]
