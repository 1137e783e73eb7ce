"""The prose sets, run in-process: clean texts a capable model or an officer writes, and copies with
one figure corrupted (the format of `../shared/prose`: `cases.yaml`, `texts/`, `data/`, `run.py`).

`python -m eval.figures.prose_sets [SET_DIR ...] [-v] [--json FILE]` checks every case with
`assistant.figures.check` against the ledger `jixiao check` builds (the data loaded by
`actuals.load`, the checkout's `corpus/` document numbers known) and scores it with the set's own `run.py` (`evaluate`, `original_status`),
so the verdict is the one `python3 SET_DIR/run.py CHECKOUT` prints, without a process per case.
Default sets: `eval/figures/prose` (the realdata set of this checkout), `eval/figures/prose_heldout` (the
held-out set over the 15 realdata inputs the first one does not use) and `../shared/prose` when it is
there. A case whose data does not load is an error (its loader message is kept). The held-out set is
reported, never gated (`gated` False): it measures prose the checker was not written against.
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from assistant.actuals import load
from assistant.corpus import corpus_docnos
from assistant.errors import JixiaoError
from assistant.figures import check, evaluation_ledger

ROOT = Path(__file__).resolve().parents[2]
OWN_SET = ROOT / "eval" / "figures" / "prose"
HELDOUT_SET = ROOT / "eval" / "figures" / "prose_heldout"
SHARED_SET = ROOT.parent / "shared" / "prose"
REPORTED_ONLY = (HELDOUT_SET,)   # measured and printed, not part of the goal
PROBLEM = ("unverified", "misattributed")
GOAL_RIGHT = 0.99          # corruptions caught at the corrupted figure, per kind


def default_sets() -> list[Path]:
    return [p for p in (OWN_SET, HELDOUT_SET, SHARED_SET) if (p / "cases.yaml").is_file()]


def _scorer(folder: Path):
    """The set's own run.py, imported by path: its `evaluate` and `original_status` decide."""
    spec = importlib.util.spec_from_file_location(f"prose_run_{abs(hash(folder))}", folder / "run.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@dataclass
class SetResult:
    name: str
    folder: Path
    results: list[dict]
    seconds: float
    per_kind: dict[str, Counter] = field(default_factory=dict)

    @property
    def clean(self) -> list[dict]:
        return [r for r in self.results if r["kind"] == "clean"]

    @property
    def corrupted(self) -> list[dict]:
        return [r for r in self.results if r["kind"] != "clean"]

    @property
    def errors(self) -> list[dict]:
        return [r for r in self.results if "error" in r]

    def summary(self) -> str:
        clean_ok = sum(r["passed"] for r in self.clean)
        caught = [r for r in self.corrupted if r.get("caught")]
        right = sum(r["right"] for r in caught)
        errors = f", errors {len(self.errors)}" if self.errors else ""
        return (f"prose {self.name}: clean ok {clean_ok}/{len(self.clean)}, caught {len(caught)}/{len(self.corrupted)}, "
                f"right figure {right}/{len(caught)}{errors}")

    @property
    def passed(self) -> bool:
        return all(r.get("passed") for r in self.results) and not self.errors

    @property
    def gated(self) -> bool:
        """Is this set part of the goal (the held-out set is only reported)?"""
        return self.folder.resolve() not in {p.resolve() for p in REPORTED_ONLY}

    @property
    def meets_goal(self) -> bool:
        """No false alarm on a clean text that loads; per kind, ≥ GOAL_RIGHT caught at the right figure."""
        clean = all(r["passed"] for r in self.clean if "error" not in r)
        return clean and all(c["right"] >= GOAL_RIGHT * c["cases"] for c in self.per_kind.values())

    def to_json(self) -> dict:
        clean_figures = sum(r.get("figures", 0) for r in self.clean)
        alarms = sum(len(r.get("false_alarms", [])) for r in self.clean)
        return {"set": self.name, "summary": self.summary(), "clean_texts": len(self.clean),
                "clean_ok": sum(r["passed"] for r in self.clean), "clean_figures": clean_figures,
                "false_alarms": alarms, "corrupted": len(self.corrupted),
                "caught": sum(bool(r.get("caught")) for r in self.corrupted),
                "right_figure": sum(bool(r.get("right")) for r in self.corrupted),
                "per_kind": {k: dict(c) for k, c in sorted(self.per_kind.items())},
                "errors": len(self.errors), "error_data": sorted({r["data"] for r in self.errors}),
                "meets_goal": self.meets_goal, "gated": self.gated, "seconds": round(self.seconds, 2)}


def run_set(folder: Path) -> SetResult:
    started = time.perf_counter()
    scorer = _scorer(folder)
    spec = yaml.safe_load((folder / "cases.yaml").read_text(encoding="utf-8"))
    ledgers: dict[str, object] = {}
    outputs: dict[str, dict | None] = {}
    results = []
    for case in spec["cases"]:
        data = str(folder / case["data"])
        if data not in ledgers:
            try:
                ledgers[data] = evaluation_ledger(load(data), known_docnos=corpus_docnos(ROOT / "corpus"))
            except JixiaoError as exc:
                ledgers[data] = exc
        text = (folder / case["text"]).read_text(encoding="utf-8")
        ledger = ledgers[data]
        if isinstance(ledger, Exception):
            out, err = None, str(ledger).splitlines()[0] if str(ledger) else type(ledger).__name__
        else:
            out, err = check(text, ledger).to_json(), None
        outputs[case["text"]] = out
        results.append(scorer.evaluate(case, out, err, text))
    for case, r in zip(spec["cases"], results):
        if case["kind"] != "clean" and "error" not in r:
            clean_text = (folder / case["clean"]).read_text(encoding="utf-8")
            clean_out = outputs.get(case["clean"])
            r["original_status"] = scorer.original_status(case, clean_text, (clean_out or {}).get("figures"))
    per_kind: dict[str, Counter] = defaultdict(Counter)
    for r in results:
        if r["kind"] == "clean" or "error" in r:
            continue
        per_kind[r["kind"]]["cases"] += 1
        per_kind[r["kind"]]["caught"] += bool(r.get("caught"))
        per_kind[r["kind"]]["right"] += bool(r.get("right"))
    return SetResult(spec.get("set", folder.name), folder, results, time.perf_counter() - started, dict(per_kind))


def format_set(result: SetResult, verbose: bool = False) -> str:
    lines = [result.summary() + ("" if result.gated else "（留出集：只报告，不计入目标）")]
    clean_figures = sum(r.get("figures", 0) for r in result.clean)
    alarms = sum(len(r.get("false_alarms", [])) for r in result.clean)
    lines.append(f"  clean texts: {len(result.clean)}, figures checked {clean_figures}, false alarms {alarms}; "
                 f"{result.seconds:.1f} s")
    lines.append("  per kind (caught / right figure / cases): " + "; ".join(
        f"{k} {c['caught']}/{c['right']}/{c['cases']}" for k, c in sorted(result.per_kind.items())))
    if result.errors:
        refused = sorted({r["data"] for r in result.errors})
        lines.append(f"  not measured ({len(result.errors)} cases): the loaders refuse {', '.join(refused)}")
    if verbose:
        for r in result.errors:
            lines.append(f"  ERROR {r['text']}: {r['error']}")
        for r in result.clean:
            for fa in r.get("false_alarms", []):
                lines.append(f"  FALSE ALARM {r['text']}: {fa['figure']} [{fa['status']}] {fa['reason']} | {fa['sentence']}")
        for r in result.corrupted:
            if "error" not in r and not r["right"]:
                lines.append(f"  MISS {r['text']}: {r['figure']} -> {r['figure_status']} | {r['sentence']}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.figures.prose_sets", description="散文核数用例集（进程内运行）")
    parser.add_argument("sets", nargs="*", help="用例集目录（含 cases.yaml）；默认 eval/figures/prose、eval/figures/prose_heldout 与 ../shared/prose")
    parser.add_argument("-v", "--verbose", action="store_true", help="列出每个误报和漏检")
    parser.add_argument("--json", help="把每个用例的结果写入此文件")
    args = parser.parse_args(argv)
    folders = [Path(s).resolve() for s in args.sets] or default_sets()
    results = [run_set(folder) for folder in folders]
    for result in results:
        print(format_set(result, args.verbose))
    if args.json:
        Path(args.json).write_text(json.dumps([{**r.to_json(), "results": r.results} for r in results],
                                              ensure_ascii=False, indent=1), encoding="utf-8")
    return 0 if all(r.passed for r in results if r.gated) else 1


if __name__ == "__main__":
    sys.exit(main())
