"""Error injection: each mutation changes one correct text in one way and says where.

Kinds (every one makes a false statement unless the oracle says otherwise):
- digit: one digit of a figure (number or document number) changed;
- swap: the figures of two different indicators with the same role exchanged;
- unit: a unit or magnitude changed (万元→元, 万元→亿元, 万→亿, 场→人次, % dropped, 分→%);
- rate: a rate mis-rounded (rounded the other way, truncated, an extra wrong decimal) or recomputed
  wrongly (target ÷ actual, capped at 100%, actual ÷ target − 1);
- invented: a clause or sentence with a figure the data does not have, or an indicator's figure
  in a sentence about something else;
- wrong_indicator: an indicator's actual, target or completion replaced by another indicator's;
- wrong_year: a year replaced by one that is neither the evaluation year nor in the data.

The oracle: a mutation is a true statement (excluded from the denominator, and counted) when the
new figure still reads as a valid entry of the same subject and role in the ledger.
"""
from __future__ import annotations

import math
import random
import re
from dataclasses import dataclass

from assistant.figures import CheckResult, Ledger, extract
from assistant.figures.ledger import LedgerEntry, printed_number_matches, unit_ok

KINDS = ("digit", "swap", "unit", "rate", "invented", "wrong_indicator", "wrong_year")


@dataclass
class Mutation:
    kind: str
    text: str
    spans: list[tuple[int, int]]          # where the false figures are, in the mutated text
    note: str
    true_statement: bool = False
    source: str = ""


@dataclass
class _Figure:
    start: int
    end: int
    text: str
    entry: LedgerEntry | None
    kind: str                              # number | year | date | docno
    number_span: tuple[int, int] = (0, 0)  # the digits inside text
    unit_text: str = ""


def _figures(text: str, result: CheckResult, ledger: Ledger) -> list[_Figure]:
    mentions = {(m.start, m.end): m for m in extract(text)}
    figures = []
    for f in result.figures:
        if f.status != "verified":
            continue
        m = mentions.get((f.start, f.end))
        if m is None:
            continue
        digits = re.search(r"\d[\d,]*(?:\.\d+)?", f.text) if not m.chinese else None
        number_span = digits.span() if digits else (0, 0)
        unit_text = f.text[number_span[1]:].strip() if digits else ""
        entry = ledger.get(f.entry_id) if f.entry_id else None
        figures.append(_Figure(f.start, f.end, f.text, entry, m.kind, number_span, unit_text))
    return figures


def _replace(text: str, start: int, end: int, new: str) -> str:
    return text[:start] + new + text[end:]


def _is_true(ledger: Ledger, entry: LedgerEntry | None, new_text: str) -> bool:
    """Does the new figure still read as a valid value of the same subject and role?"""
    if entry is None:
        return False
    mentions = [m for m in extract(new_text) if m.kind == "number"]
    if len(mentions) != 1 or mentions[0].number is None:
        return False
    m = mentions[0]
    for other in ledger.entries:
        if other.subject != entry.subject or other.role != entry.role or other.disputed or other.value is None:
            continue
        if entry.role == "count" and other.label != entry.label:
            continue      # another count of the same subject counts something else
        scale = m.scale if m.unit or m.magnitude != 1 else other.magnitude
        if unit_ok(m, other) and printed_number_matches(other.value, m.number, m.decimals, scale):
            return True
    return False


def digit_mutations(text: str, figures: list[_Figure], ledger: Ledger, rng: random.Random) -> list[Mutation]:
    out = []
    for f in figures:
        if f.kind in ("year", "date") or f.entry is None and f.kind != "docno":
            continue
        if f.kind == "docno":
            positions = [k for k, ch in enumerate(f.text) if ch.isdigit()][-3:]
        else:
            a, b = f.number_span
            positions = [k for k in range(a, b) if f.text[k].isdigit()]
        if not positions:
            continue
        k = rng.choice(positions)
        choices = [d for d in "0123456789" if d != f.text[k] and not (d == "0" and (k == f.number_span[0]))]
        new_figure = f.text[:k] + rng.choice(choices) + f.text[k + 1:]
        mutated = _replace(text, f.start, f.end, new_figure)
        true = _is_true(ledger, f.entry, new_figure) if f.kind != "docno" else \
            ledger.docno_entry(next((m.docno for m in extract(new_figure) if m.docno), "")) is not None
        out.append(Mutation("digit", mutated, [(f.start, f.start + len(new_figure))],
                            f"{f.text} → {new_figure}", true))
    return out


SWAP_ROLES = ("actual", "target", "completion")


def swap_mutations(text: str, figures: list[_Figure], ledger: Ledger, rng: random.Random) -> list[Mutation]:
    out = []
    for role in SWAP_ROLES:
        group = [f for f in figures if f.entry is not None and f.entry.role == role
                 and f.entry.subject_kind == "indicator"]
        pairs = [(group[i], group[i + 1]) for i in range(len(group) - 1)]
        pairs += [tuple(rng.sample(group, 2)) for _ in range(min(len(group), 6))] if len(group) > 2 else []
        for a, b in pairs:
            if a.entry.subject == b.entry.subject:
                continue
            first, second = sorted((a, b), key=lambda f: f.start)
            mutated = text[:first.start] + second.text + text[first.end:second.start] + first.text + text[second.end:]
            shift = len(second.text) - len(first.text)
            spans = [(first.start, first.start + len(second.text)),
                     (second.start + shift, second.start + shift + len(first.text))]
            # a side that still reads as a valid value of its own subject is no error (only the other side is)
            false_spans = [span for span, figure, new in ((spans[0], first, second.text), (spans[1], second, first.text))
                           if not _is_true(ledger, figure.entry, new)]
            out.append(Mutation("swap", mutated, false_spans or spans, f"{first.text} ⇄ {second.text}",
                                not false_spans))
    # the target and the actual of one indicator exchanged (numbers only; comparator and units stay)
    by_subject: dict[str, dict[str, _Figure]] = {}
    for f in figures:
        if f.entry is not None and f.entry.subject_kind == "indicator" and f.entry.role in ("target", "actual") \
                and f.number_span != (0, 0):
            by_subject.setdefault(f.entry.subject, {}).setdefault(f.entry.role, f)
    for subject, roles in by_subject.items():
        if len(roles) < 2:
            continue
        first, second = sorted(roles.values(), key=lambda f: f.start)
        n1 = first.text[first.number_span[0]:first.number_span[1]]
        n2 = second.text[second.number_span[0]:second.number_span[1]]
        new_first = first.text[:first.number_span[0]] + n2 + first.text[first.number_span[1]:]
        new_second = second.text[:second.number_span[0]] + n1 + second.text[second.number_span[1]:]
        mutated = text[:first.start] + new_first + text[first.end:second.start] + new_second + text[second.end:]
        shift = len(new_first) - len(first.text)
        spans = [(first.start, first.start + len(new_first)),
                 (second.start + shift, second.start + shift + len(new_second))]
        false_spans = [span for span, figure, new in ((spans[0], first, new_first), (spans[1], second, new_second))
                       if not _is_true(ledger, figure.entry, new)]
        out.append(Mutation("swap", mutated, false_spans or spans, f"{first.text} ⇄ {second.text}（同一指标）",
                            not false_spans))
    return out


UNIT_SWAPS = {
    "万元": ("元", "亿元"), "亿元": ("万元",), "元": ("万元",), "万": ("亿",),
    "场": ("人次", "家"), "场次": ("人次",), "次": ("人次", "家"), "人次": ("场", "家"), "批次": ("人次",),
    "家": ("场", "人次"), "项": ("人次", "场"), "条": ("场", "家"), "篇": ("场", "家"), "个": ("场",),
    "%": ("", "分"), "分": ("%",),
}


def unit_mutations(text: str, figures: list[_Figure], ledger: Ledger, rng: random.Random) -> list[Mutation]:
    out = []
    for f in figures:
        if f.kind != "number" or f.entry is None or not f.unit_text:
            continue
        unit = f.unit_text
        options = UNIT_SWAPS.get(unit)
        if not options:
            continue
        new_unit = rng.choice(options)
        new_figure = f.text[:f.number_span[1]] + new_unit
        mutated = _replace(text, f.start, f.end, new_figure)
        true = _is_true(ledger, f.entry, new_figure)
        out.append(Mutation("unit", mutated, [(f.start, f.start + len(new_figure))], f"{f.text} → {new_figure}", true))
    return out


RATE_ROLES = ("completion", "execution_rate", "share", "gap_relative", "excess_relative")


def _pct(value: float, decimals: int, how: str) -> str:
    scaled = value * 100 * 10 ** decimals
    number = {"ceil": math.ceil(scaled - 1e-9), "floor": math.floor(scaled + 1e-9)}[how] / 10 ** decimals
    return f"{number:.{decimals}f}%"


def rate_mutations(text: str, figures: list[_Figure], ledger: Ledger, rng: random.Random) -> list[Mutation]:
    out = []
    for f in figures:
        entry = f.entry
        if f.kind != "number" or entry is None or entry.role not in RATE_ROLES or entry.unit != "%" \
                or entry.value is None or not f.text.endswith("%"):
            continue
        printed = f.text[f.number_span[0]:]
        decimals = len(printed.rstrip("%").partition(".")[2])
        v = entry.value
        variants = {"rounded up": _pct(v, decimals, "ceil"), "truncated": _pct(v, decimals, "floor"),
                    "extra decimal": _pct(v + 0.001, decimals + 1, "ceil")}
        if v > 0:
            variants["inverted"] = _pct(1 / v, decimals, "floor")
        if v > 1:
            variants["capped at 100%"] = f"{100:.{decimals}f}%"
        if entry.role == "completion":
            variants["actual ÷ target − 1"] = _pct(abs(v - 1), decimals, "floor")
        for how, new_number in variants.items():
            if new_number == printed:
                continue
            new_figure = f.text[:f.number_span[0]] + new_number
            mutated = _replace(text, f.start, f.end, new_figure)
            true = _is_true(ledger, entry, new_figure)
            out.append(Mutation("rate", mutated, [(f.start, f.start + len(new_figure))],
                                f"{f.text} → {new_figure} ({how})", true))
    return out


def _unknown_number(ledger: Ledger, rng: random.Random, unit: str) -> str:
    while True:
        n = rng.randint(2, 999)
        candidate = f"{n}{unit}"
        mention = extract(candidate)[0]
        if not ledger.candidates(mention) and not ledger.near_misses(mention):
            return candidate


def invented_mutations(text: str, figures: list[_Figure], ledger: Ledger, rng: random.Random) -> list[Mutation]:
    out = []
    ends = [m.start() for m in re.finditer(r"[。；]", text)]
    rng.shuffle(ends)
    for k, position in enumerate(ends[:12]):
        unit = rng.choice(("场", "人次", "家", "篇"))
        figure = _unknown_number(ledger, rng, unit)
        if k % 2 == 0:
            clause = f"，另开展专项调研活动{figure}"
            mutated = text[:position] + clause + text[position:]
            start = position + len(clause) - len(figure)
        else:
            clause = f"。全年累计服务企业{figure}"
            mutated = text[:position] + clause + text[position:]
            start = position + len(clause) - len(figure)
        out.append(Mutation("invented", mutated, [(start, start + len(figure))], f"+{clause}"))
    # an indicator's own figure stated about something the data does not have
    specific = [f for f in figures if f.entry is not None and f.entry.subject_kind == "indicator"
                and f.entry.role == "actual" and f.unit_text]
    for f in rng.sample(specific, min(4, len(specific))):
        position = ends[0] if ends else len(text)
        figure = f.text.strip()
        clause = f"。此外，全年另行组织专题培训{figure}"
        mutated = text[:position] + clause + text[position:]
        start = position + len(clause) - len(figure)
        out.append(Mutation("invented", mutated, [(start, start + len(figure))], f"+{clause}（与已有数值巧合）"))
    return out


def wrong_indicator_mutations(text: str, figures: list[_Figure], ledger: Ledger,
                              rng: random.Random) -> list[Mutation]:
    out = []
    for f in figures:
        entry = f.entry
        if entry is None or entry.subject_kind != "indicator" or entry.role not in ("actual", "completion", "target"):
            continue
        others = [e for e in ledger.entries if e.subject_kind == "indicator" and e.role == entry.role
                  and e.subject != entry.subject and not e.disputed and not e.stated and e.kind in ("cell", "derived")]
        if not others:
            continue
        other = rng.choice(others)
        new_figure = other.printed if not f.text.lstrip().startswith(("≥", "≤")) or other.printed[:1] in "≥≤" \
            else f.text.lstrip()[0] + other.printed.lstrip("≥≤")
        if re.sub(r"\s", "", new_figure) == re.sub(r"\s", "", f.text):
            continue
        mutated = _replace(text, f.start, f.end, new_figure)
        true = _is_true(ledger, entry, new_figure)
        out.append(Mutation("wrong_indicator", mutated, [(f.start, f.start + len(new_figure))],
                            f"{f.text} → {new_figure}（属于“{other.subject}”）", true))
    return out


def wrong_year_mutations(text: str, figures: list[_Figure], ledger: Ledger, rng: random.Random) -> list[Mutation]:
    out = []
    allowed = ledger.years()
    for f in figures:
        if f.kind not in ("year", "date"):
            continue
        match = re.search(r"(?:19|20)\d{2}", f.text)
        if not match:
            continue
        year = int(match.group())
        options = [year + d for d in (1, -1, 2, -2, 3, -3, 5) if year + d not in allowed]
        if not options:
            continue
        new_year = rng.choice(options[:3])
        new_figure = f.text[:match.start()] + str(new_year) + f.text[match.end():]
        mutated = _replace(text, f.start, f.end, new_figure)
        out.append(Mutation("wrong_year", mutated, [(f.start, f.start + len(new_figure))], f"{f.text} → {new_figure}"))
    return out


GENERATORS = {
    "digit": digit_mutations, "swap": swap_mutations, "unit": unit_mutations, "rate": rate_mutations,
    "invented": invented_mutations, "wrong_indicator": wrong_indicator_mutations, "wrong_year": wrong_year_mutations,
}


def mutations(text: str, result: CheckResult, ledger: Ledger, seed: int = 0,
              kinds: tuple[str, ...] = KINDS) -> dict[str, list[Mutation]]:
    figures = _figures(text, result, ledger)
    out: dict[str, list[Mutation]] = {}
    for kind in kinds:
        rng = random.Random(f"{seed}:{kind}")
        out[kind] = GENERATORS[kind](text, figures, ledger, rng)
    return out
