"""Hostile input files for every format jixiao reads, and the contract each must meet (a helper
module, not a test module: `tests/test_hostile.py` and `eval/hostile/bench.py` use it).

`CASES` gathers the case modules: `hostile_data` (YAML, JSON, CSV + profile), `hostile_xlsx`,
`hostile_declaration` (申报表 .txt/.tsv/.docx) and `hostile_documents` (corpus documents for
`audit`, `check TEXT` and `index build`); `hostile_files` writes the files, `hostile_case` is the
`Case` itself. This module runs a case (`run_case`: the real CLI in a subprocess) and holds the
contract (`problems`).

Each `Case` writes itself into a folder at run time — bombs are built then, so the repository
holds only this code — names the command that reads it, and says what it must give:

- `expect=0`: legal data. The command succeeds, possibly with warnings (`mentions`: words the
  output must contain) or a cell under review (`review`: the column of a review item in
  `score --json`, issue 10's rule: one unreadable cell never refuses the file).
- `expect=2`: refused. One message on stderr, beginning `错误：`, Chinese (no library's English
  detail: three English words in a row), printable, naming the file and every fragment of `where`
  (sheet, `第N行`, column); a case refused by a stated limit (`limit=True`) says so (one of `LIMIT_WORDS`).

Every case, whatever it expects: no `Traceback`, output that is valid UTF-8 and printable, no
`内部错误` (an exception nobody recognised) and no `内存不足` (memory is bounded by limits, not by
running out), finished within the timeout under the memory cap (`run_case`), nothing written
outside its folder (`leaves_no`), no file's content leaked through an XML entity (`SECRET`).

Where the issue and `../shared/domain.md` leave the outcome open, the choices are:
- weights, budgets and spending must be finite and non-negative, and a weight at most 100 points
  (a refusal naming the cell); a huge but finite budget (1e308) or actual (10^26) is legal;
- a cell that reads as no number or word (`abc`, `nan`, `inf`, a bad date, a broken shared string)
  is a review item, not a refusal;
- a file with no indicators but a budget is legal (it scores the budget);
- text files must be UTF-8 or GB18030 as documented: UTF-16, binary and mixed encodings are refused
  (naming the line where it can be known);
- a DTD or entity inside an Office file is refused (Excel and Word refuse them too);
- a stray cell far outside the table is ignored with a warning naming the cell, and a merge over
  empty cells is harmless; hidden sheets, rows and columns are read with a warning (`隐藏`).
"""
from __future__ import annotations

import json
import os
import re
import resource
import signal
import subprocess
import sys
import threading
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import hostile_data
import hostile_declaration
import hostile_documents
import hostile_xlsx
from assistant.errors import printable
from hostile_case import Case
from hostile_files import DEPT_YAML, ROOT, SECRET

CASES: list[Case] = [*hostile_data.CASES, *hostile_xlsx.CASES, *hostile_declaration.CASES, *hostile_documents.CASES]

COMMANDS = ("score", "check", "draft", "audit", "index", "check-text")
LIMIT_WORDS = ("上限", "超过", "过大", "过多", "过长", "过深")
FORBIDDEN_WORDS = ("Traceback", "内部错误", "内存不足")
MEMORY_CAP = 2 * 1024 ** 3                # bytes of address space for one run (RLIMIT_AS)
TIMEOUT = 60.0                            # seconds for one run
UNPRINTABLE = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
CHECK_TEXT = "本单位按计划开展各项工作。\n"       # the text `check --data` cases check (no figure in it)
OUTPUT_KEPT = 4 * 1024 ** 2                     # bytes of stdout/stderr kept for the contract


# --- running a case -------------------------------------------------------------------------------

@dataclass
class Outcome:
    returncode: int | None          # None: killed at the timeout
    stdout: bytes
    stderr: bytes
    seconds: float
    peak_mb: float                  # peak resident memory of the command (VmHWM, polled every 10 ms)
    timed_out: bool = False
    argv: list[str] = field(default_factory=list)


def command_line(case: Case, folder: Path) -> tuple[list[str], Path, str]:
    """Build the case in `folder`; the CLI arguments, the file read, and the name its messages name."""
    if case.command == "index":
        corpus = folder / "corpus"
        corpus.mkdir()
        path = case.build(corpus)
        argv = ["index", "build", "--corpus", str(corpus), "--index", str(folder / "index"), "--quiet"]
        return argv, path, case.names or path.name
    path = case.build(folder)
    named = case.names or path.name
    if case.command == "score":
        return ["score", str(path)] + (["--json"] if case.review else []), path, named
    if case.command == "check":
        text = folder / "核对文本.txt"
        text.write_text(CHECK_TEXT, encoding="utf-8")
        return ["check", str(text), "--data", str(path)], path, named
    if case.command == "check-text":
        return ["check", str(path), "--data", str(DEPT_YAML)], path, named
    if case.command == "draft":
        return ["draft", str(path), "--no-index", "--out", str(folder / "草稿.docx")], path, named
    if case.command == "audit":
        return ["audit", str(path)], path, named
    raise ValueError(case.command)


def run_cli(argv: list[str], cwd: Path, *, memory_cap: int = MEMORY_CAP, timeout: float = TIMEOUT,
            env: dict | None = None) -> Outcome:
    """`python -m assistant.cli ARGV` under an address-space cap and a timeout (the whole process
    group is killed at the timeout), with its peak resident memory."""
    def limits() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (memory_cap, memory_cap))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    environment = {**os.environ, **(env or {}), "HF_HUB_OFFLINE": "1", "GRADIO_ANALYTICS_ENABLED": "False",
                   "PYTHONPATH": os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p)}
    environment.setdefault("JIXIAO_INDEX", str(cwd / "index"))
    started = time.monotonic()
    process = subprocess.Popen([sys.executable, "-m", "assistant.cli", *argv], cwd=cwd, env=environment,
                               stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               preexec_fn=limits, start_new_session=True)
    streams = {"stdout": bytearray(), "stderr": bytearray()}

    def drain(name: str, pipe) -> None:
        kept = streams[name]
        for chunk in iter(lambda: pipe.read(65536), b""):
            if len(kept) < OUTPUT_KEPT:
                kept += chunk[: OUTPUT_KEPT - len(kept)]
    readers = [threading.Thread(target=drain, args=(name, getattr(process, name)), daemon=True) for name in streams]
    for reader in readers:
        reader.start()
    timed_out, peak_kb = False, 0
    while True:
        peak_kb = max(peak_kb, high_water_kb(process.pid))
        pid, status, _ = os.wait4(process.pid, os.WNOHANG)
        if pid:
            break
        if time.monotonic() - started > timeout:
            timed_out = True
            os.killpg(process.pid, signal.SIGKILL)
            pid, status, _ = os.wait4(process.pid, 0)
            break
        time.sleep(0.01)
    seconds = time.monotonic() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    for reader in readers:
        reader.join(timeout=10)
    return Outcome(None if timed_out else process.returncode, bytes(streams["stdout"]), bytes(streams["stderr"]),
                   seconds, peak_kb / 1024, timed_out, argv)


def high_water_kb(pid: int) -> int:
    """The process's peak resident memory so far (`VmHWM`, kB), 0 once it has exited. Polled, because
    `wait4`'s `ru_maxrss` starts from the parent's size at fork (Linux copies the high-water mark
    into the child), which would charge this process's own bombs to every command it runs."""
    try:
        with open(f"/proc/{pid}/status", "rb") as status:
            for line in status:
                if line.startswith(b"VmHWM:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def run_case(case: Case, folder: Path, **options) -> tuple[Outcome, list[str]]:
    """Build and run one case in `folder`: its outcome and every way it breaks the contract."""
    argv, _, named = command_line(case, folder)
    outcome = run_cli(argv, folder, **options)
    return outcome, problems(case, outcome, folder, named)


# --- the contract ---------------------------------------------------------------------------------

CJK = re.compile(r"[\u4e00-\u9fff]")
# a library's English detail left in a message: three lowercase English words in a row
ENGLISH = re.compile(r"\b[a-z]{2,}(?:[ ,'][a-z]{2,}){2,}\b")


def unprintable(text: str) -> list[str]:
    return [f"U+{ord(ch):04X}" for ch in text if ch not in "\n\t" and unicodedata.category(ch) in UNPRINTABLE]


def problems(case: Case, outcome: Outcome, folder: Path, named: str) -> list[str]:
    """How `outcome` breaks the case's contract (empty when it holds)."""
    found = []
    if outcome.timed_out:
        return [f"timed out after {outcome.seconds:.0f} s (peak {outcome.peak_mb:.0f} MB)"]
    texts = {}
    for name in ("stdout", "stderr"):
        raw = getattr(outcome, name)
        try:
            texts[name] = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            found.append(f"{name} is not valid UTF-8 ({error})")
            texts[name] = raw.decode("utf-8", errors="replace")
    out, err = texts["stdout"], texts["stderr"]
    both = out + err
    if outcome.returncode != case.expect:
        found.append(f"exit {outcome.returncode}, expected {case.expect}: {last_lines(err or out)}")
    for word in FORBIDDEN_WORDS:
        if word in both:
            found.append(f"output contains {word!r}: {last_lines(err)}")
    bad = unprintable(both)
    if bad:
        found.append(f"unprintable characters in the output: {', '.join(sorted(set(bad))[:8])}")
    if SECRET in both:
        found.append("an XML entity leaked a local file's content")
    for relative in case.leaves_no:
        if (folder / relative).exists():
            found.append(f"wrote {relative} outside its place")
    if case.expect == 2 and outcome.returncode == 2:
        found += refusal_problems(case, err, named)
    if case.expect == 0 and outcome.returncode == 0:
        for word in case.mentions:
            if word not in both:
                found.append(f"the output does not mention {word!r}")
        if case.review:
            found += review_problems(case, out)
    return found


def refusal_problems(case: Case, err: str, named: str) -> list[str]:
    found = []
    if not err.startswith("错误："):
        found.append(f"the message does not begin with 错误：: {last_lines(err)}")
    if not CJK.search(err.replace("错误：", "")):
        found.append("the message is not in Chinese")
    english = ENGLISH.search(err.replace(named, ""))
    if english:
        found.append(f"the message keeps English detail ({english.group()!r}): {last_lines(err)}")
    shown = printable(named, newlines=False)
    if shown not in err:
        found.append(f"the message does not name the file {shown!r}: {last_lines(err)}")
    for fragment in case.where:
        if fragment not in err:
            found.append(f"the message does not name {fragment!r}: {last_lines(err)}")
    if case.limit and not any(word in err for word in LIMIT_WORDS):
        found.append(f"the message does not say which limit: {last_lines(err)}")
    return found


def review_problems(case: Case, out: str) -> list[str]:
    try:
        payload = json.loads(out)
    except ValueError:
        return ["score --json printed no JSON"]
    items = list(payload.get("review") or [])
    for indicator in payload.get("indicators") or []:
        items += indicator.get("needs_review") or []
    if not any(case.review in json.dumps(item, ensure_ascii=False) for item in items):
        return [f"no review item names {case.review!r} (review items: {len(items)})"]
    return []


def last_lines(text: str, count: int = 3, width: int = 300) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()][-count:]
    return " | ".join(line[:width] for line in lines) or "(nothing)"


def by_name() -> dict[str, Case]:
    return {c.name: c for c in CASES}


assert len(by_name()) == len(CASES), "case names must be unique"
