#!/usr/bin/env python3
"""Check the chat question bank (`questions.yaml`) against its data files and the corpus.

Run from anywhere:  python3 eval/chat/check_facts.py            (exit 0 when every check holds)
                    python3 eval/chat/check_facts.py --facts    (print the derived facts of each data file)
                    python3 eval/chat/check_facts.py -v         (say where each figure was found)

It needs only PyYAML. It does not import the product: it re-derives, independently and by the
rules of ../shared/domain.md, the figures a correct answer prints, and checks that every figure
in a case's `must_contain` / `must_contain_any` is one of them (or is printed in the data itself):

* completion = actual ÷ target as a whole percent, half up (16/12 → 133%); for rate indicators
  (target in %) the achieved rate itself is also accepted, as the product may print either;
* execution rate = spent ÷ budget with two decimals (2115.30/2122.43 → 99.66%);
* money with two decimals in the form's unit: budget, spent, balance (budget − spent), every
  资金用途 / 资金来源 / task amount and their sums;
* scores without trailing zeros (9.2分, 97.07分): default weights (预算执行率 10; 产出 50, 效益 30,
  满意度 10, 成本 10 rescaled over the levels present, equal within a level) unless the form gives
  分值; positive targets score weight × min(1, actual/target), ceilings weight × (1 − overshoot/target);
  the points lost per indicator, over the unmet ones and in total;
* gaps (target − actual) in the target's unit and precision (64人次, 18.07小时), counts (16项).

It also checks the schema and the bank's own rules (kinds, counts, coverage), that each policy
case names a corpus document and an article that exists in it and whose text holds the case's
`evidence`, and that past-report content phrases occur in corpus/reports.
An `.xlsx` data file is checked through the `.yaml` beside it (examples/README.md: the formats
load to the same evaluation).
"""
from __future__ import annotations

import argparse
import re
import sys
import unicodedata
from collections import Counter, defaultdict
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]                      # the repository root: data paths are relative to it
CORPUS = ROOT / "corpus"
BANK = HERE / "questions.yaml"          # the bank the chat was built with
HELD_OUT = HERE / "heldout.yaml"        # questions written apart from the tuning

KINDS = ("data", "ranking", "budget", "indicator", "casual", "typo", "traditional", "follow_up",
         "rewrite", "past_report", "policy", "small_talk", "off_topic", "ambiguous")
INTENTS = ("underperformers", "score", "budget", "indicator", "ranking", "points_lost", "balance",
           "spending", "level_summary", "targets_too_low", "findings", "draft", "rewrite", "policy",
           "past_report", "small_talk", "off_topic", "clarify", "help")
MIN_PER_KIND = 12
MIN_CASES = 240
EXCERPT_MARKERS = ("资料库中与问题最相关的内容", "原文摘录")

LEVEL_WEIGHTS = {"产出指标": 50.0, "效益指标": 30.0, "满意度指标": 10.0, "成本指标": 10.0}
BUDGET_WEIGHT = 10.0
NEGATIVE_NATURE = ("成本", "费用", "单价", "投诉", "事故", "发生率", "受害率", "差错率", "时长", "天数",
                   "处置时限")


# ---------------------------------------------------------------- text

def norm(text) -> str:
    """Full-width → half-width and no whitespace: how answers and facts are compared."""
    text = unicodedata.normalize("NFKC", str(text))
    return re.sub(r"\s+", "", text)


def q(value: float | Decimal, decimals: int) -> Decimal:
    return Decimal(repr(value) if isinstance(value, float) else str(value)).quantize(
        Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def pct(fraction: float, decimals: int = 0) -> str:
    return f"{q(Decimal(repr(fraction)) * 100, decimals)}%"


def money(amount: float, unit: str) -> str:
    return f"{q(amount, 2)}{unit}"


def points(value: float) -> str:
    text = f"{q(value, 2)}"
    short = text.rstrip("0").rstrip(".")
    if abs(value - float(short)) <= 1e-9 * max(1.0, abs(value)):
        text = short
    return f"{text}分"


def number(value: float, decimals: int) -> str:
    return f"{q(value, decimals)}"


# ---------------------------------------------------------------- quantities

COMPARATORS = (("≥", ">="), ("≧", ">="), (">=", ">="), ("≤", "<="), ("≦", "<="), ("<=", "<="),
               ("大于等于", ">="), ("小于等于", "<="), ("不低于", ">="), ("不少于", ">="), ("至少", ">="),
               ("不高于", "<="), ("不超过", "<="), ("需控制在", "<="), ("控制在", "<="), ("需达到", ">="),
               ("﹦", "="), ("═", "="), ("=", "="), ("等于", "="), (">", ">"), ("<", "<"))
NUM = re.compile(r"(\d+(?:\.\d+)?)")


class Quantity:
    def __init__(self, text: str, unit_col: str = ""):
        self.text = str(text)
        t = norm(text)
        self.comparator = None
        t = re.sub(r"^(约为|约|大约)", "", t)      # an approximate value (约12000平方米) is read as the value
        for word, comp in COMPARATORS:
            if t.startswith(word):
                self.comparator, t = comp, t[len(word):]
                break
        if self.comparator is None:
            if t.endswith("以上") or t.endswith("及以上"):
                self.comparator = ">="
            elif t.endswith("以内"):
                self.comparator = "<="
        t = re.sub(r"(及以上|以上|以内)$", "", t)
        m = NUM.match(t)
        self.value = float(m.group(1)) if m else None
        self.decimals = len(m.group(1).split(".")[1]) if m and "." in m.group(1) else 0
        self.unit = (t[m.end():] if m else "") or unit_col
        self.rest = t[m.end():] if m else t
        self.numeric = self.value is not None and (m.end() == len(t) or not re.search(r"\d", t[m.end():].split("/")[0]))

    @property
    def is_percent(self) -> bool:
        return self.unit == "%"


def parse_target(text: str, unit_col: str = "") -> list[Quantity]:
    """A target's alternatives (`≥60批次或200人次` → two)."""
    t = norm(text)
    parts = t.split("或") if "或" in t and NUM.search(t.split("或")[-1] or "") else [t]
    out = []
    for k, part in enumerate(parts):
        qn = Quantity(part, unit_col)
        if k and qn.comparator is None:
            qn.comparator = out[0].comparator
        out.append(qn)
    return out


SECOND_LEVEL = (("满意度", "满意度指标"), ("数量", "产出指标"), ("质量", "产出指标"), ("时效", "产出指标"),
                ("成本", "产出指标"), ("经济效益", "效益指标"), ("社会效益", "效益指标"), ("生态效益", "效益指标"),
                ("可持续", "效益指标"))


def level_from_second(second) -> str:
    """A row without 一级指标 takes its level from the 二级指标 (数量指标 → 产出指标), else none."""
    return next((level for word, level in SECOND_LEVEL if word in str(second or "")), "")


def weight_of(value) -> float:
    """A form's 分值: a number, or printed as a percent of 100 (`20%` → 20)."""
    return float(str(value).strip().rstrip("%"))


# ---------------------------------------------------------------- one data file

class Facts:
    """Everything a correct answer may print for one data file, and where each value comes from."""

    def __init__(self, rel: str):
        self.rel = rel
        path = (ROOT / rel).resolve()
        if path.suffix == ".xlsx":   # the .yaml beside it (a 自评表 is generated from the same .yaml)
            path = path.with_name(path.stem.removesuffix("_自评表") + ".yaml")
        self.path = path
        self.data = yaml.safe_load(path.read_text(encoding="utf-8"))
        self.raw = norm("\n".join(self._strings(self.data)))
        self.figures: dict[str, str] = {}          # printed figure → how it was derived
        self.rows: list[dict] = []
        self._derive()

    def _strings(self, node):
        if isinstance(node, dict):
            for k, v in node.items():
                yield str(k)
                yield from self._strings(v)
        elif isinstance(node, list):
            for v in node:
                yield from self._strings(v)
        elif node is not None:
            yield str(node)

    def add(self, printed: str, how: str) -> None:
        self.figures.setdefault(norm(printed), how)
        m = re.fullmatch(r"(-?\d+(?:\.\d+)?)分", printed)
        if m:   # a score may also be printed with two decimals (“应为9.00分”)
            self.figures.setdefault(f"{q(Decimal(m.group(1)), 2)}分", how)

    def _derive(self) -> None:
        d = self.data
        unit = d.get("金额单位", "万元")
        budget, spent = d.get("调整后预算") or d.get("预算安排"), d.get("实际支出")
        exec_score = None
        if budget is not None:
            self.add(money(float(budget), unit), "预算")
        if spent is not None:
            self.add(money(float(spent), unit), "实际支出")
        if budget and spent is not None:
            rate = float(spent) / float(budget)
            self.add(pct(rate, 2), f"执行率 {spent}/{budget}")
            self.add(money(float(budget) - float(spent), unit), f"结余 {budget}-{spent}")
            exec_score = BUDGET_WEIGHT * min(1.0, rate)
            self.add(points(exec_score), "预算执行率得分 10×执行率")
            self.add(points(BUDGET_WEIGHT - exec_score), "预算执行率失分")
        for block in ("资金用途", "资金来源"):
            items = d.get(block) or {}
            for name, amount in items.items():
                self.add(money(float(amount), unit), f"{block}·{name}")
            if items:
                self.add(money(sum(float(a) for a in items.values()), unit), f"{block}合计")
        tasks = [t for t in d.get("重点任务") or [] if t.get("资金") is not None]
        for t in tasks:
            self.add(money(float(t["资金"]), unit), f"任务资金·{t['名称']}")
        if tasks:
            self.add(money(sum(float(t["资金"]) for t in tasks), unit), "任务资金合计")

        indicators = [dict(i, 一级指标=i.get("一级指标") or level_from_second(i.get("二级指标")))
                      for i in d.get("绩效指标") or []]
        given = all(i.get("分值") is not None for i in indicators) and indicators
        levels = Counter(i.get("一级指标", "") for i in indicators)
        present = {lv: LEVEL_WEIGHTS.get(lv, 0.0) for lv in levels}
        scale = (100.0 - BUDGET_WEIGHT) / sum(present.values()) if sum(present.values()) else 0.0
        total, lost_unmet, n_met, n_unmet = exec_score or 0.0, 0.0, 0, 0
        for i in indicators:
            row = self._row(i, weight_of(i["分值"]) if given else present.get(i.get("一级指标", ""), 0) * scale / levels[i.get("一级指标", "")])
            self.rows.append(row)
            if row["score"] is not None:
                total += row["score"]
            if row["met"] is True:
                n_met += 1
            elif row["met"] is False:
                n_unmet += 1
                lost_unmet += row["weight"] - (row["score"] or 0.0)
        if indicators:
            self.add(points(total), "总分")
            self.add(points(lost_unmet), "未完成指标失分合计")
            self.add(points(100.0 - total), "总失分（100−总分）")
            for n, how in ((len(indicators), "指标数"), (n_met, "完成数"), (n_unmet, "未完成数")):
                for word in ("项", "个"):
                    self.add(f"{n}{word}", how)
            for lv, n in levels.items():
                for word in ("项", "个"):
                    self.add(f"{n}{word}", f"{lv}指标数")
        self.total = total

    def _row(self, i: dict, weight: float) -> dict:
        name = str(i.get("三级指标", ""))
        unit_col = str(i.get("单位", "") or "")
        target_text, actual_text = str(i.get("年度指标值", "")), str(i.get("实际完成值", "") or "")
        alts = parse_target(target_text, unit_col)
        actual = Quantity(actual_text, unit_col)
        row = {"name": name, "weight": weight, "score": None, "met": None, "completion": None}
        self.add(points(weight), f"分值·{name}")
        target = next((a for a in alts if a.numeric and actual.numeric
                       and (a.unit == actual.unit or not actual.unit)), None)
        if target is not None and actual.numeric and target.value:
            direction = target.comparator
            if direction is None or direction == "=":
                negative = any(w in name for w in NEGATIVE_NATURE)
                direction = "<=" if negative and direction is None else (">=" if direction is None else "=")
            a, t = actual.value, target.value
            completion = a / t
            row["completion"] = completion
            self.add(pct(completion), f"完成率·{name} {a}/{t}")
            if direction in (">=", ">", "="):
                met = a >= t if direction != "=" else abs(a - t) < 1e-12 or (target.is_percent and a >= t)
                score = weight * min(1.0, completion)
                gap = t - a
            else:
                met = a <= t
                score = weight if met else weight * max(0.0, 1 - (a - t) / t)
                gap = a - t
            if direction == "=" and not met:
                score = weight * min(1.0, completion)
            row.update(met=met, score=score)
            if not met:
                decimals = max(target.decimals, actual.decimals)
                self.add(number(abs(gap), decimals) + (target.unit or actual.unit), f"差距·{name}")
                self.add(pct(abs(gap) / t), f"差距比例·{name}")
            if completion > 1.3 and direction in (">=", ">"):
                row["too_low"] = True
        else:
            reached = norm(actual_text) and not any(w in actual_text for w in ("未", "基本", "部分", "建设中", "无"))
            partial = any(w in actual_text for w in ("基本", "部分"))
            if reached:
                row.update(met=True, score=weight)
            elif partial:
                row.update(met=False, score=weight * 0.8)
        if row["score"] is not None:
            self.add(points(row["score"]), f"得分·{name}")
            self.add(points(weight - row["score"]), f"失分·{name}")
        return row

    def find(self, figure: str) -> str | None:
        f = norm(figure)
        if f in self.figures:
            return self.figures[f]
        if f in self.raw:
            return "数据原文"
        return None

    def table(self) -> str:
        lines = [f"== {self.rel}"]
        for r in self.rows:
            comp = pct(r["completion"]) if r["completion"] is not None else "—"
            score = points(r["score"]) if r["score"] is not None else "—"
            flag = {True: "完成", False: "未完成", None: "?"}[r["met"]] + ("  目标偏低" if r.get("too_low") else "")
            lines.append(f"  {r['name'][:28]:<30} 完成率{comp:>6}  得分{score:>8}/{points(r['weight']):<7} {flag}")
        lines.append(f"  总分 {points(self.total)}")
        for printed, how in self.figures.items():
            if not how.startswith(("完成率", "得分", "分值", "失分")):
                lines.append(f"  {printed:<16} {how}")
        return "\n".join(lines)


# ---------------------------------------------------------------- corpus

CN_DIGITS = "零一二三四五六七八九"


def policy_docs() -> dict[str, Path]:
    docs = {}
    for path in sorted((CORPUS / "policy").glob("*.md")):
        docs[re.sub(r"\(.*$", "", path.stem)] = path
    return docs


def articles(path: Path) -> dict[str, str]:
    text = path.read_text(encoding="utf-8")
    parts = re.split(r"\n(?=第[一二三四五六七八九十百零]+条[ 　])", text)
    out = {}
    for p in parts:
        m = re.match(r"第[一二三四五六七八九十百零]+条", p)
        if m:
            out[m.group(0)] = norm(p)
    return out


# ---------------------------------------------------------------- the bank

DEFAULT_COVERAGE = {"min_cases": MIN_CASES, "min_per_kind": MIN_PER_KIND, "min_files": 4, "min_realdata": 3}


def check(cases: list[dict], verbose: bool, coverage: dict | None = None) -> list[str]:
    coverage = {**DEFAULT_COVERAGE, **(coverage or {})}
    errors: list[str] = []
    facts: dict[str, Facts] = {}
    docs = policy_docs()
    reports = norm("".join(p.read_text(encoding="utf-8") for p in sorted((CORPUS / "reports").glob("*"))))
    seen_ids, seen_questions = set(), Counter()
    for c in cases:
        cid = c.get("id", "?")
        where = f"{cid}:"
        if cid in seen_ids:
            errors.append(f"{where} duplicate id")
        seen_ids.add(cid)
        for key in ("kind", "data", "turns", "intent"):
            if key not in c:
                errors.append(f"{where} missing {key}")
        kind, intent, turns = c.get("kind"), c.get("intent"), c.get("turns") or []
        if kind not in KINDS:
            errors.append(f"{where} unknown kind {kind}")
        if intent not in INTENTS:
            errors.append(f"{where} unknown intent {intent}")
        if not turns or not all(isinstance(t, str) and t.strip() for t in turns):
            errors.append(f"{where} turns must be non-empty strings")
        seen_questions[(c.get("data"), tuple(turns))] += 1
        must = [str(x) for x in c.get("must_contain") or []]
        groups = [[str(x) for x in g] for g in c.get("must_contain_any") or []]
        must_not = [str(x) for x in c.get("must_not_contain") or []]
        if not must and not groups and not must_not:
            errors.append(f"{where} no expectation at all")
        if not isinstance(c.get("must_contain_any", []), list) or any(not isinstance(g, list) for g in c.get("must_contain_any") or []):
            errors.append(f"{where} must_contain_any must be a list of lists")
        for m in must:
            if any(norm(m) in norm(n) or norm(n) in norm(m) for n in must_not):
                errors.append(f"{where} '{m}' is both required and forbidden")
        rel = c.get("data")
        if rel not in facts:
            try:
                facts[rel] = Facts(rel)
            except Exception as error:  # a missing or unreadable data file
                errors.append(f"{where} data {rel}: {error}")
                continue
        fx = facts[rel]

        # kind rules
        if kind == "follow_up" and not 2 <= len(turns) <= 3:
            errors.append(f"{where} follow_up needs 2–3 turns")
        if kind == "rewrite":
            if len(turns) < 2:
                errors.append(f"{where} rewrite needs a draft turn first")
            if "【待核实" not in must_not:
                errors.append(f"{where} rewrite must forbid 【待核实")
        if (kind == "past_report" or intent == "past_report") and "已起草" not in must_not:
            errors.append(f"{where} past_report must forbid 已起草")
        if kind == "small_talk" and "[1]" not in must_not:
            errors.append(f"{where} small_talk must forbid [1]")
        if kind == "off_topic" and "我无法回答" not in must:
            errors.append(f"{where} off_topic must contain 我无法回答")
        if kind == "ambiguous" and (intent != "clarify" or "您是想" not in must):
            errors.append(f"{where} ambiguous must be intent clarify and contain 您是想")

        # policy: a corpus document, an article in it, the evidence in the article
        if kind == "policy" or intent == "policy":
            named = must + [x for g in groups for x in g]
            doc_names = [m for m in named if m in docs or any(d.endswith(m) or m in d for d in docs)]
            arts = [m for m in must if re.fullmatch(r"第[一二三四五六七八九十百零]+条", m)]
            arts += [a for g in groups for a in g if re.fullmatch(r"第[一二三四五六七八九十百零]+条", a)]
            if not doc_names or not arts:
                errors.append(f"{where} policy case needs a document name and an article in must_contain")
            else:
                matched = [d for d in docs if any(n in d for n in doc_names)]
                found = {a: [d for d in matched if a in articles(docs[d])] for a in arts}
                for a, ds in found.items():
                    if not ds:
                        errors.append(f"{where} {a} not found in {matched}")
                evidence = c.get("evidence") or []
                if isinstance(evidence, str):
                    evidence = [evidence]
                if not evidence:
                    errors.append(f"{where} policy case needs evidence (the article's key words)")
                for e in evidence:
                    if not any(norm(e) in articles(docs[d]).get(a, "") for a, ds in found.items() for d in ds):
                        errors.append(f"{where} evidence '{e}' not in {arts} of {matched}")
                if verbose:
                    print(f"{cid}: {doc_names} {arts} ✓")
            continue

        if kind == "past_report" or intent == "past_report":
            for g in groups:
                if not any(norm(x) in reports for x in g):
                    errors.append(f"{where} none of {g} occurs in corpus/reports")
            continue

        # figures: every required string with a digit must be derivable or printed in the data
        for m in must + [x for g in groups for x in g]:
            if not re.search(r"\d", m) or re.fullmatch(r"\[\d+\]", m):
                continue   # no figure, or a citation marker
            how = fx.find(m)
            if how is None:
                errors.append(f"{where} '{m}' is neither derived from nor printed in {rel}")
            elif verbose:
                print(f"{cid}: {m} ← {how}")
        for g in groups:
            if not any(re.search(r"\d", x) is None or re.fullmatch(r"\[\d+\]", x) or fx.find(x) for x in g):
                errors.append(f"{where} no member of {g} is derivable")
    for (rel, turns), n in seen_questions.items():
        if n > 1:
            errors.append(f"duplicate question {turns} on {rel}")

    kinds = Counter(c.get("kind") for c in cases)
    for k in KINDS:
        if kinds[k] < coverage["min_per_kind"]:
            errors.append(f"kind {k}: {kinds[k]} cases, fewer than {coverage['min_per_kind']}")
    if len(cases) < coverage["min_cases"]:
        errors.append(f"{len(cases)} cases, fewer than {coverage['min_cases']}")
    files = Counter(c.get("data") for c in cases)
    real = [f for f in files if "realdata" in f]
    if len(files) < coverage["min_files"] or len(real) < coverage["min_realdata"]:
        errors.append(f"coverage: {len(files)} data files, {len(real)} realdata")
    return errors


def check_held_out(cases: list[dict], bank: list[dict]) -> list[str]:
    """A held-out set asks nothing the bank asks: no question (its turns in order) is one of the bank's."""
    asked = {tuple(c["turns"]) for c in bank}
    return [f"{c['id']}: {' → '.join(c['turns'])} is also a question of the bank" for c in cases
            if tuple(c["turns"]) in asked]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--facts", action="store_true", help="print the derived facts of each data file and exit")
    ap.add_argument("-v", "--verbose", action="store_true")
    ap.add_argument("files", nargs="*", type=Path, help="question files (default: questions.yaml and heldout.yaml)")
    ap.add_argument("--bank", type=Path, help="same as one positional file (kept for old scripts)")
    args = ap.parse_args(argv)
    paths = args.files + ([args.bank] if args.bank else []) or [BANK, HELD_OUT]
    bank_cases = yaml.safe_load(BANK.read_text(encoding="utf-8"))["cases"]
    failed = False
    for path in paths:
        questions = yaml.safe_load(path.read_text(encoding="utf-8"))
        cases = questions["cases"]
        print(f"== {path.name}")
        if args.facts:
            for rel in dict.fromkeys(c["data"] for c in cases):
                print(Facts(rel).table())
            continue
        errors = check(cases, args.verbose, questions.get("coverage"))
        if path.resolve() != BANK.resolve():
            errors += check_held_out(cases, bank_cases)
        kinds = Counter(c["kind"] for c in cases)
        files = Counter(c["data"] for c in cases)
        print(f"{len(cases)} cases; kinds: " + ", ".join(f"{k} {kinds[k]}" for k in KINDS))
        print("data files: " + ", ".join(f"{f} ({n})" for f, n in files.most_common()))
        if errors:
            failed = True
            print(f"\n{len(errors)} problem(s):")
            for e in errors:
                print("  - " + e)
        else:
            print("all checks passed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
