#!/usr/bin/env python3
"""Re-derive every figure of the clean prose texts from the realdata input it is written about.

    python3 check_truth.py [-v]

For every clean case in cases.yaml it checks that
  * each listed figure is the exact substring of the text at its offset `at`;
  * its `check` expression, evaluated against the case's data file (data/dNN.yaml), gives the figure
    (a predicate may refer to the printed figure as FIG, e.g. has(NAME, FIG) for a year written in the name):
    numbers must equal the printed number, or round half-up to it at the printed precision when the
    expression is a derivation (a ratio, difference, sum, conversion); units must match; hedged figures
    (约 …, 近 …, 超过 …, … 以上) must be consistent with their hedge; strings must match exactly;
  * every Arabic digit of the text, and every Chinese-numeral count (三项, 两项, 一倍 …), lies inside a
    listed figure (numbering like "1. " at the start of a list item is exempt).
For every corrupted case it checks that
  * the text equals the clean text with the first (and only) occurrence of `was` replaced by `now`;
  * `figure` is the substring at `at` and lies in the replaced part;
  * the corruption is false: the corrupted figure fails the check of the clean figure it replaced
    (for `invented` cases, which insert a figure, the inserted number must not be a number of the data file).
Exit 0 only when everything passes. Standard library + PyYAML.
"""
from __future__ import annotations

import re
import sys
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
EXPECTED = Path("/work/shared/realdata/expected")  # the realdata set's hand-worked conclusions (met per row)

CN = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
HEDGE_PRE = ("将近", "接近", "约", "近", "超过", "逾", "不足")
HEDGE_SUF = ("左右", "以上", "余")
NUM = re.compile(r"\d+(?:\.\d+)?")


def cn_int(s: str) -> int | None:
    """一 … 九十九 as an int."""
    if not s or any(c not in CN and c != "十" for c in s):
        return None
    if "十" in s:
        a, _, b = s.partition("十")
        return (CN[a] if a else 1) * 10 + (CN[b] if b else 0)
    return CN[s] if len(s) == 1 else None


def D(x) -> Decimal:
    return x if isinstance(x, Decimal) else Decimal(str(x))


def num_of(cell) -> Decimal | None:
    m = NUM.search(str(cell))
    return Decimal(m.group()) if m else None


# ----------------------------------------------------------------------------------------------------------
# The evaluation environment of a data file


class Env:
    def __init__(self, data_path: Path):
        self.path = data_path
        self.d = yaml.safe_load(data_path.read_text(encoding="utf-8"))
        self.rows = self.d.get("绩效指标") or []
        exp = EXPECTED / data_path.name
        self.expected = yaml.safe_load(exp.read_text(encoding="utf-8")) if exp.exists() else None
        self.met = {}
        if self.expected:
            for r, e in zip(self.rows, self.expected["indicators"]):
                assert r["三级指标"] == e["name"], (data_path, r["三级指标"], e["name"])
                self.met[r["三级指标"]] = e["met"]

    # --- cells
    def row(self, key: str) -> dict:
        exact = [r for r in self.rows if r["三级指标"] == key]
        if exact:
            return exact[0]
        hits = [r for r in self.rows if key in r["三级指标"]]
        if len(hits) != 1:
            raise KeyError(f"indicator key {key!r} matches {len(hits)} rows in {self.path.name}")
        return hits[0]

    def T(self, k):
        return num_of(self.row(k)["年度指标值"])

    def A(self, k):
        return num_of(self.row(k)["实际完成值"])

    def W(self, k):
        return num_of(self.row(k)["分值"])

    def S(self, k):
        return num_of(self.row(k)["得分"])

    def Ts(self, k):
        return str(self.row(k)["年度指标值"])

    def As(self, k):
        return str(self.row(k)["实际完成值"])

    # --- selections
    def sel(self, level=None, top=False, l2=None):
        rs = [r for r in self.rows if level is None or level in str(r.get("一级指标", ""))]
        rs = [r for r in rs if l2 is None or l2 in str(r.get("二级指标", ""))]
        if top:  # d01: components "1、2、…" of a parent "一、…" are not counted again
            rs = [r for r in rs if not re.match(r"\d+、", r["三级指标"])]
        return rs

    def N(self, level=None, top=False, l2=None):
        return Decimal(len(self.sel(level, top, l2)))

    def WS(self, level=None, top=False, l2=None):
        return sum((num_of(r["分值"]) for r in self.sel(level, top, l2) if r.get("分值") is not None), Decimal(0))

    def SS(self, level=None, top=False, l2=None):
        return sum((num_of(r["得分"]) for r in self.sel(level, top, l2) if r.get("得分") is not None), Decimal(0))

    def NS(self, level=None, top=False, l2=None):
        """number of rows that carry a 得分"""
        return Decimal(sum(1 for r in self.sel(level, top, l2) if r.get("得分") is not None))

    def MET(self, level=None, top=False, l2=None, value=True):
        return Decimal(sum(1 for r in self.sel(level, top, l2) if self.met.get(r["三级指标"]) is value))

    def UNMET(self, level=None, top=False, l2=None):
        return self.MET(level, top, l2, value=False)

    def children(self, parent):
        i = self.rows.index(self.row(parent))
        out = []
        for r in self.rows[i + 1:]:
            if not re.match(r"\d+、", r["三级指标"]):
                break
            out.append(r)
        return out

    def ns(self):
        B = D(self.d["预算安排"]) if self.d.get("预算安排") is not None else None
        X = D(self.d["实际支出"]) if self.d.get("实际支出") is not None else None
        total = D(self.d["自评得分"]) if self.d.get("自评得分") is not None else None
        return {
            "B": B, "X": X, "Y": self.d.get("年度"), "TOTAL": total, "SR": str(self.d.get("预算执行率")),
            "UNIT": self.d.get("金额单位"), "NAME": str(self.d.get("项目名称")),
            "met": lambda k: self.met.get(self.row(k)["三级指标"]), "D": D, "Decimal": Decimal,
            "T": self.T, "A": self.A, "W": self.W, "S": self.S, "Ts": self.Ts, "As": self.As,
            "N": self.N, "WS": self.WS, "SS": self.SS, "NS": self.NS, "MET": self.MET, "UNMET": self.UNMET,
            "children": self.children, "rows": self.sel, "row": self.row,
            "q": lambda v, unit="": (D(v), unit), "pct": lambda a, b: D(a) / D(b) * 100,
            "grade": grade, "cnt": lambda xs: Decimal(len(xs)), "has": lambda cell, s: s in str(cell),
            "text": lambda s: s,
        }

    def numbers(self) -> set[Decimal]:
        """every number written anywhere in the file's values (not its comments)"""
        out: set[Decimal] = set()

        def walk(v):
            if isinstance(v, dict):
                for x in v.values():
                    walk(x)
            elif isinstance(v, list):
                for x in v:
                    walk(x)
            elif v is not None:
                for m in NUM.finditer(str(v)):
                    out.add(Decimal(m.group()))
        walk(self.d)
        return out


def grade(total) -> str:
    t = D(total)
    return "优" if t >= 90 else "良" if t >= 80 else "中" if t >= 60 else "差"


# ----------------------------------------------------------------------------------------------------------
# Parsing a printed figure and comparing it with a derivation


def parse_figure(fig: str):
    """(hedge_prefix, number, decimals, unit, hedge_suffix) or None when the figure has no number."""
    s = fig.strip("“”\"'")
    pre = next((h for h in HEDGE_PRE if s.startswith(h)), "")
    s = s[len(pre):]
    suf = next((h for h in HEDGE_SUF if s.endswith(h)), "")
    if suf:
        s = s[: -len(suf)]
    m = re.match(r"\d+(?:\.\d+)?", s)
    if m:
        txt = m.group()
        dec = len(txt.split(".")[1]) if "." in txt else 0
        return pre, Decimal(txt), dec, s[m.end():], suf
    m = re.match(r"[一二两三四五六七八九十]+", s)
    if m and cn_int(m.group()) is not None:
        return pre, Decimal(cn_int(m.group())), 0, s[m.end():], suf
    return None


def round_to(v: Decimal, dec: int) -> Decimal:
    return v.quantize(Decimal(1).scaleb(-dec), rounding=ROUND_HALF_UP)


DERIVED = re.compile(r"[-+*/]|pct\(|WS\(|SS\(|N\(|NS\(|MET\(|UNMET\(|cnt\(|grade\(")


def judge(fig: str, expr: str, env: Env) -> tuple[bool, str]:
    """Does the printed figure agree with the value of the expression?"""
    try:
        g = {"__builtins__": {"len": len, "sum": sum, "abs": abs, "min": min, "max": max, "str": str}, **env.ns(),
             "FIG": fig}
        val = eval(expr, g)
    except Exception as exc:  # noqa: BLE001
        return False, f"expression error: {exc!r}"
    if val is True:
        return True, "predicate holds"
    if val is False or val is None:
        return False, "predicate fails"
    if isinstance(val, str):
        ok = fig.strip("“”\"'") == val
        return ok, f"string {val!r}"
    v, unit = val
    p = parse_figure(fig)
    if p is None:
        return False, f"no number in {fig!r}"
    pre, n, dec, u, suf = p
    if u != unit:
        return False, f"unit {u!r} printed, {unit!r} derived (value {v})"
    hedge = pre or suf
    derived = bool(DERIVED.search(expr))
    if not hedge:
        if v == n:
            return True, f"= {v}"
        if not derived:
            return False, f"cell value {v} printed as {n} (rounding a cell needs a hedge)"
        if unit in ("%", "个百分点", "倍") and dec not in (0, 2):
            return False, f"derived {unit} printed with {dec} decimals ({v})"
        return round_to(v, dec) == n, f"{v} -> {round_to(v, dec)} at {dec} decimals"
    if pre in ("约",) or suf == "左右":
        return round_to(v, dec) == n, f"约: {v} -> {round_to(v, dec)}"
    if pre in ("近", "将近", "接近", "不足"):
        return n * Decimal("0.9") <= v < n, f"近: {v} just below {n}"
    if pre in ("超过", "逾") or suf in ("以上", "余"):
        return n < v <= n * Decimal("1.5") or (suf == "以上" and n < v), f"超过: {v} above {n}"
    return False, f"unknown hedge {hedge!r}"


# ----------------------------------------------------------------------------------------------------------
# Coverage: every number of a text must be a listed figure

LIST_MARK = re.compile(r"^(?:\s*[-*]\s*)?\d+[.、]\s", re.M)
CN_COUNT = re.compile(r"[一二两三四五六七八九十]+(?=项|个|类|条|场|组|件|架|户|人|倍|分|行)")
CN_EXEMPT = ("一是", "二是", "三是", "四是", "一级", "二级", "三级", "统一", "唯一", "进一步", "一致", "一并", "同一",
             "逐一", "一些", "一定", "一步", "第一", "一季", "十分")


def uncovered(text: str, spans: list[tuple[int, int]]) -> list[str]:
    bad = []
    exempt = [(m.start(), m.end()) for m in LIST_MARK.finditer(text)]

    def inside(a, b, pool):
        return any(s <= a and b <= e for s, e in pool)

    for m in re.finditer(r"\d+(?:\.\d+)?", text):
        if not inside(m.start(), m.end(), spans) and not inside(m.start(), m.end(), exempt):
            bad.append(f"{m.group()!r} at {m.start()}: {text[max(0, m.start() - 12):m.end() + 8]!r}")
    for m in CN_COUNT.finditer(text):
        ctx = text[m.start():m.start() + 2]
        if any(text.startswith(x, m.start()) for x in CN_EXEMPT) or ctx in CN_EXEMPT:
            continue
        if not inside(m.start(), m.end(), spans):
            bad.append(f"Chinese count {m.group()!r} at {m.start()}: {text[max(0, m.start() - 12):m.end() + 8]!r}")
    return bad


def changed_span(was: str, now: str, pos: int) -> tuple[int, int, int, int]:
    """(a, b) of the replaced part in the clean text and (c, d) in the corrupted text."""
    pre = 0
    while pre < min(len(was), len(now)) and was[pre] == now[pre]:
        pre += 1
    suf = 0
    while suf < min(len(was), len(now)) - pre and was[-1 - suf] == now[-1 - suf]:
        suf += 1
    return pos + pre, pos + len(was) - suf, pos + pre, pos + len(now) - suf


# ----------------------------------------------------------------------------------------------------------


def main(argv: list[str], folder: Path = HERE) -> int:
    """Check the cases of `folder` (this set by default; another set in this format reuses the script)."""
    verbose = "-v" in argv
    spec = yaml.safe_load((folder / "cases.yaml").read_text(encoding="utf-8"))
    cases = spec["cases"]
    envs: dict[str, Env] = {}
    clean: dict[str, dict] = {}
    errors: list[str] = []
    nfig = 0
    for c in cases:
        env = envs.setdefault(c["data"], Env(folder / c["data"]))
        text = (folder / c["text"]).read_text(encoding="utf-8")
        if c["kind"] != "clean":
            continue
        clean[c["text"]] = c
        n = len(text.rstrip("\n"))
        if not 150 <= n <= 600:
            errors.append(f"{c['text']}: length {n} outside 150–600")
        spans = []
        for f in c["figures"]:
            nfig += 1
            fig, at = f["figure"], f["at"]
            if text[at:at + len(fig)] != fig:
                errors.append(f"{c['text']}: {fig!r} not at {at} (found {text[at:at + len(fig)]!r})")
                continue
            spans.append((at, at + len(fig)))
            ok, why = judge(fig, f["check"], env)
            if not ok:
                errors.append(f"{c['text']}: {fig!r} at {at} FAILS {f['check']!r}: {why}")
            elif verbose:
                print(f"  ok {c['text']} {fig!r}: {why}")
        for a in c.get("approx") or []:
            if not any(f["figure"] == a for f in c["figures"]):
                errors.append(f"{c['text']}: approx {a!r} is not a listed figure")
        for f in c["figures"]:
            p = parse_figure(f["figure"])
            if p and (p[0] or p[4]) and f["figure"] not in (c.get("approx") or []):
                errors.append(f"{c['text']}: hedged figure {f['figure']!r} missing from approx")
        for b in uncovered(text, spans):
            errors.append(f"{c['text']}: number not listed as a figure: {b}")
    ncor = 0
    for c in cases:
        if c["kind"] == "clean":
            continue
        ncor += 1
        env = envs[c["data"]]
        base = clean.get(c["clean"])
        if base is None:
            errors.append(f"{c['text']}: clean text {c['clean']} has no clean case")
            continue
        ctext = (folder / c["clean"]).read_text(encoding="utf-8")
        text = (folder / c["text"]).read_text(encoding="utf-8")
        was, now = c["was"], c["now"]
        if ctext.count(was) != 1:
            errors.append(f"{c['text']}: `was` {was!r} occurs {ctext.count(was)} times in the clean text")
            continue
        pos = ctext.find(was)
        if ctext[:pos] + now + ctext[pos + len(was):] != text:
            errors.append(f"{c['text']}: text is not the clean text with was→now")
            continue
        fig, at = c["figure"], c["at"]
        if text[at:at + len(fig)] != fig:
            errors.append(f"{c['text']}: corrupted figure {fig!r} not at {at}")
            continue
        a, b, cc, dd = changed_span(was, now, pos)
        if not (at < dd and cc < at + len(fig)):
            errors.append(f"{c['text']}: figure {fig!r} at {at} does not overlap the change [{cc},{dd})")
        if c["kind"] == "invented":
            if a < b:
                errors.append(f"{c['text']}: an invented figure should be inserted, not replace clean text")
            p = parse_figure(fig)
            if p is None:
                errors.append(f"{c['text']}: invented figure {fig!r} has no number")
            elif p[1] in env.numbers():
                errors.append(f"{c['text']}: invented number {p[1]} occurs in the data")
            continue
        if a >= b:  # a pure insertion (元 → 万元) must fall strictly inside a clean figure
            hit = [f for f in base["figures"] if f["at"] < a < f["at"] + len(f["figure"])]
        else:
            hit = [f for f in base["figures"] if f["at"] < b and a < f["at"] + len(f["figure"])]
        if not hit:
            errors.append(f"{c['text']}: the change [{a},{b}) touches no clean figure")
            continue
        for f in hit:
            ok, why = judge(fig, f["check"], env)
            if ok:
                errors.append(f"{c['text']}: corrupted {fig!r} still passes the clean check {f['check']!r} ({why})")
            elif verbose:
                print(f"  false {c['text']} {fig!r} vs {f['check']}: {why}")
    kinds: dict[str, int] = {}
    for c in cases:
        kinds[c["kind"]] = kinds.get(c["kind"], 0) + 1
    for e in errors:
        print("FAIL", e)
    print(f"check_truth: {len(clean)} clean texts, {nfig} figures, {ncor} corrupted cases, "
          f"kinds {dict(sorted(kinds.items()))}: {'ok' if not errors else f'{len(errors)} errors'}")
    return 0 if not errors else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
