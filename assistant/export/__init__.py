"""Drafts out: Markdown, a .docx in 公文 layout (GB/T 9704-2012), and PDF through LibreOffice.

    to_markdown(draft) -> str
    to_docx(draft, path) -> Path
    to_pdf(draft, path) -> Path          # raises JixiaoError when LibreOffice is not installed
    pdf_available() -> bool

`page` derives the page and its document grid; `fonts` the official fonts and their substitutes;
`blocks` the outline walk every format prints; `word` and `word_table` the .docx; `pdf` the
conversion.
"""
from .markdown import to_markdown
from .pdf import docx_to_pdf, pdf_available, to_pdf
from .word import to_docx

__all__ = ["to_markdown", "to_docx", "to_pdf", "docx_to_pdf", "pdf_available"]
