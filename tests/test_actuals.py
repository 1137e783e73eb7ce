"""Loaders: every format of every example loads to the same Evaluation; bad input is reported whole."""
from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import openpyxl
import pytest
import yaml

from assistant.actuals import load, load_declaration
from assistant.errors import DataErrors
from assistant.evaluation import Evaluation

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
DEPT = EXAMPLES / "2023_港澳办_部门整体"
PROJECT = EXAMPLES / "2023_商协会服务集聚区_项目"
DECLARATION = EXAMPLES / "2024_港澳办_申报表"
SEED_004 = ROOT.parent / "shared" / "seeds" / "004_c969b87ca78ef0f5.txt"


# --- the same example in every format ---------------------------------------------------------------

def as_json(stem: Path, tmp: Path) -> Path:
    out = tmp / f"{stem.name}.json"
    out.write_text(json.dumps(yaml.safe_load(stem.with_suffix(".yaml").read_text(encoding="utf-8")),
                              ensure_ascii=False, indent=1), encoding="utf-8")
    return out


def as_csv(stem: Path, tmp: Path) -> Path:
    """The indicator list as a CSV (Excel's UTF-8 with BOM) and the rest as the YAML profile beside it."""
    data = yaml.safe_load(stem.with_suffix(".yaml").read_text(encoding="utf-8"))
    rows = data.pop("绩效指标")
    columns = list(dict.fromkeys(key for row in rows for key in row))
    out = tmp / f"{stem.name}.csv"
    with out.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        for row in rows:
            writer.writerow(["" if row.get(c) is None else row.get(c) for c in columns])
    out.with_suffix(".yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return out


FORMATS = {
    "yaml": lambda stem, tmp: stem.with_suffix(".yaml"),
    "xlsx": lambda stem, tmp: stem.with_suffix(".xlsx"),
    "json": as_json,
    "csv": as_csv,
}


def comparable(evaluation: Evaluation) -> dict:
    """The evaluation without provenance (which rightly differs between formats)."""
    data = evaluation.model_dump(exclude={"sources", "source_file", "warnings"})
    data["budget"].pop("sources")
    for item in data["tasks"] + data["indicators"]:
        item.pop("sources")
    return data


@pytest.fixture(scope="module")
def reference() -> dict[str, Evaluation]:
    return {stem.name: load(stem.with_suffix(".yaml")) for stem in (DEPT, PROJECT)}


def check_provenance(evaluation: Evaluation, file_name: str, profile_name: str | None = None) -> None:
    """Every value cites its file; a CSV's profile values cite the YAML profile beside it."""
    profile_name = profile_name or file_name
    for indicator in evaluation.indicators:
        needed = {"level1", "name", "target"} | ({"actual"} if indicator.actual else set())
        assert needed <= set(indicator.sources), (indicator.name, indicator.sources)
        for where in indicator.sources.values():
            assert where.file == file_name and where.row is not None and where.column
    for task in evaluation.tasks:
        assert "name" in task.sources and (task.funds is None or "funds" in task.sources)
    budget = evaluation.budget
    for attr in ("budgeted", "adjusted", "spent"):
        if getattr(budget, attr) is not None:
            assert budget.sources[attr].file == profile_name
    for name in list(budget.by_source) + list(budget.by_item):
        assert any(key.endswith("." + name) for key in budget.sources)
    for key in ("unit_name", "year"):
        assert evaluation.sources[key].file == profile_name


@pytest.mark.parametrize("fmt", FORMATS)
def test_department_example_every_format(fmt, tmp_path, reference):
    path = FORMATS[fmt](DEPT, tmp_path)
    evaluation = load(path)
    assert comparable(evaluation) == comparable(reference[DEPT.name])
    assert evaluation.unit_name == "广州南沙经济技术开发区港澳合作事务办公室" and evaluation.year == 2023
    assert evaluation.report_type == "部门整体"
    assert (evaluation.budget.budgeted, evaluation.budget.spent, evaluation.budget.money_unit) == (2122.43, 2115.30, "万元")
    assert evaluation.stated_execution_rate.value == pytest.approx(0.9966)
    assert (evaluation.stated_total, evaluation.stated_grade) == (99.97, "优")
    assert len(evaluation.tasks) == 6 and len(evaluation.indicators) == 16
    visitors = evaluation.indicator("本单位2023年接待涉港澳、涉外事团组人次")
    assert visitors.target.value == 1500 and visitors.target.unit == "人次"       # unit from the 单位 column
    assert visitors.actual.value == 2014 and visitors.stated_completion.text == "100%"
    compound = evaluation.indicators[9]
    assert compound.target.kind == "compound" and [a.unit for a in compound.target.alternatives] == ["批次", "人次"]
    check_provenance(evaluation, path.name, profile_of(path))


def profile_of(path: Path) -> str:
    return path.with_suffix(".yaml").name if path.suffix == ".csv" else path.name


@pytest.mark.parametrize("fmt", FORMATS)
def test_project_example_every_format(fmt, tmp_path, reference):
    path = FORMATS[fmt](PROJECT, tmp_path)
    evaluation = load(path)
    assert comparable(evaluation) == comparable(reference[PROJECT.name])
    assert evaluation.report_type == "项目" and evaluation.project == "广州南沙港澳商协会服务集聚区综合保障经费"
    assert evaluation.budget.budgeted == 152.5
    assert evaluation.budget.by_item == {"场地租赁费": 54.50, "日常运作经费": 44.47, "运营服务项目经费": 29.90,
                                         "活动经费": 23.63}
    assert any("穗南开管会纪〔2022〕9号" in p for p in evaluation.policy_basis)
    assert (evaluation.stated_total, evaluation.stated_grade) == (97, "优")
    assert any(i.reason and i.actual and i.actual.value < i.target.value for i in evaluation.indicators)
    check_provenance(evaluation, path.name, profile_of(path))


def test_xlsx_provenance_names_sheet_row_and_header():
    evaluation = load(DEPT.with_suffix(".xlsx"))
    where = evaluation.indicator("本单位2023年接待涉港澳、涉外事团组人次").sources["actual"]
    assert (where.sheet, where.row, where.column) == ("绩效指标", 4, "实际完成值")      # header is row 1
    assert evaluation.budget.sources["spent"].sheet == "基本信息"
    assert evaluation.budget.sources["spent"].column == "实际支出"


def test_yaml_provenance_is_key_path_and_list_position():
    evaluation = load(DEPT.with_suffix(".yaml"))
    where = evaluation.indicators[2].sources["actual"]
    assert (where.sheet, where.row, where.column) == (None, 3, "绩效指标.实际完成值")
    assert evaluation.sources["unit_name"].column == "单位名称"
    assert evaluation.tasks[1].sources["funds"].column == "重点任务.资金"


def test_merged_level_cells_inherit_from_the_row_above():
    sheet = openpyxl.load_workbook(PROJECT.with_suffix(".xlsx"))["绩效指标"]
    assert sheet.merged_cells.ranges, "the example keeps merged 一级指标 cells, as printed forms do"
    evaluation = load(PROJECT.with_suffix(".xlsx"))
    assert [i.level1 for i in evaluation.indicators[:3]] == ["产出指标"] * 3
    assert evaluation.indicators[1].sources["level1"].row == 2        # cites the cell that printed it


# --- the 申报表 -------------------------------------------------------------------------------------

@pytest.mark.parametrize("suffix", [".txt", ".docx"])
def test_declaration_both_formats(suffix):
    evaluation = load_declaration(DECLARATION.with_suffix(suffix))
    assert evaluation.unit_name == "广州南沙经济技术开发区港澳合作事务办公室" and evaluation.year == 2024
    budget = evaluation.budget
    assert budget.by_source == {"财政拨款": 1747.90, "其他资金": 0.0}
    assert budget.by_item == {"基本支出": 459.65, "项目支出": 1288.25}
    assert budget.budgeted == pytest.approx(1747.90) and budget.money_unit == "万元"
    assert evaluation.overall_goal.startswith("按照区委、开发区党工委和管委会")
    assert [t.funds for t in evaluation.tasks] == [163.00, 34.00, 132.55, 244.40, 450.00, 221.60]
    assert len(evaluation.indicators) == 22 and all(i.actual is None for i in evaluation.indicators)
    shifted = evaluation.indicator("促进考察次数")       # the malformed 时效指标 row, repaired
    assert (shifted.level1, shifted.level2, shifted.target.text) == ("产出指标", "时效指标", "≥12次")
    assert evaluation.indicator("项目落户个数").level2 == "经济效益指标"
    assert evaluation.indicator("使用单位成员满意度").level1 == "满意度指标"
    assert any("左移" in w for w in evaluation.warnings)
    check_provenance(evaluation, DECLARATION.with_suffix(suffix).name)


def test_declaration_txt_and_docx_agree():
    import zipfile
    xml = zipfile.ZipFile(DECLARATION.with_suffix(".docx")).read("word/document.xml").decode("utf-8")
    assert "w:gridSpan" in xml and "w:vMerge" in xml            # merged cells, as the Word form has them
    txt, docx = (load_declaration(DECLARATION.with_suffix(s)) for s in (".txt", ".docx"))
    assert comparable(txt) == comparable(docx)


def test_declaration_example_is_the_seed():
    if SEED_004.exists():
        assert DECLARATION.with_suffix(".txt").read_bytes() == SEED_004.read_bytes()


def test_declaration_year_argument_text_or_review(tmp_path):
    copy = tmp_path / "申报表.txt"
    shutil.copy(DECLARATION.with_suffix(".txt"), copy)
    unknown = load_declaration(copy)                    # a missing year is a review item, not a refusal
    assert unknown.year is None and len(unknown.indicators) == 22
    missing = [i for i in unknown.review if i.kind == "missing_year"]
    assert len(missing) == 1 and "--year" in missing[0].describe()
    assert load_declaration(copy, year=2025).year == 2025
    titled = tmp_path / "titled.txt"
    titled.write_text("2024年度部门整体预算绩效目标申报表\n" + copy.read_text(encoding="utf-8"), encoding="utf-8")
    evaluation = load(titled)
    assert evaluation.year == 2024 and evaluation.sources["year"].column == "标题"


# --- bad input ------------------------------------------------------------------------------------------

GOOD = {
    "单位名称": "某单位", "年度": 2023, "报告类型": "部门整体", "预算安排": 100, "实际支出": 90,
    "绩效指标": [
        {"一级指标": "产出指标", "二级指标": "数量指标", "三级指标": "活动场次", "年度指标值": "≥12场", "实际完成值": "16场"},
        {"三级指标": "满意度", "年度指标值": "≥90%", "实际完成值": "95%"},
    ],
}


def write_yaml(tmp: Path, data: dict, name: str = "data.yaml") -> Path:
    path = tmp / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def errors_of(path: Path, **kwargs) -> list:
    with pytest.raises(DataErrors) as raised:
        load(path, **kwargs)
    return raised.value.errors


def test_refused_only_when_there_are_neither_indicators_nor_budget_figures(tmp_path):
    errors = errors_of(write_yaml(tmp_path, {"单位名称": "某单位", "年度": 2023, "绩效指标": []}))
    assert len(errors) == 1 and "既没有绩效指标，也没有预算数字" in str(errors[0]) and errors[0].file == "data.yaml"


def test_budget_only_file_loads_scores_execution_and_says_no_indicators(tmp_path):
    evaluation = load(write_yaml(tmp_path, {"单位名称": "某镇人民政府", "报告类型": "部门整体", "预算安排": 1172.55,
                                            "实际支出": 1268.72, "绩效指标": []}))
    assert evaluation.indicators == [] and evaluation.budget.spent == 1268.72
    kinds = {i.kind for i in evaluation.review}
    assert {"no_indicators", "missing_year"} <= kinds
    assert any("未找到绩效指标" in i.describe() for i in evaluation.review)


def test_good_minimal_yaml_loads_and_inherits_level1(tmp_path):
    evaluation = load(write_yaml(tmp_path, GOOD))
    assert evaluation.indicators[1].level1 == "产出指标" and evaluation.indicators[1].level2 == "数量指标"


def review_of(evaluation: Evaluation) -> list:
    """Every review item: the evaluation's own, then each indicator's."""
    return list(evaluation.review) + [item for i in evaluation.indicators for item in i.review]


# Each problem that used to refuse the whole file now stays on what it concerns (issue 10): the file loads,
# and one review item names the file, the row, the column and the value.
@pytest.mark.parametrize("change, kind, column, value, words", [
    (lambda d: d["绩效指标"][0].update({"实际完成值": "超16场"}), "approximate", "绩效指标.实际完成值", "超16场", "约数"),
    (lambda d: d["绩效指标"][0].update({"实际完成值": "16人"}), "unit_mismatch", "绩效指标.实际完成值", "16人", "单位"),
    (lambda d: d["绩效指标"][1].pop("三级指标"), "missing_name", "绩效指标.三级指标", None, "三级指标"),
    (lambda d: d["绩效指标"][0].update({"年度指标值": ""}), "missing_target", "绩效指标.年度指标值", None, "年度指标值"),
    (lambda d: d.update({"预算安排": "两千万左右"}), "unreadable_money", "预算安排", "两千万左右", "金额"),
    (lambda d: d.update({"报告类型": "专项"}), "unreadable_profile", "报告类型", "专项", "报告类型"),
    (lambda d: d.update({"年度": "23"}), "unreadable_profile", "年度", "23", "年度"),
    (lambda d: d.update({"金额单位": "美元"}), "unreadable_profile", "金额单位", "美元", "金额单位"),
    (lambda d: d.update({"评价等级": "甲"}), "unreadable_stated", "评价等级", "甲", "评价等级"),
    (lambda d: d["绩效指标"][0].update({"分值": "十分"}), "unreadable_weight", "绩效指标.分值", "十分", "分值"),
])
def test_each_problem_is_one_review_item_naming_file_row_column_value(tmp_path, change, kind, column, value, words):
    data = json.loads(json.dumps(GOOD))
    change(data)
    evaluation = load(write_yaml(tmp_path, data))
    items = review_of(evaluation)
    assert len(items) == 1, [i.describe() for i in items]
    item = items[0]
    assert item.kind == kind and item.where.file == "data.yaml" and item.where.column == column
    assert words in item.describe()
    if value is not None:
        assert item.value == value and value in item.describe()
    if column.startswith("绩效指标"):
        assert item.where.row in (1, 2)
    assert len(evaluation.indicators) == 2                     # nothing is lost


def test_all_problems_kept_together_and_the_file_loads(tmp_path):
    data = json.loads(json.dumps(GOOD))
    data.update({"年度": "二〇二三年", "预算安排": "未知", "报告类型": "专项"})
    data["绩效指标"][0]["实际完成值"] = "超16场"
    data["绩效指标"][1]["实际完成值"] = "95场"
    data["绩效指标"].append({"年度指标值": "≥3项", "实际完成值": "3项"})
    evaluation = load(write_yaml(tmp_path, data))
    items = review_of(evaluation)
    assert len(items) == 6, [i.describe() for i in items]
    assert {i.where.column for i in items} == {"年度", "预算安排", "报告类型", "绩效指标.实际完成值", "绩效指标.三级指标"}
    assert sorted(i.where.row for i in items if i.where.column.startswith("绩效指标")) == [1, 2, 3]
    assert len(evaluation.indicators) == 3 and evaluation.year is None and evaluation.budget.budgeted is None


def test_xlsx_problems_name_sheet_row_and_header(tmp_path):
    book = openpyxl.load_workbook(DEPT.with_suffix(".xlsx"))
    info, table = book["基本信息"], book["绩效指标"]
    spent_row = next(r for r in range(1, info.max_row + 1) if info.cell(r, 1).value == "实际支出")
    info.cell(spent_row, 2).value = "约2115万"
    headers = [c.value for c in table[1]]
    table.cell(2, headers.index("实际完成值") + 1).value = "超16场"
    table.cell(3, headers.index("三级指标") + 1).value = None
    table.cell(4, headers.index("实际完成值") + 1).value = "=B2*2"          # a formula Excel never calculated
    path = tmp_path / "bad.xlsx"
    book.save(path)
    evaluation = load(path)
    found = {(i.where.sheet, i.where.row, i.where.column): i for i in review_of(evaluation)}
    assert found[("基本信息", spent_row, "实际支出")].value == "约2115万"
    assert found[("绩效指标", 2, "实际完成值")].value == "超16场"
    assert ("绩效指标", 3, "三级指标") in found
    formula = found[("绩效指标", 4, "实际完成值")]
    letter = openpyxl.utils.get_column_letter(headers.index("实际完成值") + 1)
    assert f"{letter}4" in formula.describe() and "公式" in formula.describe()
    assert all(i.where.file == "bad.xlsx" for i in found.values()) and len(found) == 4
    assert len(evaluation.indicators) == 16


def test_xlsx_missing_sheet(tmp_path):
    book = openpyxl.Workbook()
    book.active.title = "Sheet1"
    path = tmp_path / "empty.xlsx"
    book.save(path)
    message = str(pytest.raises(DataErrors, load, path).value)
    assert "基本信息" in message and "绩效指标" in message


def test_xlsx_header_variants_unit_column_and_percent_cells(tmp_path):
    book = openpyxl.Workbook()
    info = book.active
    info.title = " 基本信息 "
    for row in (["单位名称", "某单位"], ["年度", "2023年"], ["预算安排（万元）", 100], ["实际支出", "4753.66万元"],
                ["金额单位", "万元"], ["预算执行率", 0.9966]):
        info.append(row)
    info.cell(6, 2).number_format = "0.00%"
    table = book.create_sheet("绩效指标")
    table.append(["绩效指标表"])                                       # a title row above the header
    table.append(["一级 指标", "二级指标", "三级指标", "年度指标值（%）", "计量单位", "实际值", "完成率(%)", "分值", "偏差原因"])
    table.append(["产出指标", "数量指标", "培训人数", "≥1500", "人次", 2014, 134, 40, None])
    table.append([None, "质量指标", "合格率", 95, None, 96.5, None, None, None])
    table.append(["满意度指标", None, "满意度", "≥90", None, "88", None, 10, "样本量小"])
    path = tmp_path / "variants.xlsx"
    book.save(path)
    evaluation = load(path)
    people, rate, satisfaction = evaluation.indicators
    assert (people.target.value, people.target.unit, people.actual.value) == (1500, "人次", 2014)
    assert people.stated_completion.value == pytest.approx(1.34)
    assert (rate.level1, rate.level2) == ("产出指标", "质量指标")
    assert rate.target.value == pytest.approx(0.95) and rate.actual.value == pytest.approx(0.965)
    assert satisfaction.level2 == "" and satisfaction.reason == "样本量小"
    assert evaluation.budget.spent == pytest.approx(4753.66) and evaluation.budget.budgeted == 100
    assert evaluation.stated_execution_rate.text == "99.66%"
    assert any("未填分值" in w for w in evaluation.warnings)


@pytest.mark.parametrize("cell, money_unit, expected", [
    ("4753.66万元", "万元", 4753.66), ("47536600元", "万元", 4753.66), ("2122.43万元", "元", 21224300),
    ("1,747.90", "万元", 1747.90), ("2.6亿元", "万元", 26000), (152.5, "万元", 152.5),
])
def test_money_with_its_unit_in_the_cell(tmp_path, cell, money_unit, expected):
    data = {**GOOD, "预算安排": cell, "实际支出": None, "金额单位": money_unit}
    assert load(write_yaml(tmp_path, data)).budget.budgeted == pytest.approx(expected)


def test_csv_needs_its_profile(tmp_path):
    path = tmp_path / "indicators.csv"
    path.write_text("三级指标,年度指标值\n活动,≥3场\n", encoding="utf-8")
    message = str(pytest.raises(DataErrors, load, path).value)
    assert "indicators.yaml" in message and "--profile" in message
    profile = tmp_path / "elsewhere.yaml"
    profile.write_text("单位名称: 某单位\n年度: 2023\n", encoding="utf-8")
    path.write_text("一级指标,三级指标,年度指标值,实际完成值\n产出指标,活动,≥3场,近4场\n", encoding="utf-8")
    item, = load(path, profile=profile).indicators[0].review
    assert (item.where.file, item.where.row, item.where.column, item.value) == ("indicators.csv", 2, "实际完成值", "近4场")


def test_unreadable_files(tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text("单位名称: [未闭合\n年度: 2023\n", encoding="utf-8")
    assert "YAML" in str(pytest.raises(DataErrors, load, broken).value)
    other = tmp_path / "data.pdf"
    other.write_bytes(b"%PDF")
    assert "不支持" in str(pytest.raises(DataErrors, load, other).value)
    assert "不存在" in str(pytest.raises(DataErrors, load, tmp_path / "missing.yaml").value)


# --- warnings: suspicious but legal ----------------------------------------------------------------------

def test_warnings(tmp_path):
    data = json.loads(json.dumps(GOOD))
    data["绩效指标"] = [
        {"一级指标": "效益指标", "三级指标": "城市形象", "年度指标值": "得到提升", "实际完成值": "得到提升", "分值": 10},
        {"一级指标": "效益指标", "三级指标": "咨询任务完成率", "年度指标值": "≥85%", "实际完成值": "≥85%"},
        {"一级指标": "产出指标", "三级指标": "活动", "年度指标值": "≥3场", "实际完成值": "已完成", "完成率": "100%",
         "关联任务": "不存在的任务"},
    ]
    data["重点任务"] = [{"名称": "某任务", "资金": 10}]
    data["备注"] = "x"
    evaluation = load(write_yaml(tmp_path, data))
    text = "\n".join(evaluation.warnings)
    assert "城市形象" in text and "咨询任务完成率" in text and "只重复了目标" in text
    assert "未填分值" in text and "完成率" in text and "不是数值" in text
    assert "不存在的任务" in text and "备注" in text
    assert len(evaluation.indicators) == 3                              # warnings never drop data
