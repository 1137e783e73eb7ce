"""Office files as zip archives, checked before any part is parsed.

`open_archive(path)` opens the zip and checks its directory against `limits.ARCHIVE`: the number
of parts, each part's uncompressed size, the total, and each large part's compression ratio. A
file over a limit is refused with a message naming the limit and the part; a file that is no zip
is refused as such. `open_part` streams one part: it never yields more than the size the directory
states (zipfile stops there and checks the CRC), so the checked sizes bound what is read.
"""
from __future__ import annotations

import zipfile
import zlib
from pathlib import Path, PurePosixPath
from typing import IO, Callable, Iterator

from lxml import etree

from .errors import DataError, DataErrors
from .limits import ARCHIVE, MB, XML_DEPTH


def _refused(path: Path, message: str) -> DataErrors:
    return DataErrors([DataError(message, path.name)])


def _size(count: int) -> str:
    return f"{count / MB:.1f}MB" if count >= MB else f"{count}字节"


NOT_AN_ARCHIVE = {          # what an officer is told when the file is no zip at all, by the kind expected
    "Excel": "无法读取Excel文件：文件已损坏，或不是 .xlsx 格式的Excel工作簿（可用Excel打开后另存为 .xlsx 再上传）",
    "Word": "无法读取Word文件：文件已损坏，或不是 .docx 格式的Word文档（可用Word打开后另存为 .docx 再上传）",
}


def open_archive(path: Path, kind: str) -> zipfile.ZipFile:
    """The zip at `path` (a `kind` of `NOT_AN_ARCHIVE`: Excel, Word), its directory within the limits."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise _refused(path, NOT_AN_ARCHIVE[kind]) from error
    try:
        check_directory(path, archive)
    except DataErrors:
        archive.close()
        raise
    return archive


def check_directory(path: Path, archive: zipfile.ZipFile) -> None:
    members = archive.infolist()
    if len(members) > ARCHIVE.members:
        raise _refused(path, f"压缩包内有{len(members)}个部件，超过部件数上限（{ARCHIVE.members}个）")
    total = 0
    for member in members:
        name = member.filename
        if member.file_size > ARCHIVE.member_bytes:
            raise _refused(path, f"部件“{name}”解压后{_size(member.file_size)}，"
                                 f"超过单个部件的大小上限（{_size(ARCHIVE.member_bytes)}）")
        if member.file_size > ARCHIVE.ratio_from_bytes and \
                member.file_size > ARCHIVE.ratio * max(member.compress_size, 1):
            ratio = member.file_size / max(member.compress_size, 1)
            raise _refused(path, f"部件“{name}”的压缩比为{ratio:.0f}:1，超过压缩比上限（{ARCHIVE.ratio}:1），"
                                 "疑为压缩炸弹")
        total += member.file_size
    if total > ARCHIVE.total_bytes:
        raise _refused(path, f"压缩包解压后共{_size(total)}，超过解压总大小上限（{_size(ARCHIVE.total_bytes)}）")


def has_part(archive: zipfile.ZipFile, name: str) -> bool:
    try:
        archive.getinfo(name)
        return True
    except KeyError:
        return False


def open_part(archive: zipfile.ZipFile, name: str) -> IO[bytes]:
    """A stream of one part (KeyError when the archive has none of that name)."""
    return archive.open(name)


def read_part(archive: zipfile.ZipFile, name: str) -> bytes:
    with archive.open(name) as stream:
        return stream.read()


def xml_events(stream: IO[bytes], refuse: Callable[[str], Exception], tags: tuple[str, ...] | None = None
               ) -> Iterator[object]:
    """Each element of one XML part at its end (only those named in `tags`, `{*}row` style, when
    given), streamed: the caller clears what it has read. A DTD (the door to entity bombs and
    external entities), nesting deeper than `XML_DEPTH` and malformed XML each end in
    `refuse(reason)`, an exception the caller has located."""
    events = etree.iterparse(stream, events=("end",), tag=tags, resolve_entities=False, no_network=True,
                             load_dtd=False, huge_tree=False, remove_comments=True, remove_pis=True)
    first = True
    try:
        for _, element in events:
            if first:
                first = False
                if element.getroottree().docinfo.doctype:
                    raise refuse("含有DTD或实体声明（Office文件不应含有，可能是恶意构造的文件）")
            yield element
    except etree.XMLSyntaxError as error:
        if "depth" in str(error).lower():
            raise refuse(f"XML元素嵌套超过嵌套层数上限（{XML_DEPTH}层）") from error
        line = f"（XML第{error.lineno}行）" if error.lineno else ""
        raise refuse(f"文件结构损坏，XML无法解析{line}") from error
    except zipfile.BadZipFile as error:
        raise refuse("压缩数据损坏（校验失败，或实际大小与声明不符）") from error
    except zlib.error as error:
        raise refuse("压缩数据损坏") from error


def local(tag: object) -> str:
    """An element's tag without its namespace (`{…/main}row` → `row`)."""
    return tag[tag.find("}") + 1:] if isinstance(tag, str) else ""


# --- the parts of an Office package ------------------------------------------------------------

REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
STRICT_REL_NS = "http://purl.oclc.org/ooxml/officeDocument/relationships"


def relationship_id(element) -> str | None:
    """The `r:id` of an element (transitional or strict namespace)."""
    return element.get(f"{{{REL_NS}}}id") or element.get(f"{{{STRICT_REL_NS}}}id")


def part_elements(archive: zipfile.ZipFile, part: str, refuse: Callable[[str], Exception]) -> Iterator[object]:
    """Each element of a small XML part at its end; a child of the root is cleared once read."""
    with open_part(archive, part) as stream:
        for element in xml_events(stream, refuse):
            yield element
            parent = element.getparent()
            if parent is not None and parent.getparent() is None:
                element.clear()
                while element.getprevious() is not None:
                    del parent[0]


def relationships(archive: zipfile.ZipFile, part: str, refuse: Callable[[str], Exception]) -> dict[str, tuple[str, str]]:
    """id → (type, target part name) of `part`'s relationships ('' for the package's own)."""
    folder = PurePosixPath(part).parent if part else PurePosixPath("")
    rels = (folder / "_rels" / f"{PurePosixPath(part).name}.rels").as_posix() if part else "_rels/.rels"
    found: dict[str, tuple[str, str]] = {}
    if not has_part(archive, rels):
        return found
    for element in part_elements(archive, rels, refuse):
        if local(element.tag) == "Relationship" and element.get("TargetMode") != "External":
            target = element.get("Target") or ""
            name = target.lstrip("/") if target.startswith("/") else _joined(folder, target)
            found[element.get("Id") or ""] = (element.get("Type") or "", name)
    return found


def main_part(archive: zipfile.ZipFile, refuse: Callable[[str], Exception], default: str) -> str:
    """The package's main part (`xl/workbook.xml`, `word/document.xml`), as its relationships name it."""
    for kind, target in relationships(archive, "", refuse).values():
        if kind.endswith("/officeDocument"):
            return target
    return default


def _joined(folder: PurePosixPath, target: str) -> str:
    parts: list[str] = []
    for piece in (folder / target).parts:
        if piece == "..":
            if parts:
                parts.pop()
        elif piece not in (".", ""):
            parts.append(piece)
    return "/".join(parts)
