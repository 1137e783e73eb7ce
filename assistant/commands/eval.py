"""`jixiao eval figures|retrieval …`: the project's measurements.

This module owns the `eval` parser. `figures` runs the checker's mutation harness (eval/figures);
`retrieval` is registered by `assistant.commands.eval_retrieval.register_eval` when that module exists.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("eval", help="评测：数字核对检出率、检索效果等",
                                   description="运行项目的评测并打印结果表。")
    eval_subparsers = parser.add_subparsers(dest="eval_command", metavar="EVAL")
    figures = eval_subparsers.add_parser(
        "figures", help="数字核对：变异注错的各类检出率与误报",
        description="在正确文本中注入各类数字错误（改数字、互换、单位、比率、捏造、张冠李戴、年份），统计检出率和误报。")
    figures.add_argument("--sample", type=int, default=None, help="每篇文本、每类错误、每个随机种子最多取多少个变异")
    figures.add_argument("--seeds", type=int, default=3, help="随机种子个数（默认3）")
    figures.add_argument("--no-drafting", action="store_true", help="不使用起草模块的模板稿")
    figures.add_argument("--json", action="store_true", help="输出JSON")
    figures.set_defaults(func=run_figures)
    try:
        from . import eval_retrieval
    except ImportError:
        eval_retrieval = None
    if eval_retrieval is not None and hasattr(eval_retrieval, "register_eval"):
        eval_retrieval.register_eval(eval_subparsers)
    parser.set_defaults(func=lambda args: _help(parser))


def _help(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return 2


def _import_harness():
    if str(REPO_ROOT) not in sys.path and (REPO_ROOT / "eval" / "figures").is_dir():
        sys.path.insert(0, str(REPO_ROOT))
    from eval.figures.harness import format_table, run

    return run, format_table


def run_figures(args: argparse.Namespace) -> int:
    run, format_table = _import_harness()
    result = run(sample=args.sample, seeds=tuple(range(args.seeds)), include_drafting=not args.no_drafting)
    print(json.dumps(result.to_json(), ensure_ascii=False, indent=2) if args.json else format_table(result))
    return 0 if result.meets_goal else 1
