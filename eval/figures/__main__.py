"""`python -m eval.figures [--sample N] [--json]`: the mutation harness table."""
from __future__ import annotations

import argparse
import json
import sys

from .harness import format_table, run


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.figures", description="图表数字核对：变异注错检出率")
    parser.add_argument("--sample", type=int, default=None, help="每篇文本、每类错误、每个随机种子最多取多少个变异")
    parser.add_argument("--seeds", type=int, default=3, help="随机种子个数（默认3）")
    parser.add_argument("--no-drafting", action="store_true", help="不使用起草模块的模板稿")
    parser.add_argument("--json", action="store_true", help="输出JSON")
    args = parser.parse_args(argv)
    result = run(sample=args.sample, seeds=tuple(range(args.seeds)), include_drafting=not args.no_drafting)
    print(json.dumps(result.to_json(), ensure_ascii=False, indent=2) if args.json else format_table(result))
    return 0 if result.meets_goal else 1


if __name__ == "__main__":
    sys.exit(main())
