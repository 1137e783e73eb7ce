"""`jixiao eval NAME [OPTIONS]`: the project's measurements, which live in the checkout's `eval/`.

The evaluations are not part of the installed package: `jixiao eval figures …` runs
`python -m eval.figures …` of the source checkout the package runs from (its options are that
module's), and says so clearly when the package is installed without one.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys

from .. import paths
from ..errors import JixiaoError

# name → (module under the checkout, what it measures)
EVALUATIONS: dict[str, tuple[str, str]] = {
    "figures": ("eval.figures", "数字核对：变异注错的各类检出率与误报，散文用例集的误报与检出"),
    "retrieval": ("eval.retrieval", "检索评测：BM25、向量、混合检索的 recall@1/5/10 与 MRR"),
    "chat": ("eval.chat", "对话评测：279道干部提问（口语、错别字、繁体、追问、改写、寒暄、范围外），按类别统计通过数"),
    "hostile": ("eval.hostile.bench", "恶意与畸形输入：逐个文件的退出码、耗时与峰值内存（目标 10 秒、500 MB 以内）"),
}


def register(subparsers: argparse._SubParsersAction) -> None:
    listing = "；".join(f"{name}（{what}）" for name, (_, what) in EVALUATIONS.items())
    parser = subparsers.add_parser("eval", help="评测：数字核对检出率、检索效果等",
                                   description=f"运行源代码目录 eval/ 中的评测并打印结果表。可选：{listing}。"
                                               "其余参数交给评测本身（如 jixiao eval figures --sample 3）。")
    parser.add_argument("name", choices=tuple(EVALUATIONS), help="评测名称")
    parser.add_argument("options", nargs=argparse.REMAINDER, help="评测自己的参数")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    root = paths.checkout()
    if root is None:
        raise JixiaoError("jixiao eval 需要源代码目录（含 eval/ 文件夹）：已安装的软件包不含评测，"
                          "请在 git 仓库中运行 .venv/bin/jixiao eval …")
    module, _ = EVALUATIONS[args.name]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in (str(root), os.environ.get("PYTHONPATH")) if p)}
    return subprocess.run([sys.executable, "-m", module, *args.options], env=env).returncode
