"""Run the mutation harness: recall per error kind, false alarms on the correct texts.

A mutation is detected when every span it falsified overlaps a figure the checker reports as
unverified or misattributed. Mutations the oracle finds true are excluded from the denominator and
counted. Goal: recall ≥ 0.99 on every kind, zero false alarms.
"""
from __future__ import annotations

import random
import time
from dataclasses import dataclass, field

from assistant.figures import check, mark

from .mutate import KINDS, Mutation, mutations
from .texts import CleanText, clean_texts

KIND_NAMES = {"digit": "改动一位数字", "swap": "两个指标数值互换", "unit": "单位或量级错误", "rate": "比率误舍入或误算",
              "invented": "凭空捏造的数字", "wrong_indicator": "张冠李戴（别的指标的数）", "wrong_year": "年份错误"}
GOAL_RECALL = 0.99


@dataclass
class KindResult:
    kind: str
    total: int = 0
    excluded: int = 0
    detected: int = 0
    misses: list[Mutation] = field(default_factory=list)

    @property
    def counted(self) -> int:
        return self.total - self.excluded

    @property
    def recall(self) -> float:
        return self.detected / self.counted if self.counted else 1.0


@dataclass
class HarnessResult:
    kinds: dict[str, KindResult]
    clean_texts: int
    clean_figures: int
    false_alarms: list[tuple[str, str, str]]      # (text name, figure, reason)
    marked_ok: int
    marked_total: int
    seconds: float
    sources: list[str]

    @property
    def meets_goal(self) -> bool:
        return not self.false_alarms and all(k.recall >= GOAL_RECALL for k in self.kinds.values())

    def to_json(self) -> dict:
        return {
            "kinds": {k: {"mutations": r.total, "excluded_true": r.excluded, "counted": r.counted,
                          "detected": r.detected, "recall": round(r.recall, 4)} for k, r in self.kinds.items()},
            "clean_texts": self.clean_texts, "clean_figures": self.clean_figures,
            "false_alarms": len(self.false_alarms), "marked_recheck_ok": self.marked_ok,
            "marked_total": self.marked_total, "seconds": round(self.seconds, 2), "sources": self.sources,
            "meets_goal": self.meets_goal,
        }


def _detected(mutation: Mutation, problems) -> bool:
    return all(any(p.start < end and start < p.end for p in problems) for start, end in mutation.spans)


def run(sample: int | None = None, seeds: tuple[int, ...] = (0, 1, 2), texts: list[CleanText] | None = None,
        include_drafting: bool = True, keep_misses: int = 20) -> HarnessResult:
    """Mutate every clean text with each seed; `sample` caps the mutations per text, kind and seed."""
    started = time.perf_counter()
    texts = texts if texts is not None else clean_texts(include_drafting=include_drafting)
    results = {kind: KindResult(kind) for kind in KINDS}
    false_alarms: list[tuple[str, str, str]] = []
    figures = marked_ok = marked_total = 0
    for clean in texts:
        result = check(clean.text, clean.ledger)
        figures += len(result.figures)
        false_alarms += [(clean.name, p.text, p.reason or "") for p in result.problems()]
        for seed in seeds:
            for kind, items in mutations(clean.text, result, clean.ledger, seed=seed).items():
                if sample is not None and len(items) > sample:
                    items = random.Random(f"{seed}:{clean.name}:{kind}").sample(items, sample)
                for mutation in items:
                    mutation.source = clean.name
                    tally = results[kind]
                    tally.total += 1
                    if mutation.true_statement:
                        tally.excluded += 1
                        continue
                    checked = check(mutation.text, clean.ledger)
                    if _detected(mutation, checked.problems()):
                        tally.detected += 1
                        if marked_total < 400 or marked_total % 10 == 0:
                            marked_total += 1
                            marked_ok += _marked_is_clean(mark(mutation.text, checked), clean)
                    elif len(tally.misses) < keep_misses:
                        tally.misses.append(mutation)
    return HarnessResult(results, len(texts), figures, false_alarms, marked_ok, marked_total,
                         time.perf_counter() - started, [t.name for t in texts])


def _marked_is_clean(marked: str, clean: CleanText) -> bool:
    """After marking, no unverified figure is left outside a 【待核实】 mark."""
    return check(marked, clean.ledger).ok


def format_table(result: HarnessResult) -> str:
    lines = ["图表数字核对：变异注错检出率", "",
             f"{'错误类型':<16}{'变异数':>6}{'排除(仍为真)':>12}{'计入':>6}{'检出':>6}{'召回率':>8}"]
    for kind, r in result.kinds.items():
        lines.append(f"{KIND_NAMES[kind]:<16}{r.total:>8}{r.excluded:>12}{r.counted:>8}{r.detected:>8}{r.recall:>10.4f}")
    total = sum(r.counted for r in result.kinds.values())
    detected = sum(r.detected for r in result.kinds.values())
    lines.append(f"{'合计':<16}{sum(r.total for r in result.kinds.values()):>8}"
                 f"{sum(r.excluded for r in result.kinds.values()):>12}{total:>8}{detected:>8}"
                 f"{(detected / total if total else 1):>10.4f}")
    lines.append("")
    lines.append(f"正确文本 {result.clean_texts} 篇（{', '.join(result.sources)}），数字 {result.clean_figures} 个，"
                 f"误报 {len(result.false_alarms)} 个")
    lines.append(f"标注后复查无遗漏：{result.marked_ok}/{result.marked_total}")
    lines.append(f"用时 {result.seconds:.1f} 秒；目标（各类召回率≥{GOAL_RECALL}，零误报）："
                 + ("达到" if result.meets_goal else "未达到"))
    for name, figure, reason in result.false_alarms[:10]:
        lines.append(f"  误报 [{name}] {figure}：{reason}")
    for r in result.kinds.values():
        for miss in r.misses[:5]:
            lines.append(f"  漏检 [{r.kind}/{miss.source}] {miss.note}")
    return "\n".join(lines)
