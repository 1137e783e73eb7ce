"""One citation numbering in a draft whose sections were drafted separately (each from [1])."""
from __future__ import annotations

import re

import pytest

from assistant.actuals import load
from assistant.chat import ChatSession
from assistant.drafting import DraftSection
from assistant.drafting.citations import renumber
from assistant.figures import Ledger, check, evaluation_ledger, mark
from assistant.workbench import section_ledger
from drafting_fixtures import DEPT, PROJECT

FOLLOWERS = "“‘港澳商协汇’公众号关注量”"


def cite(n: int, chunk: str) -> dict:
    return {"n": n, "doc": f"{chunk}.md", "title": f"文件{chunk}", "section": "", "chunk_id": chunk,
            "quote": "原文摘录", "kind": "policy"}


def section(key: str, raw: str, citations: list[dict], ledger: Ledger) -> DraftSection:
    result = check(raw, ledger)
    return DraftSection(key=key, title=key, text=raw if result.ok else mark(raw, result), check=result,
                        citations=citations, status="verified" if result.ok else "marked")


@pytest.fixture(scope="module")
def ledger() -> Ledger:
    return evaluation_ledger(load(PROJECT))


def test_sections_drafted_apart_get_one_numbering(ledger):
    first = section("problems", f"{FOLLOWERS}实际完成386人次[1]。", [cite(1, "a")], ledger)
    second = section("measures", f"按规定推进[1]，{FOLLOWERS}实际完成386人次[2]，同上[1]。",
                     [cite(1, "b"), cite(2, "a")], ledger)
    (one, two), citations = renumber([first, second])
    assert [(c["n"], c["chunk_id"]) for c in citations] == [(1, "a"), (2, "b")]
    assert one is first                                    # already in the draft's numbering
    assert two.text == f"按规定推进[2]，{FOLLOWERS}实际完成386人次[1]，同上[2]。"
    assert [(c["n"], c["chunk_id"]) for c in two.citations] == [(2, "b"), (1, "a")]
    assert second.text.count("[1]") == 2                   # the original is left as it was
    for figure in two.check.figures:                       # offsets follow the text
        assert two.text[figure.start:figure.end] == figure.text


def test_a_marked_section_keeps_its_marks_and_offsets(ledger):
    first = section("problems", "见文件[1]。", [cite(1, "a")], ledger)
    raw = f"依据规定[1]，{FOLLOWERS}实际完成386人次，预计明年可达600人次[1]。"
    second = section("measures", raw, [cite(1, "b")], ledger)
    assert second.status == "marked"
    (_, two), citations = renumber([first, second])
    assert [c["chunk_id"] for c in citations] == ["a", "b"]
    renumbered = raw.replace("[1]", "[2]")
    assert two.text == mark(renumbered, two.check)
    assert "【待核实：原文“600人次”" in two.text and two.text.count("[2]") == 2 and "[1]" not in two.text
    assert [f.text for f in two.check.problems()] == ["600人次"]
    for figure in two.check.figures:
        assert renumbered[figure.start:figure.end] == figure.text


def test_a_draft_already_numbered_together_is_unchanged(ledger):
    sections = [section("problems", "甲[1]乙[2]。", [cite(1, "a"), cite(2, "b")], ledger),
                section("measures", "丙[2]丁[3]。", [cite(2, "b"), cite(3, "c")], ledger)]
    renumbered, citations = renumber(sections)
    assert all(new is old for new, old in zip(renumbered, sections))
    assert [c["n"] for c in citations] == [1, 2, 3]


@pytest.mark.slow
@pytest.mark.parametrize("path", [DEPT, PROJECT])
def test_chat_drafted_sections_merge_into_one_numbering(path, small_index):
    index = small_index
    session = ChatSession(load(path), index_provider=lambda: index)
    drafted = {}
    for question in ("起草存在的问题部分", "起草改进措施部分"):
        answer = session.answer(question)
        drafted[answer.section.key] = answer.section
        assert [c["n"] for c in answer.section.citations][:1] == [1]     # each numbered from [1]
    draft = session.draft()
    assert [c["n"] for c in draft.citations] == list(range(1, len(draft.citations) + 1))
    assert len({c["chunk_id"] for c in draft.citations}) == len(draft.citations)
    by_number = {c["n"]: c["chunk_id"] for c in draft.citations}
    for merged in draft.sections:
        original = drafted[merged.key]
        local = {c["n"]: c["chunk_id"] for c in original.citations}
        old_markers = [local[int(n)] for n in re.findall(r"\[(\d+)\]", original.text)]
        new_markers = [by_number[int(n)] for n in re.findall(r"\[(\d+)\]", merged.text)]
        assert new_markers == old_markers                # every marker still names its source
    # the draft view's re-check (each section against the ledger plus the passages it cites) finds nothing
    problems = [(s.title, f) for s in session.sections.values() for f in check(s.text, section_ledger(session, s)).problems()]
    assert problems == [], [(title, f.text, f.reason) for title, f in problems]
