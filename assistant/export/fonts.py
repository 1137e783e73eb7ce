"""The fonts of a 公文 as offices have them, and what stands in for them where they are missing.

Runs name the official font in every `w:rFonts` slot (East Asian text, Latin text and digits).
The document's font table (`word/fontTable.xml`) declares each one as Word and WPS write it: the
alternate name of the system font that comes with Windows (仿宋_GB2312 → 仿宋), the GB2312 character
set (86), family and PANOSE class, so a machine without the official font substitutes a font of
the same kind. LibreOffice ignores `w:altName`; it asks fontconfig, so the PDF conversion passes a
fontconfig file (`fontconfig_file`) that accepts, after the official name, the Windows name and then
the Noto CJK face of the same kind (`fonts-noto-cjk`): serif for 宋/仿宋/楷, sans for 黑体. With the
document's East Asian language zh-CN, fontconfig picks the simplified-Chinese Noto faces.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.part import XmlPart
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn

GB2312_CHARSET = "86"
NOTO_SERIF, NOTO_SANS = "Noto Serif CJK SC", "Noto Sans CJK SC"


@dataclass(frozen=True)
class OfficialFont:
    name: str                     # as offices have it installed, and as the runs name it
    alt_name: str                 # the Windows font of the same kind (Word's and WPS's substitute)
    family: str                   # w:family: roman (serif) / modern / swiss (sans) / auto
    panose: str | None            # w:panose1, when the font's PANOSE class is known
    fallbacks: tuple[str, ...]    # fontconfig families after the name, best first


TITLE = OfficialFont("方正小标宋简体", "宋体", "auto", None, ("方正小标宋_GBK", "华文中宋", "宋体", "SimSun", NOTO_SERIF))
HEADING_1 = OfficialFont("黑体", "SimHei", "modern", "02010609060101010101", ("SimHei", NOTO_SANS))
HEADING_2 = OfficialFont("楷体_GB2312", "楷体", "modern", "02010609030101010101",
                         ("楷体", "KaiTi", "AR PL UKai CN", NOTO_SERIF))
BODY = OfficialFont("仿宋_GB2312", "仿宋", "modern", "02010609030101010101", ("仿宋", "FangSong", NOTO_SERIF))
PAGE_NUMBER = OfficialFont("宋体", "SimSun", "auto", "02010600030101010101", ("SimSun", NOTO_SERIF))
OFFICIAL_FONTS = (TITLE, HEADING_1, HEADING_2, BODY, PAGE_NUMBER)


def declare_fonts(document, fonts=OFFICIAL_FONTS) -> None:
    """Add (or replace) a `w:font` entry for each font in the document's font table."""
    table = _font_table(document)
    for font in fonts:
        for old in [f for f in table.findall(qn("w:font")) if f.get(qn("w:name")) == font.name]:
            table.remove(old)
        entry = OxmlElement("w:font")
        entry.set(qn("w:name"), font.name)
        children = [("w:altName", font.alt_name)]
        if font.panose:
            children.append(("w:panose1", font.panose))
        children += [("w:charset", GB2312_CHARSET), ("w:family", font.family), ("w:pitch", "variable")]
        for tag, value in children:     # in the schema's order: altName, panose1, charset, family, pitch
            child = OxmlElement(tag)
            child.set(qn("w:val"), value)
            entry.append(child)
        table.append(entry)


def _font_table(document):
    """The root `w:fonts` element of the document's font table. python-docx keeps that part as
    bytes; the first call puts an XML part with the same content in its place."""

    main = document.part
    part = main.part_related_by(RT.FONT_TABLE)
    if not isinstance(part, XmlPart):
        rid = next(rid for rid, rel in main.rels.items() if rel.reltype == RT.FONT_TABLE)
        main.drop_rel(rid)
        part = XmlPart(part.partname, part.content_type, parse_xml(part.blob), part.package)
        main.relate_to(part, RT.FONT_TABLE)
    return part.element


def fontconfig_file(path: Path, fonts=OFFICIAL_FONTS, base: str = "/etc/fonts/fonts.conf") -> Path:
    """A fontconfig file: the system's configuration plus, for each official font, its fallbacks."""
    aliases = "\n".join(
        f"  <alias binding=\"same\"><family>{escape(font.name)}</family><accept>"
        + "".join(f"<family>{escape(family)}</family>" for family in font.fallbacks)
        + "</accept></alias>"
        for font in fonts)
    path.write_text('<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n<fontconfig>\n'
                    f'  <include ignore_missing="yes">{escape(base)}</include>\n{aliases}\n</fontconfig>\n',
                    encoding="utf-8")
    return path
