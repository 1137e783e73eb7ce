"""A draft as PDF: its .docx converted by LibreOffice in headless mode, where LibreOffice is installed.

Each conversion runs `soffice --headless --convert-to pdf` with a private, temporary user profile
(so it neither touches nor waits for an officer's running LibreOffice) and a fontconfig file that
puts the Noto CJK faces behind the official fonts (`fonts.fontconfig_file`), with a timeout.
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from ..errors import JixiaoError
from .fonts import fontconfig_file
from .word import to_docx

SOFFICE_NAMES = ("soffice", "libreoffice")
TIMEOUT_SECONDS = 120
MISSING = ("无法生成 PDF：本机未安装 LibreOffice（找不到 soffice 命令）。"
           "请安装 LibreOffice（Debian/Ubuntu：apt-get install libreoffice-writer-nogui fonts-noto-cjk），"
           "或下载 .docx 后用 WPS 或 Word 另存为 PDF。")


def soffice() -> str | None:
    for name in SOFFICE_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def pdf_available() -> bool:
    return soffice() is not None


def to_pdf(draft, path, timeout: float = TIMEOUT_SECONDS) -> Path:
    """Write the draft's .docx and convert it; returns the PDF's path."""
    path = Path(path)
    with tempfile.TemporaryDirectory(prefix="jixiao-pdf-") as work:
        docx = to_docx(draft, Path(work) / f"{path.stem}.docx")
        return docx_to_pdf(docx, path, timeout=timeout)


def docx_to_pdf(docx, path, timeout: float = TIMEOUT_SECONDS) -> Path:
    program = soffice()
    if program is None:
        raise JixiaoError(MISSING)
    docx, path = Path(docx), Path(path)
    with tempfile.TemporaryDirectory(prefix="jixiao-soffice-") as work:
        work = Path(work)
        environment = {**os.environ, "FONTCONFIG_FILE": str(fontconfig_file(work / "fonts.conf", base=_fontconfig_base()))}
        command = [program, f"-env:UserInstallation={(work / 'profile').as_uri()}", "--headless", "--norestore",
                   "--nologo", "--convert-to", "pdf", "--outdir", str(work / "out"), str(docx)]
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=environment,
                                   start_new_session=True)
        try:
            output, _ = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)      # soffice starts soffice.bin in its process group
            process.communicate()
            raise JixiaoError(f"生成 PDF 超时（LibreOffice 超过{timeout:g}秒未完成转换），请稍后重试或下载 .docx。") from None
        produced = work / "out" / f"{docx.stem}.pdf"
        if process.returncode != 0 or not produced.exists():
            detail = output.decode("utf-8", "replace").strip().splitlines()[-1:] or ["无输出"]
            raise JixiaoError(f"LibreOffice 未能将 .docx 转换为 PDF（退出码 {process.returncode}：{detail[0]}）")
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(produced), str(path))
    return path


def _fontconfig_base() -> str:
    """The configuration the conversion's fontconfig file includes: the caller's, else the system's."""
    return os.environ.get("FONTCONFIG_FILE") or "/etc/fonts/fonts.conf"
