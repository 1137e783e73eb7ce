"""Quoted names: `text.quoted` never doubles a name's own quotes, and the checker finds the name in
the nested form as in the plain one."""
from __future__ import annotations

import pytest

from assistant.figures import Ledger, check, evaluation_ledger
from assistant.figures.subjects import find_subjects
from assistant.figures.text import TextView
from assistant.evaluation import Budget, Evaluation, Indicator, Provenance
from assistant.quantities import parse_quantity
from assistant.text import quoted

FOLLOWERS = "“港澳商协汇”公众号关注量"
POSTS = "“港澳商协汇”公众号推文数量"
HOME = "“家”主题活动场次"


@pytest.mark.parametrize("name, shown", [
    ("亚洲青年领袖论坛场次", "“亚洲青年领袖论坛场次”"),
    (FOLLOWERS, "“‘港澳商协汇’公众号关注量”"),
    ("开展“家”主题活动次数", "“开展‘家’主题活动次数”"),
    ("“十四五”", "“十四五”"),                       # one quotation already: as it is
    (" 会议场次 ", "“会议场次”"),
])
def test_quoted_wraps_once(name, shown):
    assert quoted(name) == shown
    assert "““" not in quoted(name) and "””" not in quoted(name)


@pytest.fixture(scope="module")
def ledger() -> Ledger:
    def indicator(row, name, target, actual):
        prov = {"target": Provenance(file="测试.yaml", row=row, column="年度指标值"),
                "actual": Provenance(file="测试.yaml", row=row, column="实际完成值")}
        return Indicator(level1="产出指标", name=name, target=parse_quantity(target),
                         actual=parse_quantity(actual), sources=prov)

    evaluation = Evaluation(unit_name="测试单位", year=2023, report_type="项目",
                            budget=Budget(budgeted=150.0, spent=148.0),
                            indicators=[indicator(1, FOLLOWERS, "≥450人次", "386人次"),
                                        indicator(2, POSTS, "≥40篇", "42篇"),
                                        indicator(3, HOME, "≥6场", "7场")])
    return evaluation_ledger(evaluation)


def status(text: str, figure: str, ledger: Ledger) -> str:
    found = [f for f in check(text, ledger).figures if f.text.strip() == figure]
    assert found, (figure, [(f.text, f.status) for f in check(text, ledger).figures])
    return found[0].status


@pytest.mark.parametrize("wrap", [quoted, lambda name: f"“{name}”", lambda name: name],
                         ids=["nested", "doubled", "bare"])
def test_the_checker_finds_the_name_in_every_form(wrap, ledger):
    assert status(f"{wrap(FOLLOWERS)}实际完成386人次。", "386人次", ledger) == "verified"
    assert status(f"{wrap(POSTS)}实际完成386人次。", "386人次", ledger) == "misattributed"
    assert status(f"{wrap(POSTS)}实际完成42篇。", "42篇", ledger) == "verified"
    assert status(f"{wrap(HOME)}实际完成7场。", "7场", ledger) == "verified"


def test_a_quoted_name_with_its_target(ledger):
    text = f"{quoted(FOLLOWERS + '≥450人次')}，实际完成386人次。"
    assert status(text, "≥450人次", ledger) == "verified"
    assert status(text, "386人次", ledger) == "verified"
    assert status(f"{quoted(FOLLOWERS + '≥40人次')}，实际完成386人次。", "≥40人次", ledger) != "verified"


@pytest.mark.parametrize("name", [FOLLOWERS, POSTS, HOME])
def test_the_nested_form_names_the_subject_exactly(name, ledger):
    refs = [r for r in find_subjects(TextView(f"{quoted(name)}实际完成情况良好。"), ledger) if r.quoted]
    assert [(r.subject.name, r.exact) for r in refs] == [(name, True)]
