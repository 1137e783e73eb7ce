"""HTML for the UI: checked text with its figures highlighted, the data tab's views (summary, table,
completion chart, findings, cells to review), citations, the draft's sections.

A verified figure is `<span class="fig-ok" title="来源：…">16场</span>` (its source on hover); an
unverified or misattributed one is shown as `figures.mark` prints it, in
`<span class="fig-bad" title="原因">【待核实：…】</span>`. Everything else is text: `text_html`
escapes HTML and every character Markdown or LaTeX would read (the chat renders Markdown), so
nothing an officer or a model writes becomes markup, an image or a link.
"""
from __future__ import annotations

import html
import re
import time

from .. import printing
from ..drafting.outline import heading_level
from ..figures import CheckResult, mark

MARK_RE = re.compile(r"【待核实[：:][^】]*】")
PROBLEM = ("unverified", "misattributed")

# HTML's five, and Markdown's, GFM autolinks' and LaTeX's syntax characters, as character references
_TEXT = str.maketrans({**{c: f"&#{ord(c)};" for c in "\\`*_[]()!#|~$:@{}<>\"'&+=-"}})


def text_html(text: str) -> str:
    """`text` as text in any HTML or Markdown context: no tag, entity or Markdown syntax survives."""
    return (text or "").translate(_TEXT)


def _text(text: str) -> str:
    """Escaped text; 【待核实…】 marks written by someone else's check are highlighted too."""
    out, last = [], 0
    for match in MARK_RE.finditer(text):
        out.append(text_html(text[last:match.start()]))
        out.append(f'<span class="fig-bad">{text_html(match.group(0))}</span>')
        last = match.end()
    out.append(text_html(text[last:]))
    return "".join(out)


def lines_html(text: str) -> str:
    return _text(text).strip().replace("\n", "<br>")


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
            out.append(f'<span class="fig-ok" title="{html.escape("来源：" + source)}">{text_html(shown)}</span>')
        elif figure.status in PROBLEM:
            reason = figure.reason or "无法核实"
            out.append(f'<span class="fig-bad" title="{html.escape(reason)}">{text_html(marked_figure(figure))}</span>')
        else:
            out.append(text_html(shown))
        last = figure.end
    out.append(_text(raw[last:]))
    return "".join(out)


# --- the chat -------------------------------------------------------------------------------------

def user_html(question: str) -> str:
    """An officer's question as shown in the chat: text only."""
    return f'<div class="question">{lines_html(question)}</div>'


def answer_html(answer, passages: dict[str, str] | None = None) -> str:
    """A chat answer: each checked segment highlighted, then its citations (each opens its passage)."""
    parts = []
    for segment in answer.segments:
        if segment.check is not None:
            parts.append(checked_html(segment.raw, segment.check))
        else:
            parts.append(_text(segment.shown))
    body = "".join(parts).strip().replace("\n", "<br>")
    return f'<div class="answer answer-done">{body}{citations_html(answer.citations)}</div>'


def stopped_html(shown: str) -> str:
    return (f'<div class="answer answer-done answer-stopped">{lines_html(shown)}'
            '<div class="stopped-note">（已停止）</div></div>')


def separator_html(text: str) -> str:
    return f'<div class="data-separator" role="separator">{text_html(text)}</div>'


def citations_html(citations: list[dict], heading: str = "参考资料（点击查看原文）") -> str:
    if not citations:
        return ""
    items = []
    for c in citations:
        title = text_html(c.get("title") or c.get("doc") or "")
        section = text_html(c.get("section") or "")
        doc = text_html(c.get("doc") or "")
        article = c.get("article") or ""
        passage = c.get("text") or c.get("passage") or c.get("quote") or ""
        items.append(f'<details class="cite"><summary>[{text_html(str(c.get("n", "")))}] 《{title}》{section}'
                     f'{("（" + text_html(article) + "）") if article and article not in section else ""}'
                     f'<span class="cite-doc">（{doc}）</span></summary>'
                     f'<div class="cite-passage">{lines_html(passage)}</div></details>')
    return f'<div class="citations"><b>{text_html(heading)}</b>' + "".join(items) + "</div>"


def streaming_html(text: str) -> str:
    return f'<div class="answer">{lines_html(text)}</div>'


# --- the data tab ---------------------------------------------------------------------------------

def _kpi(value: str, label: str, value_id: str = "", cls: str = "") -> str:
    ident = f' id="{value_id}"' if value_id else ""
    return (f'<div class="kpi"><div class="kpi-v {cls}"{ident}>{value}</div>'
            f'<div class="kpi-l">{label}</div></div>')


def summary_html(card, source: str) -> str:
    ev, b = card.evaluation, card.budget
    kind = " · 目标申报表" if ev.targets_only else ""
    head = (f'<div class="summary-title">{html.escape(ev.title)} {ev.year_label()} · {html.escape(ev.report_type)}{kind}'
            f'<span class="source">数据：{html.escape(source)}</span></div>')
    budget = ""
    if b.execution_rate is not None:
        budget = _kpi(printing.rate(b.execution_rate, printing.EXECUTION_DECIMALS),
                      f"预算执行率（{printing.money(b.spent, b.unit)} ÷ {printing.money(ev.budget.effective_budget, b.unit)}）")
    elif ev.budget.effective_budget is not None:
        budget = _kpi(printing.money(ev.budget.effective_budget, b.unit), "预算安排（实际支出未填写）")
    if ev.targets_only:
        kpis = (_kpi(f"{len(card.indicators)}项", "绩效指标（只有年度指标值）", "indicator-count")
                + _kpi("待填报", "实际完成值", "actuals-pending", "pending") + budget)
        note = ('<div class="notice targets-only">这是目标申报表：各项指标尚待填报实际完成值，'
                '暂不计算完成率、得分和评价等级。</div>')
        return f'<div class="summary">{head}<div class="kpis">{kpis}</div>{note}</div>'
    unmet = len(card.underperforming)
    kpis = (_kpi(printing.points(card.total), f"自评总分（满分{printing.points(card.total_points)}）", "total-score")
            + _kpi(html.escape(card.grade), "评价等级", "grade", f"grade grade-{html.escape(card.grade)}")
            + _kpi(f"{card.met_count} / {len(card.indicators)}", "已完成指标")
            + _kpi(str(unmet), "未完成指标", "unmet-count", "bad" if unmet else "")
            + budget)
    return f'<div class="summary">{head}<div class="kpis">{kpis}</div></div>'


def _cell(indicator, field: str, text: str) -> str:
    """A table cell's text; a value the officer corrected says so (and what it was) on hover."""
    where = indicator.sources.get(field)
    if where is not None and where.corrected_by:
        return (f'<span class="edited" title="{html.escape(where.correction)}">{html.escape(text)}</span>'
                '<span class="edit-badge">已更正</span>')
    return html.escape(text)


def table_html(card) -> str:
    ev = card.evaluation
    if ev.targets_only:
        rows = []
        for k, s in enumerate(card.indicators, 1):
            indicator = ev.indicators[s.index]
            rows.append(f'<tr class="target-only"><td>{k}</td><td>{html.escape(s.level1)}</td>'
                        f'<td>{html.escape(s.level2)}</td><td class="name">{html.escape(s.name)}</td>'
                        f'<td>{_cell(indicator, "target", s.target)}</td><td class="pending">待填报实际完成值</td>'
                        f'<td>{printing.points(s.weight)}</td></tr>')
        head = ("<tr><th>序号</th><th>一级指标</th><th>二级指标</th><th>三级指标</th><th>年度指标值</th>"
                "<th>实际完成值</th><th>分值</th></tr>")
        return f'<table class="score-table" id="score-table"><thead>{head}</thead><tbody>{"".join(rows)}</tbody></table>'
    rows = []
    for k, s in enumerate(card.indicators, 1):
        indicator = ev.indicators[s.index]
        status = "待确认" if s.pending else {True: "是", False: "否", None: "无法判断"}[s.met]
        cls = "pending" if s.pending else {True: "met", False: "under", None: "unknown"}[s.met]
        if s.needs_review:      # what a person must settle, on the row itself (and in full on hover)
            reasons = "；".join(item.reason for item in s.needs_review)
            status = (f'<span class="review-reason" title="{html.escape("；".join(i.describe() for i in s.needs_review))}">'
                      f'{html.escape(status)}：{html.escape(reasons)}</span>')
        else:
            status = html.escape(status)
        completion = printing.rate(s.completion) if s.completion is not None else "—"
        score = printing.points(s.score) if s.score is not None else "—"
        title = html.escape(s.formula or s.basis or "")
        rows.append(
            f'<tr class="{cls}"><td>{k}</td><td>{html.escape(s.level1)}</td><td class="name">{html.escape(s.name)}</td>'
            f'<td>{_cell(indicator, "target", s.target)}</td><td>{_cell(indicator, "actual", s.actual or "—")}</td>'
            f'<td title="{title}">{completion}</td><td>{printing.points(s.weight)}</td><td>{score}</td>'
            f'<td class="met-cell">{status}</td><td class="reason">{_cell(indicator, "reason", s.reason or "")}</td></tr>')
    head = ("<tr><th>序号</th><th>一级指标</th><th>三级指标</th><th>年度指标值</th><th>实际完成值</th>"
            "<th>完成率</th><th>分值</th><th>得分</th><th>完成</th><th>偏差原因</th></tr>")
    return f'<table class="score-table" id="score-table"><thead>{head}</thead><tbody>{"".join(rows)}</tbody></table>'


CHART_COLOURS = {"met": ("#2e7d32", "已完成（达到年度指标值）"), "under": ("#c62828", "未完成")}


def chart_html(card) -> str:
    """Completion rates as a horizontal bar chart (inline SVG, drawn from this card only), a dashed
    line at 100%, a legend with swatches; empty when no indicator has a completion (a 申报表)."""
    bars = [(k, s) for k, s in enumerate(card.indicators, 1) if s.completion is not None]
    if not bars:
        return ""
    label_w, bar_w, row_h, top = 250, 430, 24, 52
    top_rate = max([1.0] + [s.completion for _, s in bars]) * 1.12
    x = lambda rate: label_w + bar_w * min(rate, top_rate) / top_rate
    height = top + row_h * len(bars) + 26
    parts = [f'<svg class="completion-svg" viewBox="0 0 {label_w + bar_w + 70} {height}" role="img" '
             f'aria-label="各指标完成率" xmlns="http://www.w3.org/2000/svg">',
             f'<text x="0" y="16" class="chart-title">各指标完成率</text>']
    legend_x = 0
    for cls, (colour, label) in CHART_COLOURS.items():
        parts.append(f'<rect class="swatch swatch-{cls}" x="{legend_x}" y="28" width="14" height="14" fill="{colour}"/>'
                     f'<text x="{legend_x + 20}" y="40" class="legend">{html.escape(label)}</text>')
        legend_x += 40 + 15 * len(label)
    parts.append(f'<line x1="{legend_x}" y1="35" x2="{legend_x + 24}" y2="35" class="ref-line"/>'
                 f'<text x="{legend_x + 30}" y="40" class="legend">100%（年度指标值）</text>')
    for row, (k, s) in enumerate(bars):
        y = top + row * row_h
        cls = "under" if s.met is False else "met"
        name = s.name if len(s.name) <= 15 else s.name[:14] + "…"
        rate = printing.rate(s.completion)
        tip = html.escape(f"{s.name}：完成率{rate}" + (f"（{s.formula}）" if s.formula else ""))
        end = x(s.completion)
        parts.append(f'<g class="bar-row"><title>{tip}</title>'
                     f'<text x="{label_w - 8}" y="{y + 16}" class="bar-label" text-anchor="end">{k:02d} {html.escape(name)}</text>'
                     f'<rect class="bar bar-{cls}" x="{label_w}" y="{y + 4}" width="{end - label_w:.1f}" height="{row_h - 8}" '
                     f'fill="{CHART_COLOURS[cls][0]}"/>'
                     f'<text x="{end + 6:.1f}" y="{y + 16}" class="bar-value">{rate}</text></g>')
    ref = x(1.0)
    parts.append(f'<line x1="{ref:.1f}" y1="{top}" x2="{ref:.1f}" y2="{top + row_h * len(bars)}" class="ref-line"/>')
    parts.append(f'<text x="{ref:.1f}" y="{top + row_h * len(bars) + 18}" class="axis" text-anchor="middle">100%</text>')
    parts.append("</svg>")
    return f'<div class="completion-chart" id="completion-svg">{"".join(parts)}</div>'


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


def review_html(items, source: str, loaded: bool = False) -> str:
    """The cells to settle, each with its reason, to be corrected below: of an upload that did not
    load, or (`loaded`) of loaded data whose cells await confirmation (not scored until settled)."""
    rows = "".join(f'<tr class="review"><td>{html.escape(item.where())}</td><td class="value">{html.escape(item.value)}</td>'
                   f'<td class="reason">{html.escape(item.reason)}</td></tr>' for item in items)
    lead = (f"“{html.escape(source)}”有{len(items)}个单元格待确认（相关指标暂不计分），请核对更正："
            if loaded else f"“{html.escape(source)}”有{len(items)}个单元格需要更正，改正后即可载入：")
    return (f'<div class="review-box" id="review-box"><b>{lead}</b><table class="score-table review-table"><thead><tr><th>位置</th><th>当前值</th>'
            f'<th>原因</th></tr></thead><tbody>{rows}</tbody></table></div>')


def corrections_html(corrections) -> str:
    if not corrections:
        return ""
    items = "".join(f'<li>{html.escape(c.where())}：“{html.escape(c.original or "")}” → “{html.escape(c.value)}”</li>'
                    for c in corrections)
    return f'<div class="corrections" id="corrections"><b>经办人更正（已保存，随会话保留）</b><ul>{items}</ul></div>'


def error_html(message: str, heading: str = "无法载入数据") -> str:
    lines = "<br>".join(html.escape(line) for line in str(message).splitlines())
    return f'<div class="data-error" role="alert"><b>{html.escape(heading)}</b><br>{lines}</div>'


def notice_html(message: str) -> str:
    return f'<div class="notice">{html.escape(message)}</div>'


# --- the draft ------------------------------------------------------------------------------------

def section_html(text: str, result) -> str:
    """A section's text, figures highlighted; its own `一、` / `（一）` heading lines as headings."""
    parts, offset = [], 0
    for line in text.split("\n"):
        start, offset = offset, offset + len(line) + 1
        if not line.strip():
            continue
        figures = [f.model_copy(update={"start": f.start - start, "end": f.end - start})
                   for f in (result.figures if result is not None else []) if start <= f.start and f.end <= start + len(line)]
        body = checked_html(line, CheckResult(ok=True, figures=figures))
        level = heading_level(line)
        if level in (1, 2):
            parts.append(f'<h{level + 3} class="sub-heading">{body}</h{level + 3}>')
        else:
            parts.append(f"<p>{body}</p>")
    return "".join(parts)


def save_html(saved_at, title: str = "", error: str = "") -> str:
    """The save status line: 已保存 only after the commit."""
    where = f'<span class="work-title">当前工作：{html.escape(title)}</span>' if title else ""
    if error:
        return f'<div class="save-status save-failed" id="save-status">{where}<b>未能保存：</b>{html.escape(error)}</div>'
    if saved_at is None:
        return f'<div class="save-status unsaved" id="save-status">{where}尚无需要保存的内容</div>'
    stamp = time.strftime("%H:%M:%S", time.localtime(saved_at))
    return (f'<div class="save-status saved" id="save-status" data-saved="{saved_at:.6f}">{where}'
            f'<span class="saved-mark">已保存</span> {stamp}</div>')


CSS = """
.fig-ok { border-bottom: 2px dotted #2e7d32; background: #e8f5e9; cursor: help; }
.fig-bad { background: #ffebee; color: #b71c1c; border-bottom: 2px solid #c62828; cursor: help; }
.answer { line-height: 1.8; }
.answer-stopped .stopped-note { color: #78909c; font-size: .9em; }
.data-separator { text-align: center; color: #546e7a; border-top: 1px dashed #90a4ae; padding-top: .3em; font-size: .9em; }
.citations { margin-top: .6em; font-size: .92em; color: #37474f; }
.citations details { margin: .2em 0; }
.citations summary { cursor: pointer; }
.cite-passage { background: #f5f7f8; border-left: 3px solid #90a4ae; padding: .3em .6em; margin: .2em 0 .4em 1em; }
.cite-doc { color: #78909c; font-size: .9em; }
.summary-title { font-size: 1.15em; font-weight: 600; margin-bottom: .5em; }
.summary .source { font-weight: normal; color: #78909c; font-size: .85em; margin-left: 1em; }
.kpis { display: flex; gap: 1em; flex-wrap: wrap; }
.kpi { border: 1px solid #e0e0e0; border-radius: 8px; padding: .5em 1em; min-width: 8em; }
.kpi-v { font-size: 1.6em; font-weight: 700; }
.kpi-v.bad { color: #c62828; }
.kpi-v.pending { color: #ef6c00; }
.kpi-l { color: #607d8b; font-size: .85em; }
.targets-only { margin-top: .5em; color: #ef6c00; }
.score-table { border-collapse: collapse; width: 100%; font-size: .92em; }
.score-table th, .score-table td { border: 1px solid #e0e0e0; padding: 4px 6px; text-align: left; vertical-align: top; }
.score-table th { background: #f5f5f5; }
.score-table tr.under td { background: #ffebee; }
.score-table tr.under td.met-cell { color: #c62828; font-weight: 700; }
.score-table tr.pending { background: #fff8e1; }
.score-table tr.pending td.met-cell, .review-reason { color: #e65100; font-weight: 700; }
.score-table tr.unknown td { background: #fff8e1; }
.score-table td.pending { color: #ef6c00; }
.score-table td.name { max-width: 26em; }
.score-table tr.review td { background: #fff3e0; }
.edited { border-bottom: 2px solid #1565c0; cursor: help; }
.edit-badge { margin-left: .3em; font-size: .75em; color: #fff; background: #1565c0; border-radius: 3px; padding: 0 .3em; }
.review-box { border: 1px solid #ffb74d; border-radius: 6px; padding: .5em .8em; background: #fffaf3; }
.corrections { color: #1565c0; }
.completion-svg { width: 100%; max-width: 860px; font-size: 12px; }
.completion-svg .chart-title { font-size: 14px; font-weight: 600; fill: #263238; }
.completion-svg .legend, .completion-svg .bar-label, .completion-svg .axis { fill: #37474f; }
.completion-svg .bar-value { fill: #263238; font-weight: 600; }
.completion-svg .ref-line { stroke: #455a64; stroke-dasharray: 4 3; stroke-width: 1.2; }
.findings li { margin: .2em 0; }
.findings.ok { color: #2e7d32; }
.data-error { background: #ffebee; color: #b71c1c; border: 1px solid #ef9a9a; border-radius: 6px; padding: .6em 1em; }
.notice { color: #37474f; }
.save-status { font-size: .9em; color: #546e7a; }
.save-status .work-title { margin-right: 1em; color: #263238; }
.save-status .saved-mark { color: #2e7d32; font-weight: 600; }
.save-status.save-failed { color: #b71c1c; }
.draft-title { text-align: center; font-size: 1.3em; font-weight: 700; }
.draft-section { border: 1px solid #e0e0e0; border-radius: 8px; padding: .4em .8em; }
.draft-section.order-1 { order: 1; } .draft-section.order-2 { order: 2; } .draft-section.order-3 { order: 3; }
.draft-section.order-4 { order: 4; } .draft-section.order-5 { order: 5; }
.section-head h3 { font-size: 1.15em; margin: .3em 0; }
.section-head .parent-heading { font-size: 1.2em; font-weight: 700; margin: .2em 0; }
.section-head .section-state { font-size: .85em; margin-left: .6em; color: #78909c; font-weight: normal; }
.section-head .state-marked { color: #b71c1c; } .section-head .state-verified { color: #2e7d32; }
.section-head.removed h3 { text-decoration: line-through; color: #90a4ae; }
.draft-view { line-height: 1.9; font-size: 1.02em; }
.draft-view h4 { font-size: 1.08em; font-weight: 700; margin: .7em 0 .3em; }
.draft-view h5 { font-size: 1.02em; font-weight: 700; margin: .5em 0 .2em; font-family: "KaiTi", "Kaiti SC", serif; }
.draft-view p { text-indent: 2em; margin: .3em 0; }
.problems-list { color: #b71c1c; }
.history-table td.current { font-weight: 700; }
#chatbot button[aria-label="清空对话"] { display: none !important; }   /* the saved conversation stays: 历史 starts new work */
footer { display: none !important; }
"""
