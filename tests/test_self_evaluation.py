"""The standard 自评表 (项目支出 / 部门整体支出绩效自评表) as officers hold it, as .xlsx and as a Word table.

The examples are seeds 000 and 003 in that layout (`examples/make_xlsx.py`); they reproduce the YAML
examples' figures. A table built here carries what real forms print: the budget row's own 分值 and
得分, level points in the 一级 cell, parent rows whose score is the sum of their component rows.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import docx
import openpyxl
import pytest

from assistant.actuals import load
from assistant.errors import DataErrors
from assistant.loaders import reader_for
from assistant.scoring import score
from examples.make_xlsx import WIDTH, Form, write_form_docx, write_form_xlsx

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
STEMS = ("2023_港澳办_部门整体", "2023_商协会服务集聚区_项目")


def indicator_rows(evaluation) -> list[tuple]:
    return sorted((i.level1, i.level2, i.name, i.target.text, i.target.unit, i.target.value,
                   i.actual.text if i.actual else None) for i in evaluation.indicators)


@pytest.mark.parametrize("suffix", [".xlsx", ".docx"])
@pytest.mark.parametrize("stem", STEMS)
def test_the_examples_as_a_self_evaluation_table_reproduce_the_seed_figures(stem, suffix):
    path = EXAMPLES / f"{stem}_自评表{suffix}"
    assert reader_for(path).name == "绩效自评表"
    table, reference = load(path), load(EXAMPLES / f"{stem}.yaml")
    assert (table.unit_name, table.year, table.report_type, table.project) == \
        (reference.unit_name, reference.year, reference.report_type, reference.project)
    assert (table.budget.budgeted, table.budget.spent, table.budget.money_unit) == \
        (reference.budget.budgeted, reference.budget.spent, "万元")
    assert table.stated_total == reference.stated_total and table.overall_goal == reference.overall_goal
    assert [(t.name, t.funds) for t in table.tasks] == [(t.name, t.funds) for t in reference.tasks]
    assert indicator_rows(table) == sorted(
        (i.level1, i.level2, i.name, i.target.text + (i.target.unit if "unit" in i.sources else ""), i.target.unit,
         i.target.value, i.actual.text if i.actual else None) for i in reference.indicators)
    assert table.review == [] and not any(i.review for i in table.indicators)
    got, want = score(table), score(reference)
    assert (round(got.total, 2), got.grade, got.total_points) == (round(want.total, 2), want.grade, want.total_points)
    assert got.budget.execution_rate == pytest.approx(want.budget.execution_rate)
    assert sorted(round(s.completion, 4) for s in got.indicators) == sorted(round(s.completion, 4) for s in want.indicators)
    where = table.indicators[0].sources["actual"]
    assert where.file == path.name and where.row is not None and where.column == "实际完成值"


def test_seed_000_and_003_totals():
    assert round(score(load(EXAMPLES / "2023_港澳办_部门整体_自评表.xlsx")).total, 2) == 99.97
    project = score(load(EXAMPLES / "2023_商协会服务集聚区_项目_自评表.docx"))
    assert project.budget.execution_rate == pytest.approx(140.30 / 152.50) and project.grade == "优"


def test_the_example_tables_keep_merged_cells():
    sheet = openpyxl.load_workbook(EXAMPLES / "2023_商协会服务集聚区_项目_自评表.xlsx").active
    assert len(sheet.merged_cells.ranges) > 5
    import zipfile
    xml = zipfile.ZipFile(EXAMPLES / "2023_港澳办_部门整体_自评表.docx").read("word/document.xml").decode("utf-8")
    assert "w:gridSpan" in xml and "w:vMerge" in xml


def test_recognised_by_content_not_by_name(tmp_path):
    renamed = tmp_path / "数据.xlsx"
    shutil.copy(EXAMPLES / "2023_商协会服务集聚区_项目_自评表.xlsx", renamed)
    assert reader_for(renamed).name == "绩效自评表" and load(renamed).budget.spent == 140.30
    other = tmp_path / "其他.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["会议纪要", "2023年"])
    book.save(other)
    message = str(pytest.raises(DataErrors, load, other).value)
    assert "绩效自评表" in message and "实际完成值" in message and "基本信息" in message
    letter = tmp_path / "信函.docx"
    document = docx.Document()
    document.add_paragraph("关于召开会议的通知")
    document.save(letter)
    message = str(pytest.raises(DataErrors, load, letter).value)
    assert "绩效自评表" in message and "申报表" in message


def built_form() -> Form:
    """A 项目支出绩效自评表 the way a county prints it (realdata d01, d12, d29's features)."""
    form = Form()
    form.row([("项目支出绩效自评表", WIDTH)])
    form.row([("（2022年度）", WIDTH)])
    form.row([("项目名称", 2), ("市级文物保护专项经费", WIDTH - 2)])
    form.row([("主管部门", 2), ("裕安区文化和旅游局", 3), ("实施单位", 1), ("裕安区文物管理所", 3)])
    first = form.row([("项目资金（万元）", 1), ("", 2), ("年初预算数", 1), ("全年预算数", 1), ("全年执行数", 1),
                      ("分值", 1), ("执行率", 1), ("得分", 1)])
    form.row([("", 1), ("年度资金总额", 2), ("29", 1), ("29", 1), ("27.8", 1), ("9", 1), ("95.86%", 1), ("8", 1)])
    form.row([("", 1), ("其中：当年财政拨款", 2), ("29", 1), ("29", 1), ("27.8", 1), ("—", 1), ("—", 1), ("—", 1)])
    form.row([("", 1), ("上年结转资金", 2), ("—", 1), ("—", 1), ("—", 1), ("—", 1), ("—", 1), ("—", 1)])
    form.merge_down(0, first, len(form.rows) - 1)
    first = form.row([("年度总体目标", 1), ("预期目标", 4), ("实际完成情况", 4)])
    form.row([("", 1), ("完成文物保护单位日常维护和修缮。", 4), ("已完成日常维护，修缮工程通过验收。", 4)])
    form.merge_down(0, first, len(form.rows) - 1)
    first = form.row([("绩效指标", 1), ("一级指标", 1), ("二级指标", 1), ("三级指标", 1), ("年度指标值", 1),
                      ("实际完成值", 1), ("分值", 1), ("得分", 1), ("偏差原因分析及改进措施", 1)])
    rows = [
        ("产出指标（50分）", "数量指标", "一、日常维护", "≧20000平方米", "20000平方米", "15", "15", ""),
        ("", "", "1、罗氏宗祠", "≧500平方米", "500平方米", "5", "5", ""),
        ("", "", "2、李氏宗祠", "≧1000平方米", "1000平方米", "5", "5", ""),
        ("", "", "3、英布墓", "≧18500平方米", "18500平方米", "5", "4", ""),
        ("", "质量指标", "验收通过率", "100%", "95%", "20", "19", "一处待整改"),
        ("", "时效指标", "完成时间", "完成时间为2022年12月30日", "2022年11月", "15", "15", ""),
        ("效益指标（30分）", "社会效益指标", "受益群众", "5000人", "5300人", "20", "20", ""),
        ("满意度指标（10分）", "服务对象满意度指标", "群众满意度", "90%", "96%", "10", "10", ""),
    ]
    start = len(form.rows)
    for cells in rows:
        form.rows.append([""] + list(cells))
    form.merge_down(1, start, start + 5)
    form.merge_down(2, start, start + 3)
    form.merge_down(0, first, len(form.rows) - 1)
    form.row([("总分", 6), ("100", 1), ("96", 1), ("", 1)])
    return form


@pytest.fixture(scope="module", params=[".xlsx", ".docx"])
def built(request, tmp_path_factory):
    path = tmp_path_factory.mktemp("form") / f"表{request.param}"
    (write_form_xlsx if request.param == ".xlsx" else write_form_docx)(built_form(), path)
    return load(path)


def test_the_header_funds_goal_and_total_are_read(built):
    ev = built
    assert (ev.unit_name, ev.project, ev.year, ev.report_type) == ("裕安区文化和旅游局", "市级文物保护专项经费", 2022, "项目")
    assert (ev.budget.budgeted, ev.budget.adjusted, ev.budget.spent) == (29, None, 27.8)
    assert ev.budget.by_source == {"当年财政拨款": 29}
    assert ev.stated_execution_rate.text == "95.86%" and ev.stated_total == 96
    assert ev.overall_goal == "完成文物保护单位日常维护和修缮。"
    assert ev.sources["year"].column == "标题" and ev.warnings == [] or all("年度" not in w for w in ev.warnings)


def test_the_budget_row_weight_and_score_are_read_and_checked(built):
    assert (built.stated_budget_weight, built.stated_budget_score) == (9, 8)
    card = score(built)
    assert card.budget.weight == 9 and card.budget.score == pytest.approx(9 * 27.8 / 29)
    finding = next(f for f in card.findings if f.kind == "stated_budget_score_mismatch")
    assert (finding.stated, finding.computed) == ("8", "8.63")


def test_level_points_in_the_level_cell_are_read_and_checked(built):
    assert built.level_weights == {"产出指标": 50, "效益指标": 30, "满意度指标": 10}
    assert {i.level1 for i in built.indicators} == {"产出指标", "效益指标", "满意度指标"}
    mismatch = [f for f in score(built).findings if f.kind == "level_weight_mismatch"]
    assert [(f.subject, f.stated, f.computed) for f in mismatch] == [("效益指标", "30", "20")]


def test_parent_and_component_rows_are_not_double_counted(built):
    parts = [i for i in built.indicators if i.parent == "一、日常维护"]
    assert [i.name for i in parts] == ["1、罗氏宗祠", "2、李氏宗祠", "3、英布墓"]
    card = score(built)
    assert card.total_points == pytest.approx(50 + 20 + 10 + 9)          # the components' 15 points counted once
    counted = [s for s in card.indicators if s.counted]
    assert len(counted) == 5 and sum(s.weight for s in counted) == 80
    finding = next(f for f in card.findings if f.kind == "component_sum_mismatch")
    assert (finding.subject, finding.stated, finding.computed) == ("一、日常维护", "15", "14")


def test_the_deadline_and_the_rows_score(built):
    card = score(built)
    by_name = {s.name: s for s in card.indicators}
    assert by_name["完成时间"].met is True and by_name["完成时间"].direction == "deadline"
    assert by_name["验收通过率"].met is False and by_name["受益群众"].met is True
    assert card.review_count == 0



def test_a_second_form_in_the_same_file_is_not_mixed_in(tmp_path):
    form = built_form()
    second = built_form()
    form.rows += second.rows
    path = tmp_path / "两张表.xlsx"
    write_form_xlsx(form, path)
    evaluation = load(path)
    assert len(evaluation.indicators) == 8 and evaluation.stated_total == 96
    assert any("另一张自评表" in w for w in evaluation.warnings)
