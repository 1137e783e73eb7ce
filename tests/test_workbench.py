"""Saved work (assistant/workbench): the SQLite store, corrections of cells, the officer's draft edits,
and a session rebuilt from the store as it was left — with real files, real SQLite, real loaders."""
from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from openpyxl import load_workbook

from assistant.chat import ChatSession
from assistant.errors import DataErrors, JixiaoError
from assistant.export import to_markdown
from assistant.workbench import Correction, awaiting_review, SessionNotFound, Store, Turn, Work, correctable_cells, read_evaluation
from assistant.workbench.store import SCHEMA_VERSION

ROOT = Path(__file__).resolve().parents[1]
DEPT = ROOT / "examples" / "2023_港澳办_部门整体.yaml"
PROJECT_XLSX = ROOT / "examples" / "2023_商协会服务集聚区_项目.xlsx"
DECLARATION = ROOT / "examples" / "2024_港澳办_申报表.docx"


def files_of(*paths: Path) -> list[tuple[str, bytes]]:
    return [(p.name, p.read_bytes()) for p in paths]


def approximate_xlsx(tmp_path: Path) -> Path:
    """The project table with one actual written as a one-sided approximation (`超40篇`): it loads with
    that cell awaiting confirmation (a review item), its indicator not scored."""
    book = load_workbook(PROJECT_XLSX)
    sheet = book["绩效指标"]
    header = [c.value for c in sheet[1]]
    sheet.cell(row=3, column=header.index("实际完成值") + 1, value="超40篇")
    path = tmp_path / "项目_约数.xlsx"
    book.save(path)
    return path


def new_work(store: Store, owner: str = "user:张三") -> Work:
    return Work(store, owner, ChatSession())


def reopened(store_root: Path, work: Work) -> Work:
    """The same session read back by a fresh store (as after a server restart)."""
    return Work.open(Store(store_root), work.owner, work.id, ChatSession())


def test_store_schema_owner_isolation_and_delete(tmp_path):
    store = Store(tmp_path)
    assert sqlite3.connect(tmp_path / "jixiao.sqlite3").execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert sqlite3.connect(tmp_path / "jixiao.sqlite3").execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    sid = store.create("user:张三", files=files_of(DEPT), title="港澳办 2023年度", source=DEPT.name)
    store.add_turn("user:张三", sid, Turn(question="总分是多少？", answer_html="<p>99.97分</p>", answer_text="99.97分"))
    assert [s.id for s in store.sessions("user:张三")] == [sid]
    assert store.sessions("user:李四") == []
    for call in (lambda: store.load("user:李四", sid), lambda: store.delete("user:李四", sid),
                 lambda: store.add_turn("user:李四", sid, Turn(question="x"))):
        with pytest.raises(SessionNotFound):
            call()
    saved = store.load("user:张三", sid)
    assert saved.files[0].path.read_bytes() == DEPT.read_bytes() and saved.turns[0].answer_text == "99.97分"
    folder = tmp_path / "sessions" / sid
    assert folder.is_dir()
    store.delete("user:张三", sid)
    assert not folder.exists() and store.sessions("user:张三") == []
    # a folder no row points to (a crash between writing files and committing) goes on the next open
    (tmp_path / "sessions" / "orphan").mkdir()
    Store(tmp_path)
    assert not (tmp_path / "sessions" / "orphan").exists()


def test_a_newer_schema_is_refused(tmp_path):
    Store(tmp_path).close()
    db = sqlite3.connect(tmp_path / "jixiao.sqlite3")
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    db.close()
    with pytest.raises(JixiaoError, match="更新版本"):
        Store(tmp_path)


def test_session_comes_back_with_data_conversation_and_edited_draft(tmp_path):
    store = Store(tmp_path)
    work = new_work(store)
    work.load_data(files_of(DEPT), DEPT.name)
    assert work.saved and work.saved_at
    for question in ("哪些指标没有完成？", "起草存在的问题部分"):
        answer = work.chat.answer(question)
        work.record_turn(Turn(question=question, answer_text=answer.text, answer_html=f"<div>{answer.text}</div>",
                              citations=answer.citations, intent=answer.intent))
    assert "problems" in work.drafted                       # drafted in the chat: part of the saved draft
    work.draft_report("部门整体", ["background", "measures"])
    assert set(work.chat.sections) == {"problems", "background", "measures"}
    edited = work.officer_text("problems") + "\n全年共举办培训37场。"
    work.edit("problems", edited)
    work.remove("background")
    work.set_feedback(work.turns[0], "有用")

    again = reopened(tmp_path, work)
    assert again.chat.evaluation.unit_name == work.chat.evaluation.unit_name
    assert [t.question for t in again.turns] == ["哪些指标没有完成？", "起草存在的问题部分"]
    assert again.turns[0].feedback == "有用"
    assert [m["role"] for m in again.chat.history] == ["user", "assistant"] * 2
    # the officer's text comes back as written; only the shown/exported copy is marked
    assert again.officer_text("problems") == edited.strip()
    assert "【待核实" not in again.officer_text("problems")
    assert "【待核实：原文“37场”" in again.chat.sections["problems"].text
    assert "background" not in again.chat.sections and "background" in again.removed
    markdown = to_markdown(again.chat.draft())
    assert "37场" in markdown and "【待核实：原文“37场”" in markdown and "部门基本情况" not in markdown
    again.restore("background")
    assert "background" in reopened(tmp_path, again).chat.sections


def test_regenerating_a_section_replaces_the_officers_text(tmp_path):
    store = Store(tmp_path)
    work = new_work(store)
    work.load_data(files_of(DEPT), DEPT.name)
    work.draft_report("部门整体", ["measures"])
    work.edit("measures", "改写后的措施。")
    work.remove("measures")
    work.regenerate("measures")
    assert "measures" not in work.officer_texts and "measures" not in work.removed
    assert reopened(tmp_path, work).officer_text("measures") == work.drafted["measures"].text.strip()


def test_new_data_keeps_the_conversation_with_a_separator_and_starts_a_new_draft(tmp_path):
    store = Store(tmp_path)
    work = new_work(store)
    work.load_data(files_of(DEPT), DEPT.name)
    answer = work.chat.answer("总分是多少？")
    work.record_turn(Turn(question="总分是多少？", answer_text=answer.text, answer_html=answer.text))
    work.draft_report("部门整体", ["conclusion"])
    work.load_data(files_of(PROJECT_XLSX), PROJECT_XLSX.name)
    assert [t.kind for t in work.turns] == ["answer", "separator"]
    assert PROJECT_XLSX.name in work.turns[-1].answer_text
    again = reopened(tmp_path, work)
    assert [t.kind for t in again.turns] == ["answer", "separator"]
    assert again.chat.sections == {} and again.source == PROJECT_XLSX.name
    assert len(list((tmp_path / "sessions" / work.id).iterdir())) == 1     # the old data folder is gone


def test_an_approximate_actual_is_corrected_in_place_and_kept_as_the_officers_edit(tmp_path):
    bad = approximate_xlsx(tmp_path)
    store = Store(tmp_path / "data")
    work = new_work(store)
    work.load_data(files_of(bad), bad.name)
    assert work.pending is None and work.chat.card.indicators[1].pending      # loaded; that indicator awaits
    [item] = awaiting_review(work.chat.evaluation)
    assert (item.sheet, item.row, item.column, item.value) == ("绩效指标", 3, "实际完成值", "超40篇")
    assert "约数" in item.reason
    evaluation = work.correct(item.correction("16篇"))
    assert evaluation is not None and work.pending is None and work.saved
    indicator = evaluation.indicators[1]
    assert indicator.actual.text == "16篇" and not work.chat.card.indicators[1].pending
    assert indicator.sources["actual"].correction == "经办人更正：界面更正，原值“超40篇”"
    # the figure's source on hover says so
    answer = work.chat.answer(f"{indicator.name}实际完成多少？")
    sources = [f.source for f in answer.figures if f.text == "16篇"]
    assert sources and "经办人更正：界面更正，原值“超40篇”" in sources[0]
    again = reopened(tmp_path / "data", work)
    assert again.corrections == work.corrections
    assert again.chat.evaluation.indicators[1].actual.text == "16篇"


def test_a_correction_of_loaded_data_rescores_and_rechecks_the_draft(tmp_path):
    store = Store(tmp_path)
    work = new_work(store)
    work.load_data(files_of(PROJECT_XLSX), PROJECT_XLSX.name)
    before = work.chat.card.total
    work.draft_report("项目", ["indicators"])
    cell = next(c for c in correctable_cells(work.chat.evaluation)
                if c.column == "实际完成值" and c.value == "386人次")
    work.correct(cell.correction("450人次"))
    assert work.chat.card.total > before
    # the draft said 386人次: it no longer verifies, and the exported copy marks it
    assert "【待核实：原文“386人次”" in work.chat.sections["indicators"].text
    again = reopened(tmp_path, work)
    assert again.chat.card.total == work.chat.card.total
    assert [c.value for c in again.corrections] == ["450人次"]


def test_a_bad_correction_leaves_the_data_as_it_was(tmp_path):
    work = new_work(Store(tmp_path))
    work.load_data(files_of(PROJECT_XLSX), PROJECT_XLSX.name)
    total = work.chat.card.total
    with pytest.raises(DataErrors, match="没有第99行"):       # a correction that matches no cell changes nothing
        work.correct(Correction(sheet="绩效指标", row=99, column="实际完成值", value="41篇"))
    assert work.chat.card.total == total and work.corrections == []


def test_declaration_reads_as_targets_only():
    evaluation = read_evaluation(files_of(DECLARATION))
    assert evaluation.targets_only
    assert not read_evaluation(files_of(DEPT)).targets_only


def test_csv_with_its_profile_is_one_upload(tmp_path):
    (tmp_path / "指标.csv").write_text("一级指标,三级指标,年度指标值,实际完成值\n产出指标,培训场次,≥10场,12场\n", encoding="utf-8")
    (tmp_path / "指标.yaml").write_text("单位名称: 某局\n年度: 2023\n预算安排: 100\n实际支出: 90\n", encoding="utf-8")
    evaluation = read_evaluation(files_of(tmp_path / "指标.yaml", tmp_path / "指标.csv"))
    assert evaluation.unit_name == "某局" and evaluation.indicators[0].actual.text == "12场"


WRITER = textwrap.dedent("""
    import os, signal, sys
    from assistant.chat import ChatSession
    from assistant.workbench import Store, Turn, Work
    from pathlib import Path
    store = Store(sys.argv[1])
    work = Work(store, "browser:abc", ChatSession())
    path = Path(sys.argv[2])
    work.load_data([(path.name, path.read_bytes())], path.name)
    work.record_turn(Turn(question="总分是多少？", answer_text="99.97分", answer_html="99.97分"))
    work.draft_report("部门整体", ["measures"])
    work.edit("measures", "经办人改写的措施。")
    print(work.id, flush=True)
    os.kill(os.getpid(), signal.SIGKILL)      # nothing after the last save: no clean shutdown at all
""")


def test_everything_saved_survives_sigkill(tmp_path):
    process = subprocess.run([sys.executable, "-c", WRITER, str(tmp_path), str(DEPT)], capture_output=True, text=True,
                             cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=120)
    assert process.returncode == -signal.SIGKILL, process.stderr
    session_id = process.stdout.strip()
    again = Work.open(Store(tmp_path), "browser:abc", session_id, ChatSession())
    assert [t.question for t in again.turns] == ["总分是多少？"]
    assert again.officer_text("measures") == "经办人改写的措施。"
    assert again.chat.card.total == pytest.approx(99.97, abs=0.005)


def test_a_draft_is_checked_again_when_its_data_reads_differently_on_reopening(tmp_path):
    """Saved drafts were checked against the data as it read then; if the files read differently now
    (a newer loader, a file changed behind the store's back), no figure of the old reading leaks."""
    store = Store(tmp_path)
    work = new_work(store)
    project = ROOT / "examples" / "2023_商协会服务集聚区_项目.yaml"
    work.load_data(files_of(project), project.name)
    work.draft_report("项目", ["indicators"])
    assert "386人次" in work.chat.sections["indicators"].text
    unchanged = reopened(tmp_path, work)
    assert unchanged.restore_error == "" and unchanged.chat.sections["indicators"].text == work.chat.sections["indicators"].text
    [saved] = store.load(work.owner, work.id).files
    saved.path.write_bytes(saved.path.read_bytes().replace("386人次".encode(), "390人次".encode()))
    again = reopened(tmp_path, work)
    assert "重新核对" in again.restore_error
    assert "【待核实：原文“386人次”" in again.chat.sections["indicators"].text


def test_asking_again_drops_the_last_answer_from_the_store_and_the_models_history(tmp_path):
    work = new_work(Store(tmp_path))
    work.load_data(files_of(DEPT), DEPT.name)
    for question in ("总分是多少？", "预算执行率是多少？"):
        answer = work.chat.answer(question)
        work.record_turn(Turn(question=question, answer_text=answer.text, answer_html=answer.text))
    dropped = work.drop_last_turn()
    assert dropped.question == "预算执行率是多少？"
    assert [m["content"] for m in work.chat.history if m["role"] == "user"] == ["总分是多少？"]
    assert [t.question for t in reopened(tmp_path, work).turns] == ["总分是多少？"]


# --- item 4 of issue 16: a new file replaces the data only once it has loaded, scored and been saved --

def state_of(work: Work) -> tuple:
    """What the session's answers are drawn from, and what the store would reopen."""
    ledger = sorted(e.printed for e in work.chat.ledger.entries)
    return (work.chat.evaluation, work.chat.card, ledger, work.source, list(work.files), work.info().source)


def test_a_file_that_does_not_score_leaves_the_session_as_it_was(tmp_path):
    """A file that loads but whose scoring fails (today: spending of 1e308) is either used whole —
    its own budget and its own ledger — or not at all; never the new budget with the old ledger."""
    import hostile_data

    work = new_work(Store(tmp_path / "data"))
    work.load_data(files_of(DEPT), DEPT.name)
    asked = work.chat.answer("预算执行率是多少？")
    work.record_turn(Turn(question="预算执行率是多少？", answer_text=asked.text, answer_html=asked.text))
    before = state_of(work)
    hostile = hostile_data.yaml_spent_1e308(tmp_path)
    try:
        work.load_data(files_of(hostile), hostile.name)
    except JixiaoError as error:
        assert hostile.name in str(error) and "Traceback" not in str(error)
        assert state_of(work) == before and work.pending is None
        assert "99.66%" in work.chat.answer("预算执行率是多少？").text        # the old budget, the old ledger
        again = reopened(tmp_path / "data", work)
        assert again.source == DEPT.name and again.chat.card.total == work.chat.card.total
        assert [t.kind for t in again.turns] == ["answer"]                  # no separator for data never used
    else:                                   # scoring holds (phase 2's scoring fixes): the new data, whole
        assert work.source == hostile.name and work.chat.evaluation.source_file.endswith(hostile.name)
        assert "99.66%" not in work.chat.answer("预算执行率是多少？").text
        assert reopened(tmp_path / "data", work).source == hostile.name


def test_new_data_that_cannot_be_saved_is_not_used(tmp_path):
    """The store fails while writing the new files (its sessions folder is gone, a file in its place):
    the session keeps its old data in memory and in the store, and the error says so."""
    store = Store(tmp_path / "data")
    work = new_work(store)
    work.load_data(files_of(DEPT), DEPT.name)
    work.draft_report("部门整体", ["conclusion"])
    before = state_of(work)
    sections = dict(work.chat.sections)
    moved = store.sessions_dir.with_name("moved")
    store.sessions_dir.rename(moved)
    store.sessions_dir.write_text("not a folder")
    try:
        with pytest.raises(OSError):
            work.load_data(files_of(PROJECT_XLSX), PROJECT_XLSX.name)
        assert state_of(work)[:5] == before[:5] and work.chat.sections == sections and work.drafted
        assert "99.66%" in work.chat.answer("预算执行率是多少？").text
    finally:
        store.sessions_dir.unlink()
        moved.rename(store.sessions_dir)
    again = reopened(tmp_path / "data", work)
    assert again.source == DEPT.name and set(again.drafted) == {"conclusion"}
