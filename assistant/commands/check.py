"""`jixiao check TEXT_FILE --data DATA [--json]`: check every figure of a text against the data.

Prints one line per figure (status, text, where it came from or why it failed) or the JSON
`{"ok", "figures": [{"text","start","end","value","unit","status","source","reason"}]}`.
Exit code 0 when every figure is verified or out of scope, 1 otherwise.
"""
from __future__ import annotations

import argparse
from pathlib import Path

from ..corpus import corpus_docnos
from ..evaluation import Evaluation
from ..figures import Ledger, check, evaluation_ledger
from .shared import add_data_options, load_data, pad, print_result, read_text, working_on

STATUS_NAMES = {"verified": "已核实", "unverified": "未核实", "misattributed": "张冠李戴", "out-of-scope": "不核对"}


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "check", help="核对文本中的每个数字是否有数据依据",
        description="逐个核对文本中的数字（数值、单位、所指指标、年份、文号）是否见于数据、计算值或所引来源。")
    parser.add_argument("text", help="待核对的文本文件（UTF-8）")
    add_data_options(parser, required=True, help="绩效数据文件：.yaml/.json/.xlsx/.csv/.txt/.docx")
    parser.add_argument("--corpus", default=None,
                        help="已索引语料目录，其中的文号视为已知（默认：./corpus，若存在）")
    parser.add_argument("--json", action="store_true", help="输出JSON")
    parser.set_defaults(func=run)


def data_ledger(evaluation: Evaluation, corpus: str | None = None) -> Ledger:
    """The ledger of an evaluation, with the document numbers of the corpus (default ./corpus) known."""
    corpus_dir = Path(corpus) if corpus else Path("corpus")
    known = corpus_docnos(corpus_dir) if corpus_dir.is_dir() else None
    return evaluation_ledger(evaluation, known_docnos=known)


def run(args: argparse.Namespace) -> int:
    text = read_text(args.text)
    ledger = data_ledger(load_data(args), args.corpus)
    with working_on(args.text, "核对"):
        result = check(text, ledger)
    print_result(result, args.json, render)
    return 0 if result.ok else 1


def render(result) -> str:
    lines = [f"{pad('状态', 10)}{pad('原文', 18)}{pad('位置', 12)}来源或原因"]
    for f in result.figures:
        shown = " ".join(f.text.split())
        detail = f.source if f.status == "verified" else (f.reason or "")
        lines.append(f"{pad(STATUS_NAMES[f.status], 10)}{pad(shown, 18)}{pad(f'{f.start}-{f.end}', 12)}{detail}")
    problems = result.problems()
    counts = {s: sum(1 for f in result.figures if f.status == s) for s in STATUS_NAMES}
    summary = "，".join(f"{STATUS_NAMES[s]}{n}个" for s, n in counts.items() if n)
    lines.append("")
    lines.append(f"共{len(result.figures)}个数字：{summary or '无'}。" +
                 ("可以输出。" if not problems else f"有{len(problems)}个数字未通过核对，不能直接输出。"))
    return "\n".join(lines)
