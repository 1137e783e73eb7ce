"""`jixiao score DATA [--json] [--year N] [--profile P] [--set 第3行.实际完成值=16场 …] [--overrides F]`.

The text table is fixed-width with CJK-aware padding (a CJK character takes two columns), one line
per indicator with its direction (正向/反向/等于/定性/时限) and a mark for what awaits confirmation;
below it the direction readings that were inferred (a bare target and why it reads as it does),
and every review item with its cell and reason. `--json` prints `ScoreCard.to_json()` (completion
and execution rate as fractions, null where not computable; each indicator's `direction_reason`
and `needs_review`), plus the loader's `warnings`.
"""
from __future__ import annotations

import argparse
import json
import unicodedata

from .. import printing
from ..directions import DIRECTION_NAMES
from ..errors import UNPRINTABLE_CATEGORIES, printable
from ..scoring import ScoreCard, score
from .shared import add_data_options, display_width, load_data, working_on


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "score", help="按评分规则给绩效数据打分，列出未完成指标和核对发现",
        description="读取绩效数据（YAML/JSON/XLSX/CSV、绩效自评表 XLSX/DOCX，或申报表 TXT/DOCX），按评分规则计算完成率、"
                    "得分、总分和等级；无法识别的单元格列为“待确认”，不计分，可用 --set 或更正文件更正。")
    parser.add_argument("data", help="数据文件：.yaml/.yml/.json/.xlsx/.csv/.txt/.tsv/.docx（按内容识别格式）")
    parser.add_argument("--json", action="store_true", help="输出JSON（完成率、执行率为小数，如1.3333）")
    add_data_options(parser, required=None, help="")
    parser.add_argument("--profile", default=None, help="CSV指标表的基本信息YAML（默认：同名.yaml）")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    evaluation = load_data(args)
    with working_on(args.data, "评分"):
        card = score(evaluation)
    if args.json:
        payload = card.to_json()
        payload["warnings"] = list(evaluation.warnings)
        print(json_text(payload))
    else:
        print(printable(render(card, args.data)))
    return 0


def json_text(payload: dict) -> str:
    """`payload` as JSON in which every unprintable character (a bidi control, a broken surrogate) is a
    `\\uXXXX` escape: the same JSON, and output any terminal or log shows as it is."""
    text = json.dumps(payload, ensure_ascii=False, indent=2)
    return text if text.isprintable() else "".join(
        f"\\u{ord(ch):04x}" if ch not in "\n" and unicodedata.category(ch) in UNPRINTABLE_CATEGORIES else ch
        for ch in text)


# --- fixed-width text -----------------------------------------------------------------------------

def fit(text: str, width: int) -> str:
    """One line (a cell's line breaks as spaces), cut to `width` display columns (ending in `…` when cut) and
    padded with spaces."""
    text = one_line(text)
    if display_width(text) > width:
        out, used = "", 0
        for ch in text:
            w = display_width(ch)
            if used + w > width - 1:
                break
            out, used = out + ch, used + w
        text = out + "…"
    return text + " " * (width - display_width(text))


def one_line(text: str) -> str:
    """A cell's text on one line: a CSV or Excel cell may hold line breaks."""
    return " ".join(text.split("\n")) if "\n" in text else text


def _num(value: float | None, digits: int = 2) -> str:
    if value is None:
        return "—"
    text = f"{value:.{digits}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _money(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


COLUMNS = (("一级指标", 10), ("三级指标", 36), ("目标", 18), ("实际", 12), ("方向", 6), ("完成率", 8),
           ("分值", 7), ("得分", 7), ("完成", 6))
EXPLICIT = "年度指标值写有"       # a direction read from the target's own comparator needs no note


def render(card: ScoreCard, data_path: str = "") -> str:
    ev = card.evaluation
    kind = "项目支出绩效评价" if ev.report_type == "项目" else "部门整体支出绩效自评"
    lines = [f"{ev.title} {ev.year_label()}{kind}：评分", f"数据：{data_path or ev.source_file}", ""]
    lines.append(" ".join(fit(name, width) for name, width in COLUMNS).rstrip())
    lines.append(" ".join("-" * width for _, width in COLUMNS))
    for s in card.indicators:
        indicator = ev.indicators[s.index]
        unit = indicator.sources.get("unit") and _unit_column(indicator)
        target = s.target + (unit if unit and not s.target.endswith(unit) else "")
        met = "待确认" if s.pending else {True: "是", False: "否", None: "—"}[s.met]
        name = ("  " if s.parent else "") + s.name
        cells = (s.level1, name, target, s.actual or "—", DIRECTION_NAMES.get(s.direction, s.direction),
                 printing.percent(s.completion), _num(s.weight), _num(s.score), met)
        lines.append(" ".join(fit(c, w) for c, (_, w) in zip(cells, COLUMNS)).rstrip())
    b = card.budget
    lines.append("")
    base = f"预算{_money(b.budgeted)}{b.unit}" + (f"，调整后{_money(b.adjusted)}{b.unit}" if b.adjusted is not None else "")
    if b.spent is None:
        lines.append(f"预算执行：{base}，实际支出未填写，不计算执行率")
    else:
        lines.append(f"预算执行：{base}，实际支出{_money(b.spent)}{b.unit}，执行率{printing.percent(b.execution_rate, 2)}，"
                     f"分值{_num(b.weight)}，得分{_num(b.score)}")
    if not ev.indicators:
        lines.append("指标：未找到绩效指标，只评价预算执行情况，不计算总分和等级")
        return "\n".join(lines + _notes(card))
    if ev.targets_only:
        lines.append(f"指标：{len(card.indicators)}项，均无实际完成值（目标申报），不计算得分和等级")
        return "\n".join(lines + _notes(card))
    stated = []
    if ev.stated_total is not None:
        stated.append(f"{ev.stated_total:g}分")
    if ev.stated_grade:
        stated.append(ev.stated_grade)
    pending = f"（{card.pending_note()}）" if card.review_count else ""
    grade = card.grade + ("（暂定）" if card.grade_provisional else "")
    lines.append(f"总分：{card.total:.2f} / {card.total_points:g}分{pending}    等级：{grade}"
                 + (f"    （填报：{'，'.join(stated)}）" if stated else ""))
    lines.append(f"指标：{len(card.indicators)}项，完成{card.met_count}项")
    lines.append("")
    if card.underperforming:
        lines.append("未完成指标（按差距从大到小）：")
        for k, u in enumerate(card.underperforming, 1):
            gap = f"，差距{printing.percent(u.gap_relative)}" if u.gap_relative is not None else ""
            lines.append(f"  {k}. {u.name}：目标{u.target}，实际{u.actual or '—'}，完成率{printing.percent(u.completion)}"
                         f"{gap}；偏差原因：{one_line(u.reason or '未填写')}")
    else:
        lines.append("未完成指标：无")
    if card.overachieving:
        lines.append("远超目标的指标（目标值可能偏低）：")
        for s in card.overachieving:
            lines.append(f"  - {s.name}：目标{s.target}，实际{s.actual}，完成率{printing.percent(s.completion)}")
    other = [f for f in card.findings if f.kind != "target_too_low"]
    if other:
        lines.append("核对发现：")
        for k, f in enumerate(other, 1):
            lines.append(f"  {k}. {f.message}")
    return "\n".join(lines + _notes(card))


def _notes(card: ScoreCard) -> list[str]:
    lines = []
    inferred = [s for s in card.indicators if s.direction in ("positive", "negative", "equality", "deadline")
                and s.direction_reason and not s.direction_reason.startswith(EXPLICIT)
                and not s.direction_reason.startswith("年度指标值为")]
    if inferred:
        lines.append("方向判断（未写比较符号或按其他依据）：")
        lines += [f"  - {s.name}：{DIRECTION_NAMES.get(s.direction, s.direction)}，{s.direction_reason}" for s in inferred]
    levels = [s for s in card.indicators if s.level1_reason]
    if levels:
        lines.append("一级指标推断：")
        lines += [f"  - {s.name}：{s.level1_reason}" for s in levels]
    review = card.review
    if review:
        lines.append("待确认（更正对应单元格后重新评分，如 --set 第3行.实际完成值=16场）：")
        lines += [f"  {k}. [{item.title}] {item.describe()}" for k, item in enumerate(review, 1)]
    warnings = card.evaluation.warnings
    if warnings:
        lines += ["数据提示："] + [f"  - {w}" for w in warnings]
    return lines


def _unit_column(indicator) -> str:
    """The unit the form printed in a separate 单位 column (shown after a bare target like `≥1500`)."""
    return indicator.target.unit if indicator.target.unit not in ("", "%") else ""
