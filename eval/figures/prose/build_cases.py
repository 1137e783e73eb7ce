#!/usr/bin/env python3
"""Build texts/ and cases.yaml from the authoring files spec/dNN.yaml.

    python3 build_cases.py

spec/dNN.yaml is a list of clean texts about data/dNN.yaml, each with
  n, style, text, approx (hedged figures), notes, figures: [[figure, check, derivation, (context)] …] in text order,
  corrupt: [[kind, was, now, figure] …].
Offsets are computed here (Python str indices of the UTF-8 text); check_truth.py verifies them and the figures.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
KINDS = ["rounding", "wrong_pair", "swap", "gap", "invented", "magnitude", "wrong_indicator", "count_sum",
         "pct_point", "year", "score_grade"]


def locate(text: str, fig: str, start: int, ctx: str | None) -> int:
    if ctx:
        k = text.find(ctx, start)
        if k < 0:
            raise ValueError(f"context {ctx!r} not found after {start}")
        j = ctx.find(fig)
        if j < 0:
            raise ValueError(f"figure {fig!r} not inside context {ctx!r}")
        return k + j
    k = text.find(fig, start)
    while k >= 0:
        before = text[k - 1] if k > 0 else ""
        after = text[k + len(fig)] if k + len(fig) < len(text) else ""
        ok = True
        if fig[0].isdigit() and (before.isdigit() or before == "."):
            ok = False
        if fig[-1].isdigit() and (after.isdigit() or after == "."):
            ok = False
        if ok:
            return k
        k = text.find(fig, k + 1)
    raise ValueError(f"figure {fig!r} not found after {start}: …{text[start:start + 40]!r}")


def main(folder: Path = HERE, set_name: str = "realdata", inputs: str = "realdata inputs") -> int:
    """Build the cases of `folder` (this set by default; another set in this format reuses the script)."""
    (folder / "texts").mkdir(exist_ok=True)
    for old in (folder / "texts").glob("*.md"):
        old.unlink()
    cases = []
    for sp in sorted((folder / "spec").glob("d*.yaml")):
        stem = sp.stem
        data = f"data/{stem}.yaml"
        for t in yaml.safe_load(sp.read_text(encoding="utf-8")):
            text = t["text"].rstrip("\n") + "\n"
            name = f"texts/{stem}__{t['n']}.md"
            (folder / name).write_text(text, encoding="utf-8")
            figs, cur = [], 0
            for item in t["figures"]:
                fig, check, deriv = item[0], item[1], item[2]
                ctx = item[3] if len(item) > 3 else None
                fig = str(fig)
                at = locate(text, fig, cur, ctx)
                figs.append({"figure": fig, "at": at, "derivation": deriv, "check": check})
                cur = at + len(fig)
            case = {"data": data, "text": name, "kind": "clean", "style": t["style"], "approx": t.get("approx") or []}
            if t.get("notes"):
                case["notes"] = t["notes"]
            case["figures"] = figs
            cases.append(case)
            seen: dict[str, int] = {}
            for kind, was, now, fig in t.get("corrupt") or []:
                assert kind in KINDS, kind
                if text.count(was) != 1:
                    raise ValueError(f"{name}: was {was!r} occurs {text.count(was)} times")
                seen[kind] = seen.get(kind, 0) + 1
                cname = f"texts/{stem}__{t['n']}__{kind}" + (f"-{seen[kind]}" if seen[kind] > 1 else "") + ".md"
                pos = text.find(was)
                ctext = text[:pos] + now + text[pos + len(was):]
                (folder / cname).write_text(ctext, encoding="utf-8")
                # the corrupted figure: the occurrence inside `now` that overlaps the changed part
                pre = 0
                while pre < min(len(was), len(now)) and was[pre] == now[pre]:
                    pre += 1
                suf = 0
                while suf < min(len(was), len(now)) - pre and was[-1 - suf] == now[-1 - suf]:
                    suf += 1
                lo, hi = pre, len(now) - suf
                cands = [m.start() for m in re.finditer(re.escape(str(fig)), now)]
                cands = [k for k in cands if k < max(hi, lo + 1) and lo < k + len(str(fig))]
                if not cands:
                    raise ValueError(f"{cname}: figure {fig!r} not in the changed part of {now!r}")
                cases.append({"data": data, "text": cname, "kind": kind, "figure": str(fig), "at": pos + cands[0],
                              "clean": name, "was": was, "now": now})
    head = (f"# Prose cases for the figure checker over {inputs}: clean texts written the way an instruction-tuned\n"
            "# LLM or an officer writes 公文 prose, and copies with exactly one figure corrupted. Paths are relative to this file.\n"
            "# kind: clean, or the error kind (rounding, wrong_pair, swap, gap, invented, magnitude, wrong_indicator,\n"
            "# count_sum, pct_point, year, score_grade).\n"
            "# clean cases: style; approx (hedged approximations, which a checker may flag); notes; figures: every figure of\n"
            "# the text as printed, its character offset `at`, its derivation from the data, and `check`, the expression\n"
            "# check_truth.py evaluates against the data file (see that script for the helpers).\n"
            "# corrupted cases: figure (as it reads after corruption), at (its offset in the corrupted text), clean, was, now.\n")
    body = yaml.dump({"set": set_name, "cases": cases}, allow_unicode=True, sort_keys=False, width=10000)
    (folder / "cases.yaml").write_text(head + body, encoding="utf-8")
    print(f"{sum(c['kind'] == 'clean' for c in cases)} clean, {sum(c['kind'] != 'clean' for c in cases)} corrupted")
    return 0


if __name__ == "__main__":
    sys.exit(main())
