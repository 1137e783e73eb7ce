"""The product checks what it prints: the template draft of every realdata input, and of randomly
generated evaluations, has no unverified or misattributed figure (one printing for writer and ledger).

Every input of ../shared/realdata/inputs is a case; one the loaders of this checkout refuse is skipped
with the loader's own message (so the cases run as soon as the loaders read them).
"""
from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.actuals import load
from assistant.drafting import draft_report
from assistant.errors import JixiaoError
from assistant.evaluation import Budget, Evaluation, Indicator, KeyTask
from assistant.quantities import parse_quantity
from assistant.vocabulary import LEVEL1_ORDER

REALDATA = Path(__file__).resolve().parents[2] / "shared" / "realdata" / "inputs"
INPUTS = sorted(REALDATA.glob("*.yaml")) if REALDATA.is_dir() else []


def _problems(evaluation: Evaluation) -> list[tuple[str, str, str, str | None]]:
    draft = draft_report(evaluation)
    return [(s.key, f.text, f.status, f.reason) for s in draft.sections for f in s.check.problems()]


@pytest.mark.parametrize("path", INPUTS, ids=[p.stem for p in INPUTS])
def test_template_draft_of_every_realdata_input_checks_clean(path):
    try:
        evaluation = load(path)
    except JixiaoError as exc:
        pytest.skip(f"{path.name} 未能载入：{str(exc).splitlines()[0]} {' '.join(str(exc).splitlines()[1:2])}")
    assert _problems(evaluation) == []


# --- random evaluations --------------------------------------------------------------------------------

NAMES = ("开展专题培训场次", "接待来访人次", "服务企业家数", "发布宣传稿件篇数", "群众满意度", "项目验收合格率",
         "设备采购金额", "建设道路长度", "完成检测样本数", "资金拨付及时率", "举办展会次数", "入驻机构数量")
UNITS = {"场次": "场", "人次": "人次", "家数": "家", "篇数": "篇", "满意度": "%", "合格率": "%", "金额": "万元",
         "长度": "公里", "样本数": "个", "及时率": "%", "次数": "次", "数量": "家"}


def _unit(name: str) -> str:
    return next(u for key, u in UNITS.items() if name.endswith(key))


@st.composite
def indicators(draw, k: int, name: str):
    unit = _unit(name)
    comparator = draw(st.sampled_from(("≥", "≤", "")))
    if unit == "%":
        target = draw(st.integers(60, 100))
        actual = draw(st.integers(40, 100))
    else:
        target = draw(st.integers(2, 5000))
        actual = max(0, target + draw(st.integers(-target // 2, target)))
    decimals = draw(st.sampled_from((0, 0, 1, 2))) if unit in ("万元", "公里") else 0
    shown = lambda v: f"{v:.{decimals}f}" if decimals else str(v)   # noqa: E731
    weight = draw(st.one_of(st.none(), st.integers(5, 20).map(float)))
    stated = draw(st.one_of(st.none(), st.integers(0, 20).map(float))) if weight is not None else None
    form = draw(st.sampled_from(("number", "number", "number", "range", "qualitative")))
    if form == "qualitative":
        target_text, actual_text = "得到提升", draw(st.sampled_from(("有所提升", "部分提升", "未达到")))
    elif form == "range" and unit != "%":
        target_text, actual_text = f"{shown(target)}-{shown(target * 2)}{unit}", f"{shown(actual)}{unit}"
    else:
        target_text, actual_text = f"{comparator}{shown(target)}{unit}", f"{shown(actual)}{unit}"
    return Indicator(level1=draw(st.sampled_from(LEVEL1_ORDER[:3])), name=name, target=parse_quantity(target_text),
                     actual=parse_quantity(actual_text), weight=weight, stated_score=stated,
                     reason=draw(st.sampled_from((None, "受客观因素影响"))))


TASKS = ("宣传推广工作任务", "对外交流合作工作任务", "基础设施建设任务")
ITEMS = ("场地租赁费", "日常运作经费", "活动经费", "设备购置费")


@st.composite
def evaluations(draw):
    names = draw(st.lists(st.sampled_from(NAMES), min_size=1, max_size=6, unique=True))
    rows = [draw(indicators(k, name)) for k, name in enumerate(names)]
    budgeted = draw(st.integers(1000, 500000)) / 100
    spent = round(budgeted * draw(st.integers(40, 100)) / 100, 2)
    report_type = draw(st.sampled_from(("部门整体", "项目")))
    tasks = []
    if report_type == "部门整体" and draw(st.booleans()):
        tasks = [KeyTask(name=name, funds=draw(st.one_of(st.none(), st.integers(100, 9000).map(lambda v: v / 100))))
                 for name in draw(st.lists(st.sampled_from(TASKS), min_size=1, max_size=3, unique=True))]
        rows = [r.model_copy(update={"task": tasks[k % len(tasks)].name}) for k, r in enumerate(rows)]
    items = {}
    if draw(st.booleans()):
        chosen = draw(st.lists(st.sampled_from(ITEMS), min_size=2, max_size=4, unique=True))
        shares = [draw(st.integers(1, 9)) for _ in chosen]
        items = {name: round(budgeted * share / sum(shares), 2) for name, share in zip(chosen, shares)}
    rows = [r.model_copy(update={"stated_completion": parse_quantity(draw(st.sampled_from(("100%", "98%", "133%"))))})
            if draw(st.booleans()) and r.actual is not None else r for r in rows]
    return Evaluation(unit_name="某某县某某局", year=draw(st.integers(2019, 2025)), report_type=report_type,
                      project="某某专项资金项目" if report_type == "项目" else None, tasks=tasks,
                      budget=Budget(budgeted=budgeted, spent=spent, by_item=items), indicators=rows,
                      stated_total=draw(st.one_of(st.none(), st.integers(60, 100).map(float))),
                      stated_execution_rate=draw(st.one_of(st.none(), st.sampled_from(("100%", "99.50%", "90%")).map(parse_quantity))))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(evaluations())
def test_template_draft_of_random_evaluations_checks_clean(evaluation):
    assert _problems(evaluation) == []
