"""The package stands on its own: built as a wheel and run from another folder, it drafts with its
prompts and data, and needs nothing of the checkout around it."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "2023_商协会服务集聚区_项目.yaml"


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """The wheel `pip wheel .` builds, unpacked as site-packages would hold it."""
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(out),
                    str(ROOT)], check=True, capture_output=True, timeout=300)
    wheel = next(out.glob("jixiao-*.whl"))
    site = out / "site"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(site)
    return site


def run_installed(site: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(site), "JIXIAO_INDEX": str(cwd / "index")}
    env.pop("JIXIAO_PROMPTS", None)
    return subprocess.run([sys.executable, "-m", "assistant.cli", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=300)


def test_the_wheel_carries_its_prompts_and_data(installed):
    assert (installed / "assistant" / "prompts" / "system.md").is_file()
    assert (installed / "assistant" / "prompts" / "chat_system.md").is_file()
    assert (installed / "assistant" / "data" / "userdict.txt").is_file()
    assert not (installed / "eval").exists() and not (installed / "prompts").exists()


def test_an_installed_package_drafts_from_another_folder(installed, tmp_path):
    result = run_installed(installed, tmp_path, "draft", str(EXAMPLE), "--section", "conclusion", "--json")
    assert result.returncode == 0, result.stderr
    draft = json.loads(result.stdout)
    assert draft["ok"] and draft["sections"][0]["key"] == "conclusion"
    assert "未使用资料库" in result.stderr          # no corpus here: drafted without citations, and said so
    assert not (tmp_path / "index").exists()       # and no index folder left behind


def test_an_installed_package_drafts_with_a_model_and_its_prompts(installed, tmp_path):
    result = run_installed(installed, tmp_path, "draft", str(EXAMPLE), "--section", "conclusion", "--writer", "fake",
                           "--no-index", "--json")
    assert result.returncode == 0, result.stderr
    section = json.loads(result.stdout)["sections"][0]
    assert section["writer"] == "fake" and "【待核实" in section["text"]      # the liar is caught


def test_eval_says_it_needs_the_checkout(installed, tmp_path):
    result = run_installed(installed, tmp_path, "eval", "figures")
    assert result.returncode == 2 and "源代码目录" in result.stderr
