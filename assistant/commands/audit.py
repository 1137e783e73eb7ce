"""`jixiao audit REPORT_FILE [--data DATA] [--json]`: recompute a published report's own figures.

Lists every statement that does not hold (completion rates, execution rate, breakdown sums, grade,
component sums; with --data also targets, actuals, budget and total against the data), each with
the recomputed value. JSON: `{"findings": [{"text","stated","computed","kind"}], "checked": N}`.
Exit code 0 when every statement holds, 1 otherwise.
"""
from __future__ import annotations

import argparse

from ..figures.audit import audit
from .shared import add_data_options, load_data, print_result, read_text, working_on

KIND_NAMES = {"completion_rate": "完成率", "excess_rate": "超出比例", "execution_rate": "预算执行率",
              "breakdown_sum": "资金明细合计", "grade": "评价等级", "total_sum": "总分与分项得分",
              "weights_sum": "分值合计", "total_mismatch": "总分与数据", "target_mismatch": "目标值与数据",
              "actual_mismatch": "实际值与数据", "budget_mismatch": "预算与数据", "spent_mismatch": "支出与数据"}


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "audit", help="复核已发布报告中的完成率、执行率、得分等是否成立",
        description="读取已发布的绩效报告文本，重新计算其中的完成率、预算执行率、资金合计、得分和等级，列出不成立之处。")
    parser.add_argument("report", help="报告文件：.txt/.md/.docx/.pdf")
    add_data_options(parser, required=False, help="可选：该报告对应的绩效数据，用于比对目标值、实际值、预算和总分")
    parser.add_argument("--json", action="store_true", help="输出JSON")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    text = read_text(args.report)
    evaluation = None
    if args.data:
        evaluation = load_data(args)
    with working_on(args.report, "复核"):
        result = audit(text, evaluation)
    print_result(result, args.json, render)
    return 0 if not result.findings else 1


def render(result) -> str:
    lines = []
    for k, finding in enumerate(result.findings, 1):
        lines.append(f"{k}. 【{KIND_NAMES.get(finding.kind, finding.kind)}】{finding.message}")
        lines.append(f"   原文：{finding.text}")
        lines.append(f"   报告所列：{finding.stated}；重新计算：{finding.computed}")
    verdict = f"复核{result.checked}处表述，{len(result.findings)}处不成立。" if result.findings \
        else f"复核{result.checked}处表述，均成立。"
    lines.append(verdict)
    return "\n".join(lines)
