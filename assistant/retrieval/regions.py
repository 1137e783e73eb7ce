"""The region table (`data/regions.txt`): which region a question names, which region a document is of.

A region is a province-level division or a prefecture-level one inside it. Names are matched by
their full form (浙江省, 杭州市, 延边朝鲜族自治州) and their short form (浙江, 杭州, 延边), longest
first, so 广州 is not read inside 广州市 twice. A document's region comes from its title or issuing
body: the names at the start of it (`浙江省预算审查监督条例` → 浙江省; `2023年度广州南沙…` → 广东省 广州市).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

REGIONS_FILE = Path(__file__).resolve().parents[1] / "data" / "regions.txt"


@dataclass(frozen=True)
class Region:
    name: str                # full name: 浙江省, 杭州市
    province: str            # the province-level division it is in (itself for a province)
    aliases: tuple[str, ...]  # every way of writing it, longest first

    @property
    def is_province(self) -> bool:
        return self.name == self.province


@dataclass(frozen=True)
class RegionTable:
    regions: tuple[Region, ...]
    pattern: re.Pattern
    by_alias: dict

    def named_in(self, text: str) -> list[Region]:
        """The regions a text names, in order of first mention, each once."""
        found: list[Region] = []
        for m in self.pattern.finditer(text or ""):
            region = self.by_alias[m.group(0)]
            if region not in found:
                found.append(region)
        return found

    def of_document(self, title: str, issuer: str | None = None) -> tuple[Region, ...]:
        """The regions a document belongs to: the names its title (after a leading year) or its
        issuer starts with, most general first (浙江省, 杭州市); () for a national document."""
        for source in (title or "", issuer or ""):
            head = re.sub(r"^\s*\d{4}\s*年度?", "", source)
            out: list[Region] = []
            pos = 0
            while True:
                m = self.pattern.match(head, pos)
                if not m:
                    break
                out.append(self.by_alias[m.group(0)])
                pos = m.end()
            if out:
                if not out[0].is_province:
                    out.insert(0, self.province_of(out[0]))
                return tuple(dict.fromkeys(r for r in out if r is not None))
        return ()

    def province_of(self, region: Region) -> Region | None:
        return self.by_alias.get(region.province)


def _aliases(full: str, short: str) -> tuple[str, ...]:
    return tuple(sorted({full, short}, key=len, reverse=True))


def parse_table(text: str) -> RegionTable:
    regions: list[Region] = []
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        head, _, rest = line.partition("=")
        full, short = head.split()
        regions.append(Region(full, full, _aliases(full, short)))
        for item in rest.split():
            name, _, alias = item.partition("/")
            if alias:
                regions.append(Region(name, full, _aliases(name, alias)))
            elif name.endswith(("自治州", "地区", "盟")):
                regions.append(Region(name, full, (name,)))
            else:
                regions.append(Region(name + "市", full, _aliases(name + "市", name)))
    by_alias: dict[str, Region] = {}
    for region in regions:
        for alias in region.aliases:
            by_alias.setdefault(alias, region)  # a province keeps a name it shares with a city (吉林)
    alternation = "|".join(re.escape(a) for a in sorted(by_alias, key=len, reverse=True))
    return RegionTable(tuple(regions), re.compile(alternation), by_alias)


@lru_cache(maxsize=1)
def region_table() -> RegionTable:
    return parse_table(REGIONS_FILE.read_text(encoding="utf-8"))
