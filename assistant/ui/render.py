"""HTML for the UI: checked text with its figures highlighted, the score table, findings, citations.

A verified figure is `<span class="fig-ok" title="来源：…">16场</span>` (its source on hover); an
unverified or misattributed one is shown as `figures.mark` prints it, in
`<span class="fig-bad" title="原因">【待核实：…】</span>`. Everything else is escaped text.
"""
from __future__ import annotations

import html
import re

from .. import printing
from ..figures import CheckResult, mark

MARK_RE = re.compile(r"【待核实[：:][^】]*】")
PROBLEM = ("unverified", "misattributed")


def _text(text: str) -> str:
    """Escaped text; 【待核实…】 marks written by someone else's check are highlighted too."""
    out, last = [], 0
    for match in MARK_RE.finditer(text):
        out.append(html.escape(text[last:match.start()]))
        out.append(f'<span class="fig-bad">{html.escape(match.group(0))}</span>')
        last = match.end()
    out.append(html.escape(text[last:]))
    return "".join(out)


def marked_figure(figure) -> str:
    """How `figures.mark` prints this one figure."""

    alone = figure.model_copy(update={"start": 0, "end": len(figure.text)})
    return mark(figure.text, CheckResult(ok=False, figures=[alone]))


def checked_html(raw: str, result) -> str:
    """`raw` with the figures of `result` (offsets into `raw`) highlighted; problems shown marked."""
    if result is None:
        return _text(raw)
    out, last = [], 0
    for figure in sorted(result.figures, key=lambda f: f.start):
        if figure.start < last or figure.end > len(raw):
            continue
        out.append(_text(raw[last:figure.start]))
        shown = raw[figure.start:figure.end]
        if figure.status == "verified":
            source = figure.source or ""
            out.append(f'<span class="fig-ok" title="{html.escape("来源：" + source)}">{html.escape(shown)}</span>')
        elif figure.status in PROBLEM:
            reason = figure.reason or "无法核实"
            out.append(f'<span class="fig-bad" title="{html.escape(reason)}">{html.escape(marked_figure(figure))}</span>')
        else:
            out.append(html.escape(shown))
        last = figure.end
    out.append(_text(raw[last:]))
    return "".join(out)


def answer_html(answer) -> str:
    """A chat answer: each checked segment highlighted, then its citations."""
    parts = []
    for segment in answer.segments:
        if segment.check is not None:
            parts.append(checked_html(segment.raw, segment.check))
        else:
            parts.append(_text(segment.shown))
    body = "".join(parts).strip().replace("\n", "<br>")
    return f'<div class="answer answer-done">{body}</div>' + citations_html(answer.citations)


def citations_html(citations: list[dict], heading: str = "参考资料") -> str:
    if not citations:
        return ""
    items = []
    for c in citations:
        title = html.escape(c.get("title") or c.get("doc") or "")
        section = html.escape(c.get("section") or "")
        quote = html.escape(c.get("quote") or "")
        doc = html.escape(c.get("doc") or "")
        items.append(f'<li class="cite" title="{quote}">[{c.get("n")}] 《{title}》{section}'
                     f'<span class="cite-doc">（{doc}）</span></li>')
    return f'<div class="citations"><b>{html.escape(heading)}</b><ul>' + "".join(items) + "</ul></div>"


def streaming_html(text: str) -> str:
    return f'<div class="answer">{_text(text).strip().replace(chr(10), "<br>")}</div>'


# --- the data tab ---------------------------------------------------------------------------------

def summary_html(card, source: str) -> str:
    ev, b = card.evaluation, card.budget
    subject = html.escape(ev.title)
    unmet = len(card.underperforming)
    met = card.met_count
    budget = ""
    if b.execution_rate is not None:
        budget = (f'<div class="kpi"><div class="kpi-v">{printing.rate(b.execution_rate, printing.EXECUTION_DECIMALS)}</div>'
                  f'<div class="kpi-l">预算执行率（{printing.money(b.spent, b.unit)} ÷ '
                  f'{printing.money(ev.budget.effective_budget, b.unit)}）</div></div>')
    return (
        f'<div class="summary"><div class="summary-title">{subject} {ev.year_label()} · {html.escape(ev.report_type)}'
        f'<span class="source">数据：{html.escape(source)}</span></div>'
        f'<div class="kpis"><div class="kpi"><div class="kpi-v" id="total-score">{printing.points(card.total)}</div>'
        f'<div class="kpi-l">自评总分（满分{printing.points(card.total_points)}）</div></div>'
        f'<div class="kpi"><div class="kpi-v grade grade-{html.escape(card.grade)}" id="grade">{html.escape(card.grade)}</div>'
        f'<div class="kpi-l">评价等级</div></div>'
        f'<div class="kpi"><div class="kpi-v">{met} / {len(card.indicators)}</div><div class="kpi-l">已完成指标</div></div>'
        f'<div class="kpi"><div class="kpi-v {"bad" if unmet else ""}">{unmet}</div><div class="kpi-l">未完成指标</div></div>'
        f'{budget}</div></div>'
    )


def table_html(card) -> str:
    rows = []
    for k, s in enumerate(card.indicators, 1):
        status = "待确认" if s.pending else {True: "是", False: "否", None: "无法判断"}[s.met]
        cls = "pending" if s.pending else {True: "met", False: "under", None: "unknown"}[s.met]
        completion = printing.rate(s.completion) if s.completion is not None else "—"
        score = printing.points(s.score) if s.score is not None else "—"
        title = html.escape(s.formula or s.basis or "")
        reason = html.escape(s.reason or "")
        rows.append(
            f'<tr class="{cls}"><td>{k}</td><td>{html.escape(s.level1)}</td><td class="name">{html.escape(s.name)}</td>'
            f'<td>{html.escape(s.target)}</td><td>{html.escape(s.actual or "—")}</td>'
            f'<td title="{title}">{completion}</td><td>{printing.points(s.weight)}</td><td>{score}</td>'
            f'<td class="met-cell">{status}</td><td class="reason">{reason}</td></tr>')
    head = ("<tr><th>序号</th><th>一级指标</th><th>三级指标</th><th>年度指标值</th><th>实际完成值</th>"
            "<th>完成率</th><th>分值</th><th>得分</th><th>完成</th><th>偏差原因</th></tr>")
    return f'<table class="score-table" id="score-table"><thead>{head}</thead><tbody>{"".join(rows)}</tbody></table>'


def findings_html(card) -> str:
    ev = card.evaluation
    if not card.findings and not ev.warnings and not card.review:
        return '<div class="findings ok">核对完毕：数据填报的数字与计算结果一致，未发现问题。</div>'
    items = "".join(f'<li class="finding finding-{html.escape(f.kind)}">{html.escape(f.message)}</li>'
                    for f in card.findings)
    review = "".join(f'<li class="review review-{html.escape(item.kind)}">{html.escape(item.describe())}</li>'
                     for item in card.review)
    warnings = "".join(f'<li class="warning">{html.escape(w)}</li>' for w in ev.warnings)
    parts = ['<div class="findings">']
    if review:
        note = f"（{card.pending_note()}）" if card.review_count else ""
        parts.append(f"<b>待确认{html.escape(note)}</b><ol>{review}</ol>")
    if items:
        parts.append(f"<b>核对发现</b><ol>{items}</ol>")
    if warnings:
        parts.append(f"<b>数据提示</b><ul>{warnings}</ul>")
    parts.append("</div>")
    return "".join(parts)


def error_html(message: str) -> str:
    lines = "<br>".join(html.escape(line) for line in str(message).splitlines())
    return f'<div class="data-error" role="alert"><b>无法载入数据</b><br>{lines}</div>'


def notice_html(message: str) -> str:
    return f'<div class="notice">{html.escape(message)}</div>'


CSS = """
.fig-ok { border-bottom: 2px dotted #2e7d32; background: #e8f5e9; cursor: help; }
.fig-bad { background: #ffebee; color: #b71c1c; border-bottom: 2px solid #c62828; cursor: help; }
.answer { line-height: 1.8; }
.citations { margin-top: .6em; font-size: .92em; color: #37474f; }
.citations ul { margin: .2em 0 0 .4em; padding: 0; list-style: none; }
.cite-doc { color: #78909c; font-size: .9em; }
.summary-title { font-size: 1.15em; font-weight: 600; margin-bottom: .5em; }
.summary .source { font-weight: normal; color: #78909c; font-size: .85em; margin-left: 1em; }
.kpis { display: flex; gap: 1em; flex-wrap: wrap; }
.kpi { border: 1px solid #e0e0e0; border-radius: 8px; padding: .5em 1em; min-width: 8em; }
.kpi-v { font-size: 1.6em; font-weight: 700; }
.kpi-v.bad { color: #c62828; }
.kpi-l { color: #607d8b; font-size: .85em; }
.score-table { border-collapse: collapse; width: 100%; font-size: .92em; }
.score-table th, .score-table td { border: 1px solid #e0e0e0; padding: 4px 6px; text-align: left; vertical-align: top; }
.score-table th { background: #f5f5f5; }
.score-table tr.under td { background: #ffebee; }
.score-table tr.under td.met-cell { color: #c62828; font-weight: 700; }
.score-table tr.unknown td { background: #fff8e1; }
.score-table td.name { max-width: 26em; }
.findings li { margin: .2em 0; }
.findings.ok { color: #2e7d32; }
.data-error { background: #ffebee; color: #b71c1c; border: 1px solid #ef9a9a; border-radius: 6px; padding: .6em 1em; }
.notice { color: #37474f; }
.draft-view { line-height: 1.9; font-size: 1.02em; }
.draft-view h2 { text-align: center; font-size: 1.3em; }
.draft-view h3 { font-size: 1.1em; margin: .8em 0 .3em; }
.draft-view p { text-indent: 2em; margin: .3em 0; }
.problems-list { color: #b71c1c; }
footer { display: none !important; }
"""
