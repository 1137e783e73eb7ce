"""Seed 000 beside the template draft of its example, section by section.

    python -m eval.drafting.compare [--index DIR | --no-index]

Writes `eval/drafting/seed000_comparison.md`: an HTML table per section (seed text left, draft
right) so a reader can see what the draft keeps, what it corrects and what it adds.
"""
from __future__ import annotations

import argparse
import html
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "corpus" / "reports" / "2023_港澳办_部门整体支出绩效自评报告.txt"
EXAMPLE = ROOT / "examples" / "2023_港澳办_部门整体.yaml"
OUT = Path(__file__).resolve().parent / "seed000_comparison.md"
# Where each drafted section starts in seed 000 (and the next one ends it).
SEED_STARTS = [("background", "一、部门基本情况"), ("conclusion", "（一）自评结论"),
               ("indicators", "（二）履职效能分析"), ("problems", "三、存在的主要问题"),
               ("measures", "四、下一步改进措施")]


def seed_text() -> str:
    """Seed 000 as running text: page footers dropped, hard line breaks joined, one paragraph a line."""
    text = SEED.read_text(encoding="utf-8")
    text = re.sub(r"—\s*\d+\s*—", "", text)
    text = re.sub(r"\s+", "", text)
    text = re.sub(r"(?=[一二三四五六七八九十]、)|(?=（[一二三四五六七八九十]）)|(?=（\d）)|(?<=[。；])(?=\d\.)", "\n", text)
    text = re.sub(r"(（[一二三四五六七八九十]）[^。（）\n]{2,16}。)", r"\1\n", text)   # run-in headings
    for heading in ("一、部门基本情况", "二、绩效自评情况", "三、存在的主要问题", "四、下一步改进措施"):
        text = text.replace(heading, heading + "\n")
    return re.sub(r"\n+", "\n", text.replace("附件2", "")).strip()


def seed_sections() -> dict[str, str]:
    text = seed_text()
    positions = [(key, text.index(marker)) for key, marker in SEED_STARTS]
    sections = {}
    for k, (key, start) in enumerate(positions):
        end = positions[k + 1][1] if k + 1 < len(positions) else len(text)
        body = text[start:end].strip()
        if key == "conclusion":
            body = body.replace("二、绩效自评情况", "").strip()
        sections[key] = body
    sections["background"] = sections["background"].split("二、绩效自评情况")[0].strip()
    return sections


def _cell(text: str) -> str:
    return "<br>".join(html.escape(line) for line in text.splitlines() if line.strip())


def write_comparison(index=None, path: Path = OUT) -> Path:
    from assistant.actuals import load
    from assistant.drafting import draft_report

    draft = draft_report(load(EXAMPLE), index=index)
    seed = seed_sections()
    figures = sum(len(s.check.figures) for s in draft.sections)
    problems = sum(len(s.check.problems()) for s in draft.sections)
    lines = [
        "# 种子000与模板草稿对照",
        "",
        "左栏：种子文件000（2023年度港澳办部门整体支出绩效自评报告）原文；右栏：`jixiao draft "
        f"examples/{EXAMPLE.name}` 的模板草稿（{'检索往年报告和政策' if index is not None else '未检索'}）。",
        f"草稿共印出数字{figures}个，经核对未核实{problems}个。由 `python -m eval.drafting.compare` 生成。",
        "",
        "读者可留意：",
        "- 履职效能分析：草稿沿用原文“对应产出指标为“…≥12场”，实际完成16场，完成率133%”的句式；原文把"
        "2014人次÷1500人次印作100%，草稿按公式印出134%，两项百分比指标（满意度、咨询任务完成率）亦按实际÷目标计算。",
        "- 存在的主要问题：原文称“未发现…问题”；草稿从数据得出问题：填报完成率100%与计算值134%不符、多项指标完成率远超目标（目标设置偏低）。",
        "- 下一步改进措施：每条措施对应一个问题；有检索索引时引用政策条款并标注编号。",
        "- 草稿不编造数据中没有的事实：绩效管理做法、管理效率等以“（待补充：…）”提示经办人填写。",
        "",
    ]
    for section in draft.sections:
        lines += [f"## {section.title}", "", "<table>",
                  "<tr><th width=\"50%\">种子000原文</th><th width=\"50%\">模板草稿</th></tr>",
                  f"<tr><td valign=\"top\">{_cell(seed.get(section.key, ''))}</td>"
                  f"<td valign=\"top\">{_cell(section.text)}</td></tr>",
                  "</table>", ""]
    if draft.citations:
        lines += ["## 草稿引用来源", ""]
        lines += [f"[{c['n']}] 《{c['title']}》{c['section']}：“{c['quote']}”" for c in draft.citations]
        lines.append("")
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", help="index directory (default ./index when built)")
    parser.add_argument("--no-index", action="store_true")
    args = parser.parse_args(argv)
    from .bench import open_index
    print(write_comparison(open_index(args)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
