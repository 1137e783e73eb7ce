"""Hostile input, read by the real CLI: every case of `hostile.py` under a memory cap and a timeout.

For each case the command exits 0 (legal data, possibly with warnings or cells under review) or
2 (refused, with one located, printable Chinese message), never prints a traceback, and stays
within `hostile.MEMORY_CAP` and `hostile.TIMEOUT`. The contract is `hostile.problems`; the
benchmark `python -m eval.hostile.bench` runs the same cases and reports time and memory.
"""
from __future__ import annotations

import os
import zipfile
import zlib
from concurrent.futures import ThreadPoolExecutor

import pytest

import hostile
import hostile_files
import hostile_xlsx

pytestmark = pytest.mark.slow        # about 160 CLI runs


@pytest.fixture(scope="module")
def outcomes(request, tmp_path_factory) -> dict:
    """Every selected case run once, as many at a time as the machine has cores (each case is its own
    CLI process in its own folder, under its own cap and timeout): case name → (outcome, problems)."""
    selected = [item.callspec.params["case"] for item in request.session.items
                if getattr(item, "originalname", None) == "test_hostile_file"]
    root = tmp_path_factory.mktemp("hostile")

    def one(case: hostile.Case):
        folder = root / case.name
        folder.mkdir()
        return case.name, hostile.run_case(case, folder)

    with ThreadPoolExecutor(max_workers=max(1, min(4, os.cpu_count() or 1))) as pool:
        return dict(pool.map(one, selected))


@pytest.mark.parametrize("case", hostile.CASES, ids=[c.name for c in hostile.CASES])
def test_hostile_file(case: hostile.Case, outcomes):
    outcome, problems = outcomes[case.name]
    assert not problems, f"{case.about}: jixiao {' '.join(outcome.argv)}: " + "; ".join(problems)


def test_the_registry_covers_every_format_command_and_kind():
    cases = hostile.CASES
    assert len(cases) >= 80
    assert {c.command for c in cases} == set(hostile.COMMANDS)
    suffixes = {c.name.split("_")[0] for c in cases}
    assert {"yaml", "json", "csv", "xlsx", "xlsm", "txt", "tsv", "docx", "audit", "index"} <= suffixes
    assert {c.item for c in cases} >= {"1", "2", "3", "5", "6", "10"}
    assert {c.expect for c in cases} == {0, 2}
    assert sum(c.bomb for c in cases) >= 10


def test_bombs_are_small_on_disk_and_inflate_as_built(tmp_path):
    """The bombs are what they claim: a few MB that inflate about a thousandfold, with valid CRCs."""
    member = hostile_files.deflate_bomb("x.xml", b"<a>", b"AB", 1 << 25, b"</a>")
    inflated = zlib.decompressobj(-15).decompress(member.deflated)
    assert len(inflated) == member.size and zlib.crc32(inflated) == member.crc
    assert inflated.startswith(b"<a>ABAB") and inflated.endswith(b"AB</a>")
    assert member.size / len(member.deflated) > 500
    folder = tmp_path / "bomb"
    folder.mkdir()
    path = hostile_xlsx.xlsx_shared_strings_bomb(folder)
    with zipfile.ZipFile(path) as z:
        declared = sum(i.file_size for i in z.infolist())
    assert path.stat().st_size < 4 * 1024 ** 2 and declared > 3 * 1024 ** 3


def test_the_runner_applies_the_cap_and_the_timeout(tmp_path):
    """A normal run is measured; a run under a tiny cap cannot start; one past its timeout is killed."""
    normal = hostile.run_cli(["eval", "hostile", "--help"], tmp_path)
    assert normal.returncode == 0 and not normal.timed_out and normal.peak_mb > 5
    assert "python -m eval.hostile.bench" in normal.stdout.decode("utf-8")
    starved = hostile.run_cli(["--help"], tmp_path, memory_cap=32 * 1024 ** 2)
    assert starved.returncode not in (0, None)
    killed = hostile.run_cli(["--help"], tmp_path, timeout=0.01)
    assert killed.timed_out and killed.returncode is None
