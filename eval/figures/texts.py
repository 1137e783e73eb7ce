"""Correct texts for the mutation harness, each with the ledger it must verify against.

- `seed000`: the indicator lines, budget line and conclusion of seed 000 as published (page breaks,
  stray spaces and all; from corpus/reports), checked against examples/2023_港澳办_部门整体.yaml. The one
  wrong figure the report prints (2014 ÷ 1500 printed 100%) is corrected to 134%: a correct text.
- `seed003`: seed 003's budget breakdown and conclusion against examples/2023_商协会服务集聚区_项目.yaml.
- `generated:*`: seed-000-style sentences written from each example's ScoreCard by `seed_style_report`
  (every figure printed the way the ledger prints it).
- `drafting:*`: the drafting engineer's template writer, when `assistant.drafting` is importable.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from assistant.figures import Ledger, build_ledger
from assistant.figures.ledger import LedgerEntry
from assistant import printing
from assistant.scoring import ScoreCard, score
from assistant.text import quoted

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = {
    "部门整体": ROOT / "examples" / "2023_港澳办_部门整体.yaml",
    "项目": ROOT / "examples" / "2023_商协会服务集聚区_项目.yaml",
}
SEED000 = ROOT / "corpus" / "reports" / "2023_港澳办_部门整体支出绩效自评报告.txt"
SEED003 = ROOT / "corpus" / "reports" / "2023_港澳办_重点项目绩效评价报告_港澳商协会服务集聚区.txt"
CHINESE_COUNTS = "零一两三四五六七八九十"
ORDINALS = "一二三四五六七八九十"


@dataclass
class CleanText:
    name: str
    text: str
    ledger: Ledger


def load_cards() -> dict[str, ScoreCard]:
    from assistant.actuals import load

    return {kind: score(load(path)) for kind, path in EXAMPLES.items() if path.exists()}


def _between(text: str, start: str, end: str) -> str:
    i = text.index(start)
    j = text.index(end, i)
    return text[i:j]


def seed000_text() -> str:
    raw = SEED000.read_text(encoding="utf-8")
    budget = _between(raw, "2023 年部门预算安排资金", "（五）")
    conclusion = _between(raw, "2023年度财政资金整体支出绩效自评方案", "（二）履职效能分析")
    lines = _between(raw, "1.亚洲青年领袖论坛推进工作任务", "部门整体支出绩效指标已按")
    # the report's one arithmetic error, corrected: 2014 ÷ 1500 = 134%
    lines = re.sub(r"(2014 人次，完成率 )100%", r"\g<1>134%", lines)
    return "\n".join(part.strip() for part in (budget, conclusion, lines))


def seed003_text() -> str:
    raw = SEED003.read_text(encoding="utf-8")
    breakdown = _between(raw, "2023年本项目实际安排预算", "(三)")
    conclusion = _between(raw, "2023年度财政资金整体支出绩效自评方案", "（二）项目综合评价结论")
    return "\n".join(part.strip() for part in (breakdown, conclusion))


class _Facts:
    """Ledger entries by (subject, role), printed the way the ledger prints them."""

    def __init__(self, ledger: Ledger):
        self.by_key: dict[tuple[str, str], list[LedgerEntry]] = {}
        for entry in ledger.entries:
            if entry.disputed or entry.stated:
                continue
            self.by_key.setdefault((entry.subject, entry.role), []).append(entry)

    def get(self, subject: str, role: str, label: str = "") -> str | None:
        for entry in self.by_key.get((subject, role), []):
            if label in entry.label:
                return entry.printed
        return None


def seed_style_report(card: ScoreCard, ledger: Ledger) -> str:
    """Sentences in the way seed 000 states figures, every figure taken from the ledger."""
    ev, facts = card.evaluation, _Facts(ledger)
    year = f"{ev.year}年"
    dept = ev.report_type == "部门整体"
    out: list[str] = []
    budget, spent = facts.get("预算", "budget"), facts.get("预算", "spent")
    rate = facts.get("预算", "execution_rate")
    if budget and spent and rate:
        out.append(f"{year}{'部门预算安排资金' if dept else '本项目预算安排资金'}{budget}，全年实际支出{spent}，"
                   f"年度执行率为{rate}。")
        balance = facts.get("预算", "balance", "结余")
        if balance:
            out.append(f"预算结余{balance}，未执行比例为{facts.get('预算', 'gap_relative')}。")
    for name in ev.budget.by_item:
        amount, share = facts.get(name, "funds"), facts.get(name, "share")
        if amount and share:
            out.append(f"其中{name}{amount}，占预算的{share}。")
    out.append(f"{ev.year}年度绩效自评方案设置指标分值共计{facts.get('总分', 'total_points')}，"
               f"自评得分{facts.get('总分', 'total')}，自评结果为{card.grade}。")
    met = facts.get("评价", "count", "达到年度指标值")
    out.append(f"本年度共设置绩效指标{facts.get('评价', 'count', '绩效指标个数')}，其中{met}达到年度指标值。")
    groups: dict[str, list] = {}
    for s in card.indicators:
        groups.setdefault(s.task or s.level1, []).append(s)
    for k, (group, scores) in enumerate(groups.items(), 1):
        parts = []
        by_level: dict[str, list] = {}
        for s in scores:
            by_level.setdefault(s.level1, []).append(s)
        for level, members in by_level.items():
            lines = [_indicator_line(s, facts) for s in members]
            if len(lines) == 1:
                parts.append(f"对应{level}为{lines[0]}")
            else:
                listed = "；".join(f"{ORDINALS[i]}是{line}" for i, line in enumerate(lines))
                parts.append(f"对应{level}共{CHINESE_COUNTS[len(lines)]}项：{listed}")
        out.append(f"{k}.{group}：" + "；".join(parts) + "。")
        funds = facts.get(group, "funds")
        if funds:
            out.append(f"该任务拟投入资金{funds}。")
    # other phrasings of the same facts
    for i, s in enumerate(card.indicators):
        actual = facts.get(s.name, "actual")
        if actual is None or s.completion is None:
            continue
        completion = printing.percent(s.completion)
        phrasing = i % 3
        if phrasing == 0:
            out.append(f"{quoted(s.name)}指标：年度目标{s.target}，实际完成{actual}，完成率{completion}。")
        elif phrasing == 1:
            # a writer that wraps the name as it is (a name with its own quotes comes out doubled)
            out.append(f"在“{s.name}”方面，全年完成{actual}（目标{s.target}），完成率达到{completion}。")
        else:
            out.append(f"{quoted(s.name)}的实际完成值为{actual}，年度指标值为{s.target}，完成率为{completion}。")
    # the same figures as a Markdown table (a model writer may print one)
    out.append("| 指标 | 年度指标值 | 实际完成值 | 完成率 |")
    out.append("|---|---|---|---|")
    for s in card.indicators:
        completion = printing.percent(s.completion) if s.completion is not None else "—"
        out.append(f"| {s.name} | {s.target} | {facts.get(s.name, 'actual') or s.actual} | {completion} |")
    for s in card.indicators:
        if s.met is False and s.completion is not None:
            gap = facts.get(s.name, "gap")
            reason = f"偏差原因：{s.reason}" if s.reason else "未说明偏差原因"
            out.append(f"{quoted(s.name)}年度指标值为{s.target}，实际完成{facts.get(s.name, 'actual')}，"
                       f"完成率{printing.percent(s.completion)}" + (f"，较目标值差{gap}" if gap else "") + f"，{reason}")
        elif s.met and facts.get(s.name, "excess"):
            out.append(f"{quoted(s.name)}实际完成{facts.get(s.name, 'actual')}，超出年度指标值{facts.get(s.name, 'excess')}，"
                       f"完成率{printing.percent(s.completion)}。")
        weight, got = facts.get(s.name, "weight"), facts.get(s.name, "score")
        if weight and got:
            out.append(f"{quoted(s.name)}分值{weight}，得分{got}。")
    return "\n".join(out)


def _indicator_line(s, facts: _Facts) -> str:
    actual = facts.get(s.name, "actual") or (s.actual or "")
    line = f"{quoted(s.name + s.target)}，实际完成{actual}"
    if s.completion is not None:
        line += f"，完成率{printing.percent(s.completion)}"
    return line


def drafting_texts(cards: dict[str, ScoreCard]) -> list[CleanText]:
    """The template writer's drafts, when the drafting package is there and works."""
    try:
        from assistant.drafting import draft_report
    except Exception:   # noqa: BLE001 - optional source
        return []
    texts = []
    for kind, card in cards.items():
        try:
            draft = draft_report(card.evaluation)
        except Exception:   # noqa: BLE001
            continue
        ledger = build_ledger(card)
        body = "\n".join(section.text for section in draft.sections)
        texts.append(CleanText(f"drafting:{kind}", body, ledger))
    return texts


def clean_texts(include_drafting: bool = True) -> list[CleanText]:
    cards = load_cards()
    texts: list[CleanText] = []
    if "部门整体" in cards and SEED000.exists():
        texts.append(CleanText("seed000", seed000_text(), build_ledger(cards["部门整体"])))
    if "项目" in cards and SEED003.exists():
        texts.append(CleanText("seed003", seed003_text(), build_ledger(cards["项目"])))
    for kind, card in cards.items():
        ledger = build_ledger(card)
        texts.append(CleanText(f"generated:{kind}", seed_style_report(card, ledger), ledger))
    if include_drafting:
        texts.extend(drafting_texts(cards))
    return texts
