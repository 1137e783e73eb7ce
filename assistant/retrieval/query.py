"""Query understanding: what an officer's question asks for, before anything is matched.

`QueryReader.read(text)` gives a `Query`:

- `core`: the question without its framing (“报告里想引用一下”, “领导让参考一下兄弟单位的做法”), the
  clauses that say why the officer asks rather than what (`data/query_cues.txt`, section [framing]);
- `terms`: the BM25 terms of the core (jieba, `bm25.tokenize`), plus the thesaurus's corpus words
  for the officer's everyday and abbreviated words (`data/thesaurus.txt`: 钱没花完 → 结转 结余,
  政采 → 政府采购, 人代会 → 人民代表大会) at `expansion_weight`;
- `kind`: the document type asked for (policy / form / report), from the cues of
  `data/query_cues.txt`, or None;
- `regions`: the regions named (`regions.region_table`), in order;
- `articles`: the article numbers named (`预算法第六十九条`, `第20条`);
- `titles`: the indexed documents the question names by title (`预算法实施条例`, `《政府投资条例》`),
  longest name first, as given by the reader's title list.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

from ..quantities import chinese_to_number
from .bm25 import tokenize
from .regions import Region, RegionTable, region_table

DATA = Path(__file__).resolve().parents[1] / "data"
THESAURUS_FILE = DATA / "thesaurus.txt"
CUES_FILE = DATA / "query_cues.txt"
KINDS = ("policy", "form", "report")
EXPANSION_WEIGHT = 0.5

_CLAUSE_END = re.compile(r"[，,。？?！!；;]+")
_ARTICLE = re.compile(r"第([零〇一二两三四五六七八九十百千]+|\d+)条")


# ---------------------------------------------------------------------------------------------
# Data files


@dataclass(frozen=True)
class Thesaurus:
    """Everyday word → the corpus's words. Phrases of two characters or more match anywhere in
    the question; a one-character word only as a whole jieba token."""

    phrases: dict[str, tuple[str, ...]]
    pattern: re.Pattern | None

    def expansions(self, text: str, tokens: list[str]) -> list[str]:
        found: list[str] = []
        if self.pattern is not None:
            for m in self.pattern.finditer(text):
                found.extend(self.phrases[m.group(0)])
        for tok in tokens:
            if len(tok) == 1:
                found.extend(self.phrases.get(tok, ()))
        return list(dict.fromkeys(found))


def parse_thesaurus(text: str) -> Thesaurus:
    phrases: dict[str, list[str]] = {}
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=>" not in line:
            continue
        left, right = line.split("=>", 1)
        phrases.setdefault(left.strip().lower(), []).extend(right.split())
    long = sorted((p for p in phrases if len(p) > 1), key=len, reverse=True)
    pattern = re.compile("|".join(re.escape(p) for p in long)) if long else None
    return Thesaurus({k: tuple(v) for k, v in phrases.items()}, pattern)


@lru_cache(maxsize=4)
def thesaurus(path: Path = THESAURUS_FILE) -> Thesaurus:
    return parse_thesaurus(Path(path).read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Cues:
    framing: tuple[re.Pattern, ...]
    kinds: tuple[tuple[str, tuple[re.Pattern, ...]], ...]   # in order of precedence


def parse_cues(text: str) -> Cues:
    sections: dict[str, list[re.Pattern]] = {}
    current = None
    for line in text.splitlines():
        line = line.rstrip()
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        m = re.fullmatch(r"\[(\w+)\]", line.strip())
        if m:
            current = m.group(1)
            sections.setdefault(current, [])
            continue
        if current is None:
            raise ValueError(f"{CUES_FILE.name}: a pattern before any [section]: {line}")
        sections[current].append(re.compile(line.strip()))
    unknown = set(sections) - {"framing", *KINDS}
    if unknown:
        raise ValueError(f"{CUES_FILE.name}: unknown sections {sorted(unknown)}")
    order = [name for name in sections if name in KINDS]
    return Cues(tuple(sections.get("framing", ())), tuple((k, tuple(sections[k])) for k in order))


@lru_cache(maxsize=4)
def cues(path: Path = CUES_FILE) -> Cues:
    return parse_cues(Path(path).read_text(encoding="utf-8"))


# ---------------------------------------------------------------------------------------------
# Titles


def title_names(title: str) -> tuple[str, ...]:
    """The names a question may call a document by: its title, without 中华人民共和国, without a
    leading year (`2023年度…`)."""
    names = {title}
    short = re.sub(r"^中华人民共和国", "", title)
    names.add(short)
    names.add(re.sub(r"^\d{4}\s*年度?", "", short))
    return tuple(n for n in names if len(n) >= 3)


@dataclass(frozen=True)
class TitleMatcher:
    """Finds the indexed documents' titles named in a question, longest name first, never two
    overlapping (预算法实施条例 is not also 预算法)."""

    by_name: dict[str, str]
    pattern: re.Pattern | None

    @classmethod
    def of(cls, titles) -> "TitleMatcher":
        by_name: dict[str, str] = {}
        for title in sorted(set(t for t in titles if t)):
            for name in title_names(title):
                by_name.setdefault(name, title)
        names = sorted(by_name, key=len, reverse=True)
        return cls(by_name, re.compile("|".join(re.escape(n) for n in names)) if names else None)

    def named_in(self, text: str) -> tuple[str, ...]:
        if self.pattern is None:
            return ()
        return tuple(dict.fromkeys(self.by_name[m.group(0)] for m in self.pattern.finditer(text)))


NO_TITLES = TitleMatcher({}, None)


# ---------------------------------------------------------------------------------------------
# The query


@dataclass
class Query:
    text: str                                   # as asked
    core: str                                   # framing dropped
    terms: list[tuple[str, float]]              # BM25 terms and their weights
    kind: str | None = None                     # the document type asked for
    regions: tuple[Region, ...] = ()
    articles: tuple[int, ...] = ()
    titles: tuple[str, ...] = ()
    vector: np.ndarray | None = field(default=None, repr=False)   # set by the dense retriever

    @property
    def dense_text(self) -> str:
        return self.core

    @property
    def region_names(self) -> frozenset[str]:
        return frozenset(r.name for r in self.regions)


def article_numbers(text: str) -> tuple[int, ...]:
    out = []
    for m in _ARTICLE.finditer(text):
        try:
            out.append(int(chinese_to_number(m.group(1))))
        except Exception:  # noqa: BLE001 - a numeral cn2an cannot read is no article reference
            continue
    return tuple(dict.fromkeys(out))


def clauses(text: str) -> list[str]:
    return [c.strip() for c in _CLAUSE_END.split(text) if c.strip()]


class QueryReader:
    """Reads questions with one thesaurus, cue list, region table and title list."""

    def __init__(self, titles: TitleMatcher = NO_TITLES, expand: bool = True,
                 expansion_weight: float = EXPANSION_WEIGHT, drop_framing: bool = True,
                 thesaurus_: Thesaurus | None = None, cues_: Cues | None = None,
                 regions: RegionTable | None = None):
        self.titles = titles
        self.expand = expand
        self.expansion_weight = expansion_weight
        self.drop_framing = drop_framing
        self.thesaurus = thesaurus_ or thesaurus()
        self.cues = cues_ or cues()
        self.regions = regions or region_table()

    def core(self, text: str) -> str:
        """The question without its framing clauses (all of it when every clause is framing)."""
        if not self.drop_framing:
            return text
        parts = clauses(text)
        kept = [c for c in parts if not any(rx.search(c) for rx in self.cues.framing)]
        return "，".join(kept) if kept else text

    def kind(self, text: str) -> str | None:
        for kind, patterns in self.cues.kinds:
            if any(rx.search(text) for rx in patterns):
                return kind
        return None

    def terms(self, core: str) -> list[tuple[str, float]]:
        toks = tokenize(core)
        out = [(t, 1.0) for t in toks]
        if self.expand:
            seen = set(toks)
            for word in self.thesaurus.expansions(core.lower(), toks):
                for sub in tokenize(word):
                    if sub not in seen:
                        seen.add(sub)
                        out.append((sub, self.expansion_weight))
        return out

    def read(self, text: str) -> Query:
        text = (text or "").strip()
        core = self.core(text)
        return Query(text=text, core=core, terms=self.terms(core), kind=self.kind(core),
                     regions=tuple(self.regions.named_in(text)), articles=article_numbers(text),
                     titles=self.titles.named_in(text))
