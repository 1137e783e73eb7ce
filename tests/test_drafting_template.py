"""The template writer: complete, deterministic drafts whose every figure the checker verifies."""
from __future__ import annotations

import pytest

from assistant.export import to_markdown
from assistant.actuals import load
from assistant.drafting import SECTION_KEYS, draft_report, draft_section
from assistant.drafting.problems import NO_PROBLEM_TEXT
from assistant.quantities import parse_quantity

from drafting_fixtures import assert_no_unverified_figure_unmarked, example_files

EXAMPLE_FILES = example_files()


@pytest.fixture(scope="module")
def dept_draft(dept):
    return draft_report(dept)


@pytest.fixture(scope="module")
def project_draft(project):
    return draft_report(project)


def _zero_unverified(draft):
    figures = [f for s in draft.sections for f in s.check.figures]
    problems = [(s.key, f.text, f.status, f.reason) for s in draft.sections for f in s.check.problems()]
    assert not problems, problems
    assert draft.ok and all(s.status == "verified" for s in draft.sections)
    assert "待核实" not in to_markdown(draft)
    return figures


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=[p.name for p in EXAMPLE_FILES])
@pytest.mark.parametrize("report_type", [None, "部门整体", "项目"])
def test_every_example_drafts_with_zero_unverified_figures(path, report_type):
    draft = draft_report(load(path), report_type=report_type)
    figures = _zero_unverified(draft)
    assert len(figures) >= 10                              # a real draft, full of figures
    conclusion = next(s.text for s in draft.sections if s.key == "conclusion")
    if all(i.actual is None for i in load(path).indicators):   # a 申报表: targets only
        assert "暂不能计算自评得分" in conclusion and "0分" not in conclusion
    assert [s.key for s in draft.sections] == (
        ["background", "conclusion", "indicators", "problems", "measures"] if draft.report_type == "部门整体"
        else ["background", "indicators", "conclusion", "problems", "measures"])


def test_indicator_sentences_read_as_officers_write_them(dept_draft):
    text = next(s.text for s in dept_draft.sections if s.key == "indicators")
    assert ("1.亚洲青年领袖论坛推进工作任务：对应产出指标为“亚洲青年领袖设置各类会议场次，包括开幕大会、平行论坛、"
            "双边会谈场次≥12场”，实际完成16场，完成率133%；对应效益指标为“亚洲青年领袖论坛相关媒体报道次数≥150次”，"
            "实际完成203次，完成率135%。") in text
    # the report's own 100% for 2014 ÷ 1500 is not copied: the draft prints the recomputed rate
    assert "实际完成2014人次，完成率134%" in text
    assert "实际完成87批次，完成率145%" in text          # compound target, reported on the part used
    for rate in ("103%", "143%", "150%", "120%"):
        assert rate in text


def test_background_and_conclusion_carry_budget_total_and_grade(dept_draft):
    background = next(s.text for s in dept_draft.sections if s.key == "background")
    assert "2023年部门预算安排资金2122.43万元，全年实际支出2115.30万元，预算执行率为99.66%。" in background
    assert "（待补充：" in background                      # management practice is asked for, not invented
    conclusion = next(s.text for s in dept_draft.sections if s.key == "conclusion")
    assert "设置指标分值共计100分，自评得分99.97分，自评结果为“优”" in conclusion


def test_problems_come_from_the_data_and_measures_answer_each(dept_draft):
    problems = next(s.text for s in dept_draft.sections if s.key == "problems")
    assert "自评表填报完成率为100%，按实际完成值2014人次、年度指标值“≥1500”计算，完成率应为134%" in problems
    assert "部分绩效目标设置偏低" in problems and "完成率150%" in problems
    measures = next(s.text for s in dept_draft.sections if s.key == "measures")
    assert "（一）严格复核自评数据" in measures and "（二）科学合理设置绩效目标" in measures


def test_project_problems_state_the_unmet_indicator_with_its_gap_and_reason(project_draft):
    problems = next(s.text for s in project_draft.sections if s.key == "problems")
    assert "实际完成386人次，完成率86%，差距64人次" in problems
    assert "偏差原因为公众号于2023年新开设" in problems
    assert "“商协会互动对接服务机制”为定性指标" in problems


def test_a_clean_evaluation_reports_no_problem(dept):
    indicators = [i.model_copy(update={"actual": i.target.model_copy(update={"comparator": None}),
                                       "stated_completion": None}) for i in dept.indicators]
    clean = dept.model_copy(update={"indicators": indicators})
    section = draft_section(clean, "problems")
    assert section.text == NO_PROBLEM_TEXT and section.status == "verified"


def test_low_execution_and_a_missing_reason_become_problems(dept):
    indicators = list(dept.indicators)
    indicators[0] = indicators[0].model_copy(update={"actual": parse_quantity("10场"), "stated_completion": None})
    budget = dept.budget.model_copy(update={"spent": 1707.5})
    weak = dept.model_copy(update={"indicators": indicators, "budget": budget, "stated_execution_rate": None})
    draft = draft_report(weak, sections=["problems", "measures"])
    _zero_unverified(draft)
    problems = draft.sections[0].text
    assert "预算执行率为80.45%" in problems and "预算执行进度偏慢" in problems
    assert "实际完成10场，完成率83%，差距2场，未说明偏差原因" in problems
    assert "偏差原因分析不够充分" in problems
    assert "加快预算执行进度" in draft.sections[1].text


def test_single_sections_and_determinism(dept):
    for key in SECTION_KEYS:
        first, second = draft_section(dept, key), draft_section(dept, key)
        assert first.text == second.text and first.status == "verified"


@pytest.mark.slow
def test_retrieval_grounds_problems_and_measures_with_citations(small_index, dept):
    index = small_index
    draft = draft_report(dept, index=index)
    _zero_unverified(draft)
    assert draft.citations
    measures = next(s for s in draft.sections if s.key == "measures")
    assert measures.citations and any(c["kind"] == "policy" for c in measures.citations)
    for citation in draft.citations:
        assert {"n", "doc", "title", "section", "chunk_id", "quote"} <= set(citation)
        assert f"[{citation['n']}]" in to_markdown(draft)
        assert citation["quote"] in "".join(s.text for s in draft.sections)
    for section in draft.sections:
        assert_no_unverified_figure_unmarked(section, draft.ledger)


def test_inconsistencies_print_the_stated_figure_beside_the_recomputed_one(dept):
    """A form whose own figures do not hold: each is named with the value it should have."""
    indicators = [i.model_copy(update={"weight": 10.0, "stated_score": 10.0}) for i in dept.indicators]
    indicators[0] = indicators[0].model_copy(update={"actual": parse_quantity("9场"), "stated_score": 10.0,
                                                     "stated_completion": None, "reason": "场地调整"})
    form = dept.model_copy(update={"indicators": indicators, "stated_total": 95.0, "stated_grade": "良",
                                   "stated_execution_rate": parse_quantity("98.00%")})
    draft = draft_report(form, sections=["conclusion", "problems"])
    _zero_unverified(draft)
    conclusion, problems = draft.sections[0].text, draft.sections[1].text
    assert "自评表填报自评得分95分、填报评价等级“良”，与按评分规则复核的结果不一致" in conclusion
    assert "自评表填报预算执行率为98.00%，按实际支出2115.30万元、预算2122.43万元计算，预算执行率应为99.66%" in problems
    assert "自评表填报得分为10分，按评分规则计算应得7.5分" in problems
    assert "各项指标分值合计160分，与百分制满分不一致" in problems
