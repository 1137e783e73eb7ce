"""What a search returns: `Passage`, one stored chunk with its provenance and score."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Passage:
    """One retrieved chunk."""

    doc: str                 # source file name, e.g. "预算法(2018-12-29).md"
    title: str               # document title
    kind: str                # "report" | "policy" | "form"
    section: str             # section path, e.g. "第四章 预算编制 > 第三十二条"
    text: str
    score: float
    start: int               # character offsets into the source file text
    end: int
    chunk_id: str
    year: int | None
    issuer: str | None = None
    location: str = ""       # pdf page or xlsx sheet/row when known
    rel: str = ""            # path relative to the corpus root
    region: str = ""         # the region whose document this is ("浙江省 杭州市"), "" when national
    article: int | None = None  # the article number (第N条) the passage holds, when it is one article

    def to_json(self) -> dict:
        return {"doc": self.doc, "section": self.section, "text": self.text,
                "score": round(float(self.score), 6), "start": self.start, "end": self.end}

    def cite(self) -> str:
        """A short Chinese citation: 《title》section."""
        return f"《{self.title}》" + (self.section.split(" > ")[-1] if self.section else "")
