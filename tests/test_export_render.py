"""The 公文 as LibreOffice renders it: both example drafts to PDF through `to_pdf`, measured with
poppler-utils (`pdftotext -bbox-layout`, `pdffonts`, `pdftoppm`), no other tools.

- 28 (±1) characters on full body lines, 22 (±1) lines on full pages, “— N —” on every page;
- every font embedded, Chinese set in the Noto CJK substitutes, the whole text there (no gaps);
- the indicator table a real table whose header row is on every page it spans;
- `jixiao draft DATA --out x.pdf`.

PDFs go to test-output/pdf/, the first two pages of each draft as PNG to test-output/pages/.
LibreOffice missing: skipped, unless JIXIAO_REQUIRE_LIBREOFFICE is set (CI sets it: `.ci/run`).
"""
from __future__ import annotations

import os
import re
import statistics
import subprocess
import sys
from pathlib import Path

import pytest

from pdf_layout import Layout, body_rows, is_table_size, measure, page_text, read_pages

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
DRAFTS = {"department": EXAMPLES / "2023_港澳办_部门整体.yaml", "project": EXAMPLES / "2023_商协会服务集聚区_项目.yaml"}
OUTPUT = ROOT / "test-output"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module", autouse=True)
def libreoffice():
    from assistant.export import pdf_available

    if not pdf_available():
        if os.environ.get("JIXIAO_REQUIRE_LIBREOFFICE"):
            pytest.fail("LibreOffice (soffice) is required here: run `make system`")
        pytest.skip("LibreOffice (soffice) is not installed: run `make system`")
    for tool in ("pdftotext", "pdffonts", "pdftoppm"):
        if subprocess.run(["which", tool], capture_output=True).returncode:
            pytest.fail(f"{tool} (poppler-utils) is missing: run `make system`")


@pytest.fixture(scope="module")
def drafts():
    from assistant.actuals import load
    from assistant.drafting import draft_report

    return {name: draft_report(load(path)) for name, path in DRAFTS.items()}


@pytest.fixture(scope="module")
def pdfs(drafts) -> dict[str, Path]:
    from assistant.export import to_pdf

    (OUTPUT / "pdf").mkdir(parents=True, exist_ok=True)
    (OUTPUT / "pages").mkdir(parents=True, exist_ok=True)
    out = {}
    for name, draft in drafts.items():
        pdf = to_pdf(draft, OUTPUT / "pdf" / f"{name}.pdf")
        for old in (OUTPUT / "pages").glob(f"{name}-*.png"):
            old.unlink()
        subprocess.run(["pdftoppm", "-r", "60", "-f", "1", "-l", "2", "-png", str(pdf), str(OUTPUT / "pages" / name)],
                       check=True)
        out[name] = pdf
    return out


@pytest.mark.parametrize("name", DRAFTS)
def test_full_lines_hold_28_characters_and_full_pages_22_lines(name, pdfs):
    measured = measure(read_pages(pdfs[name]))
    chars, lines = measured.chars_on_full_lines, measured.lines_on_full_pages
    print(f"{name}: characters on full lines {sorted(chars)}, median {statistics.median(chars)}; "
          f"lines on full pages {lines}; line pitch {measured.line_pitch:.2f} pt")
    assert len(chars) >= 10 and all(abs(n - 28) <= 1 for n in chars)
    assert statistics.median(chars) == 28
    assert lines and all(abs(n - 22) <= 1 for n in lines)
    assert abs(measured.line_pitch - 28.95) < 0.1


@pytest.mark.parametrize("name", DRAFTS)
def test_every_page_is_numbered(name, pdfs):
    numbers = measure(read_pages(pdfs[name])).page_numbers
    assert numbers == [f"—{n}—" for n in range(1, len(numbers) + 1)]


@pytest.mark.parametrize("name", DRAFTS)
def test_page_images_saved(name, pdfs):
    assert sorted(p.name for p in (OUTPUT / "pages").glob(f"{name}-*.png")) == [f"{name}-1.png", f"{name}-2.png"]


@pytest.mark.parametrize("name", DRAFTS)
def test_fonts_embedded_and_no_text_missing(name, pdfs, drafts):
    fonts = subprocess.run(["pdffonts", str(pdfs[name])], check=True, capture_output=True, text=True).stdout
    rows = [line.split() for line in fonts.splitlines()[2:] if line.strip()]
    assert rows and all(row[-5] == "yes" for row in rows)                 # emb
    # Chinese in at least two faces (仿宋/宋 body, 黑体 headings): the Noto CJK substitutes, or the official fonts
    chinese = {row[0].split("+")[-1] for row in rows if re.search(r"CJK|FangSong|KaiTi|SimHei|SimSun|FZ", row[0])}
    assert len(chinese) >= 2, fonts
    pages = read_pages(pdfs[name])
    layout = Layout()
    rendered = re.sub(r"\s+", "", "".join(r.text for page in pages for r in body_rows(page, layout)))
    assert "\ufffd" not in rendered
    for section in drafts[name].sections:
        for line in section.text.splitlines():
            assert re.sub(r"\s+", "", line) in rendered, line


def test_indicator_table_header_on_every_page_it_spans(tmp_path, drafts):
    """The department's table, three times as long so it spans pages whatever the fonts."""
    from assistant.export import docx_to_pdf, to_docx
    from assistant.export.word_table import header_lines

    draft = drafts["department"]
    section = next(s for s in draft.sections if s.key == "indicators")
    table = section.tables[0]
    long_table = table.model_copy(update={"rows": table.rows * 3})
    long_draft = draft.model_copy(update={"sections": [section.model_copy(update={"tables": [long_table]})]})
    pdf = docx_to_pdf(to_docx(long_draft, tmp_path / "table.docx"), tmp_path / "table.pdf")
    layout = Layout()
    spanned = [p for p in read_pages(pdf) if any(is_table_size(r, layout) for r in body_rows(p, layout))]
    assert len(spanned) >= 2
    labels = [line for label in table.header for line in header_lines(label)]
    for page in spanned:
        text = re.sub(r"\s+", "", page_text(page))
        missing = [label for label in labels if label not in text]
        assert not missing, f"page {page.number} lacks the header cells {missing}"


def test_cli_writes_a_pdf(tmp_path):
    out = tmp_path / "报告.pdf"
    jixiao = Path(sys.executable).parent / "jixiao"
    command = [str(jixiao)] if jixiao.exists() else [sys.executable, "-m", "assistant.cli"]
    result = subprocess.run(command + ["draft", str(DRAFTS["project"]), "--no-index", "--out", str(out)], cwd=ROOT,
                            capture_output=True, text=True, encoding="utf-8", timeout=300)
    assert result.returncode == 0, result.stderr
    assert out.read_bytes().startswith(b"%PDF") and f"已写入 {out}" in result.stderr
