"""The model writer: one chat-model call per section, checked, re-asked with feedback, then marked.

Prompt (prompts/section.md under prompts/system.md): the ledger's facts block (the only figures
allowed, with ids: the model may cite a fact as `{F12}` and the product prints it as the ledger does,
`figures.render_fact_ids`), the retrieved passages with their citation numbers, the problems scoring
found, the section's outline and style rules, and the template writer's verified text as a base
draft. The reply is checked by the figure checker; if any figure is unverified or misattributed
the model is re-asked (prompts/retry.md: the wrong figures, the reasons, the allowed facts), at
most `MAX_RETRIES` times, instructor-style. Whatever is still wrong is then marked 【待核实：…】 by
`sections.verified_section`, so no unverified figure leaves this module unmarked.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from langchain_core.messages import AIMessage, HumanMessage, SystemMessage

from .. import prompts
from ..figures import CheckResult, Ledger, check, render_fact_ids, unknown_fact_ids
from ..llm import message_text
from .context import DraftContext
from .outline import heading_level, report_title, spec, strip_number
from .problems import derive_problems
from .sections import DraftSection, verified_section
from .template_writer import write_section as template_section

if TYPE_CHECKING:       # annotations only
    from langchain_core.language_models import BaseChatModel

MAX_RETRIES = 2
_CITATION = re.compile(r"\[(\d{1,2})\]")
_FACT_ID = re.compile(r"\s*[\[［【]F\d+[\]］】]")


def section_subjects(ctx: DraftContext, key: str) -> list[str] | None:
    """The ledger subjects a section's facts block is limited to (None: everything)."""
    ev, card = ctx.evaluation, ctx.card
    budget = ["预算"] + list(ev.budget.by_item) + list(ev.budget.by_source)
    if key == "background":
        return budget + [t.name for t in ev.tasks]
    if key == "indicators":
        return [s.name for s in card.indicators] + [t.name for t in ev.tasks] + budget
    if key == "conclusion":
        return ["总分", "预算"]
    subjects = ["预算", "总分"]
    for problem in derive_problems(card):
        subjects += problem.subjects
    return subjects + [c["doc"] for c in ctx.citations]


def facts_block(ctx: DraftContext, key: str) -> str:
    subjects = section_subjects(ctx, key)
    return ctx.ledger.facts_block(subjects).strip() or ctx.ledger.facts_block(None).strip()


COMPACT_FACTS = 16       # a small local model gets at most this many facts, without their provenance


def without_source(line: str) -> str:
    """`[F3] 实际支出：2115.30万元（…yaml，“实际支出”列）` → `[F3] 实际支出：2115.30万元`."""
    if not line.endswith("）"):
        return line
    depth = 0
    for position in range(len(line) - 1, -1, -1):
        depth += {"）": 1, "（": -1}.get(line[position], 0)
        if depth == 0:
            return line[:position].rstrip()
    return line


def compact_facts(block: str, limit: int = COMPACT_FACTS) -> str:
    return "\n".join(without_source(line) for line in block.splitlines()[:limit])


def passages_block(ctx: DraftContext, used: list[int]) -> str:
    if not used:
        return "（无）"
    lines = []
    for n in used:
        c = ctx.citations[n - 1]
        where = " ".join(part for part in (c.get("title") or c["doc"], c.get("section") or "") if part)
        lines.append(f"[{n}] {where}：“{c['quote']}”")
    return "\n".join(lines)


def problems_block(ctx: DraftContext) -> str:
    problems = derive_problems(ctx.card)
    if not problems:
        return "（评分未发现问题）"
    return "\n".join(f"{k}. {p.title}：{p.text}" for k, p in enumerate(problems, 1))


def outline_block(ctx: DraftContext, key: str, reference: str) -> str:
    """The sub-headings the section uses, taken from the template draft of it."""
    headings = [line for line in reference.splitlines() if heading_level(line) in (1, 2)]
    return "\n".join(headings) if headings else "（本节不设下级标题）"


def clean_reply(text: str, title: str, ledger: Ledger | None = None) -> str:
    """Plain 公文 text from a chat reply: the facts it cites as `{F12}` rendered as the ledger prints
    them, no Markdown, no bare fact-id references, no repeated section title."""
    text = re.sub(r"```[a-z]*", "", text or "")
    if ledger is not None:
        text = render_fact_ids(text, ledger)
    text = _FACT_ID.sub("", text)
    lines = []
    for line in text.splitlines():
        line = re.sub(r"^\s*(#+|[-*•]\s+|>\s*)", "", line).replace("**", "").strip()
        if not line:
            continue
        if not lines and strip_number(line).rstrip("：:。") == strip_number(title):
            continue
        lines.append(line)
    return "\n".join(lines).strip()


def wrong_figures(result: CheckResult) -> str:
    lines = []
    for figure in result.problems():
        reason = figure.reason or ("数字与所述对象不对应" if figure.status == "misattributed" else "数据中没有这个数字")
        lines.append(f"- “{figure.text}”：{reason}")
    return "\n".join(lines)


def provider_name(llm) -> str:
    kind = getattr(llm, "_llm_type", "model")
    return {"openai-chat": "openai"}.get(kind, kind)


def first_prompt(ctx: DraftContext, key: str, reference: str, used: list[int], facts: str, instruction: str,
                 compact: bool) -> str:
    section_spec = spec(ctx.report_type, key)
    title = report_title(ctx.evaluation)
    if compact:       # a small local model: the facts and the task, nothing else
        return prompts.render("compact", report_title=title, section_title=section_spec.title,
                              facts=compact_facts(facts), instruction=instruction.strip())
    guide = prompts.render(key, section_title=section_spec.title,
                           section_outline=outline_block(ctx, key, reference))
    return prompts.render(
        "section", report_title=title, section_title=section_spec.title,
        section_guide=guide, facts=facts, passages=passages_block(ctx, used),
        problems=problems_block(ctx) if key in ("problems", "measures") else "（本节不涉及）",
        reference=reference, instruction=instruction.strip() or "无",
    )


def retry_prompt(result: CheckResult, section_title: str, facts: str, compact: bool,
                 missing: list[str] = ()) -> str:
    if compact:
        shown = "、".join([f"“{f.text.strip()}”" for f in result.problems()] + [f"{{{m}}}" for m in missing])
        return prompts.render("compact_retry", wrong_figures=shown)
    wrong = "\n".join(part for part in (wrong_figures(result),
                                         *(f"- “{{{m}}}”：可用事实中没有编号{m}" for m in missing)) if part)
    return prompts.render("retry", wrong_figures=wrong, section_title=section_title, facts=facts)


def write_section(ctx: DraftContext, key: str, *, llm: BaseChatModel, provider: str | None = None,
                  instruction: str = "") -> DraftSection:
    reference, used = template_section(ctx, key)
    section_spec = spec(ctx.report_type, key)
    compact = bool(getattr(llm, "compact_prompt", False))
    facts = facts_block(ctx, key)
    messages = [SystemMessage(content=prompts.load("compact_system" if compact else "system")),
                HumanMessage(content=first_prompt(ctx, key, reference, used, facts, instruction, compact))]
    writer = provider or provider_name(llm)
    text, rounds = "", 0
    for attempt in range(MAX_RETRIES + 1):
        reply = message_text(llm.invoke(messages))
        text = clean_reply(reply, section_spec.title, ctx.ledger)
        if not text:
            break
        result = check(text, ctx.ledger)
        missing = unknown_fact_ids(reply, ctx.ledger)
        if (result.ok and not missing) or attempt == MAX_RETRIES:
            break
        rounds += 1
        messages += [AIMessage(content=reply),
                     HumanMessage(content=retry_prompt(result, section_spec.title, facts, compact, missing))]
    if not text:
        return verified_section(ctx, key, reference, used, writer=f"{writer} → template (fallback)", rounds=rounds)
    cited = [int(n) for n in _CITATION.findall(text) if int(n) in used]
    return verified_section(ctx, key, text, list(dict.fromkeys(cited)), writer=writer, rounds=rounds)
