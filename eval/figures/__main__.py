"""`python -m eval.figures [--sample N] [--seeds K] [--no-mutations] [--no-prose] [--json]`.

Two measurements of the figure checker, both run by `jixiao eval figures`:
- the mutation harness (`harness.py`): errors injected into correct texts, recall per error kind;
- the prose sets (`prose_sets.py`): clean texts written the way capable models and officers write,
  and copies with one figure corrupted (`eval/figures/prose`, the realdata set, and `../shared/prose`;
  `eval/figures/prose_heldout`, the held-out set, is reported without being part of the goal).
Exit 0 only when every goal is met: recall ≥ 0.99 per kind and no false alarm in the harness; in
every prose set no false alarm on a clean text and ≥ 0.99 of the corruptions caught at the right
figure, per kind (cases whose data the loaders refuse are reported apart).
"""
from __future__ import annotations

import argparse
import json
import sys

from .harness import format_table, run
from .prose_sets import GOAL_RIGHT, default_sets, format_set, run_set


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.figures", description="数字核对评测：变异注错检出率与散文用例集")
    parser.add_argument("--sample", type=int, default=None, help="每篇文本、每类错误、每个随机种子最多取多少个变异")
    parser.add_argument("--seeds", type=int, default=3, help="随机种子个数（默认3）")
    parser.add_argument("--no-drafting", action="store_true", help="不使用起草模块的模板稿")
    parser.add_argument("--no-mutations", action="store_true", help="不运行变异注错")
    parser.add_argument("--no-prose", action="store_true", help="不运行散文用例集")
    parser.add_argument("-v", "--verbose", action="store_true", help="列出散文用例集的每个误报和漏检")
    parser.add_argument("--json", action="store_true", help="输出JSON")
    args = parser.parse_args(argv)
    ok, payload, lines = True, {}, []
    if not args.no_mutations:
        result = run(sample=args.sample, seeds=tuple(range(args.seeds)), include_drafting=not args.no_drafting)
        ok &= result.meets_goal
        payload["mutations"] = result.to_json()
        lines.append(format_table(result))
    if not args.no_prose:
        sets = [run_set(folder) for folder in default_sets()]
        ok &= all(s.meets_goal for s in sets if s.gated)
        payload["prose"] = [s.to_json() for s in sets]
        lines.append("散文用例集（正确文本零误报；各类错误在出错数字处检出 ≥ "
                     f"{GOAL_RIGHT:.0%}；数据未能载入的用例另计）")
        lines += [format_set(s, args.verbose) for s in sets]
    print(json.dumps(payload, ensure_ascii=False, indent=2) if args.json else "\n\n".join(lines))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
