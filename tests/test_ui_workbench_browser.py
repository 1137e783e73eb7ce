"""The officer's workbench in a real headless Chromium: work that survives a reload, a restart and a
`kill -9` and stays with its owner; a data tab that shows the data just loaded (a declaration as
targets awaiting actuals, cells corrected in place); a draft edited section by section; the page in
Chinese whatever the browser's language; typed HTML that stays text; corpus types, progress and
removal; chat controls (stop, ask again, separators, feedback, citations that open).
Screenshots: test-output/screenshots/ (names start with `w`).
"""
from __future__ import annotations

import re
import shutil
import signal
import time
from pathlib import Path

import pytest
from openpyxl import load_workbook

from drafting_fixtures import OpenAICompatibleServer
from ui_fixtures import (DEPARTMENT, EXAMPLES, PROJECT, ask, chromium, english_on_page, free_port, load_example, log_in,
                         new_page, open_app, running_app, screenshot, served, upload, wait_ready, wait_saved)

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.timeout(900)]

PROJECT_XLSX = EXAMPLES / "2023_商协会服务集聚区_项目.xlsx"
DECLARATION = EXAMPLES / "2024_港澳办_申报表.docx"
TABS = ("数据", "对话", "报告草稿", "资料库", "历史")


@pytest.fixture(scope="module")
def browser():
    with chromium() as b:
        yield b


@pytest.fixture(scope="module")
def app_url():
    with running_app() as (_app, url):
        yield url


@pytest.fixture
def external():
    seen: list[str] = []
    yield seen
    assert seen == [], f"页面请求了外部地址：{seen}"


def bars(page) -> int:
    return page.locator("#completion-chart rect.bar").count()


def generate(page, *names: str):
    """Draft the named sections (all when none are named) on the draft tab."""
    page.get_by_role("tab", name="报告草稿").click()
    if names:
        for box in page.locator("#draft-sections label").all():
            checked = box.locator("input").is_checked()
            if (box.inner_text().strip() in names) != checked:
                box.click()
    saved = page.locator("#save-status").get_attribute("data-saved")
    page.locator("#draft-generate").click()
    wait_saved(page, after=saved)


def type_into(page, key: str, text: str, shown: str | None = None):
    """Append `text` to a section's editor as an officer types; wait until all of it is saved and the view
    beside shows it (`shown`: what the view then holds; default the text's last four characters)."""
    page.get_by_role("tab", name="报告草稿").click()
    editor = page.locator(f"#edit-{key} textarea")
    saved = wait_saved(page)
    editor.click()
    page.keyboard.press("Control+End")
    editor.press_sequentially(text)
    wait_saved(page, after=saved)
    page.wait_for_function("([key, text]) => (document.querySelector('#view-' + key)?.innerText || '').includes(text)",
                           arg=[key, shown or text.strip()[-4:]], timeout=60_000)
    # the last keystroke's save: the save line stops changing (one edit in flight at most, then the last)
    settled, deadline = wait_saved(page), time.time() + 60
    while time.time() < deadline:
        time.sleep(1.0)
        now = wait_saved(page)
        if now == settled:
            break
        settled = now


def download_text(page, tmp_path: Path, name: str) -> str:
    with page.expect_download() as info:
        page.locator("#download-md").click()
    path = tmp_path / name
    info.value.save_as(path)
    return path.read_text(encoding="utf-8")


# --- 1. the chart, the cards and the table show the data just loaded ---------------------------------

def test_chart_cards_and_table_follow_the_data_just_loaded(browser, app_url, external):
    page = open_app(browser, app_url, external)
    load_example(page, DEPARTMENT.name)
    assert bars(page) == 16 and "港澳合作事务办公室" in page.locator("#data-summary").inner_text()
    assert page.locator("#completion-chart rect.swatch").count() == 2          # the legend has its swatches
    upload(page, PROJECT_XLSX)
    assert bars(page) == 6 and page.locator("#completion-chart rect.bar-under").count() == 1
    assert "综合保障经费" in page.locator("#data-summary").inner_text()
    assert page.locator("#score-table tbody tr").count() == 6
    screenshot(page, "w01_chart_after_upload")
    load_example(page, DEPARTMENT.name)
    assert bars(page) == 16 and page.locator("#score-table tbody tr").count() == 16
    upload(page, DECLARATION)
    assert bars(page) == 0
    page.close()


# --- 2. a declaration: targets awaiting actuals, no score, no grade ----------------------------------

def test_a_declaration_shows_targets_awaiting_actuals(browser, app_url, external):
    page = open_app(browser, app_url, external)
    upload(page, DECLARATION)
    summary = page.locator("#data-summary").inner_text()
    assert "待填报" in summary and "目标申报表" in summary
    assert page.locator("#total-score").count() == 0 and page.locator("#grade").count() == 0
    assert "0分" not in summary and "差" not in summary and "未完成" not in summary
    assert page.locator("#score-table td.pending").count() == 22
    assert "待填报实际完成值" in page.locator("#score-table").inner_text() and bars(page) == 0
    screenshot(page, "w02_declaration")
    answer = ask(page, "哪些指标没有完成？")
    assert "尚未填报实际完成值" in answer and "均已完成" not in answer
    generate(page, "评价结论")
    assert "暂不能计算自评得分" in page.locator("#view-conclusion").inner_text()
    page.close()


def test_an_approximate_actual_is_corrected_in_place(browser, app_url, external, tmp_path):
    book = load_workbook(PROJECT_XLSX)
    sheet = book["绩效指标"]
    header = [c.value for c in sheet[1]]
    sheet.cell(row=3, column=header.index("实际完成值") + 1, value="约16场")
    bad = tmp_path / "项目_约数.xlsx"
    book.save(bad)
    page = open_app(browser, app_url, external)
    upload(page, bad)
    assert "约数" in page.locator("#data-status").inner_text()
    review = page.locator("#review-box")
    assert "第3行，“实际完成值”列" in review.inner_text() and "约16场" in review.inner_text()
    screenshot(page, "w03_review")
    page.locator("#correct-value input, #correct-value textarea").first.fill("16篇")
    page.locator("#correct-save").click()
    page.wait_for_function("() => (document.querySelector('#data-status')?.innerText || '').includes('已更正')",
                           timeout=60_000)
    wait_saved(page)
    table = page.locator("#score-table")
    assert "16篇" in table.inner_text() and table.locator(".edit-badge").count() == 1
    assert "原值“约16场”" in table.locator(".edited").get_attribute("title")
    assert "经办人更正" in page.locator("#data-corrections").inner_text()
    page.reload()
    wait_ready(page)
    assert "16篇" in page.locator("#score-table").inner_text() and page.locator("#score-table .edit-badge").count() == 1
    answer_figures = ask(page, "“港澳商协汇”公众号推文数量实际完成多少？")
    assert "16篇" in answer_figures
    source = page.locator("#chatbot .answer-done").last.locator(".fig-ok", has_text="16篇").first.get_attribute("title")
    assert "经办人更正：界面更正，原值“约16场”" in source
    screenshot(page, "w04_corrected")
    page.close()


# --- 3. a draft editor that keeps its structure ------------------------------------------------------

def test_the_draft_is_edited_section_by_section(browser, app_url, external, tmp_path):
    page = open_app(browser, app_url, external)
    load_example(page, DEPARTMENT.name)
    generate(page)
    measures_line = page.locator("#edit-measures textarea").input_value().splitlines()[0]
    # what once merged sections: a heading line typed into a section's text stays that section's text
    type_into(page, "measures", "\n## 四、下一步改进措施（修改）\n另行研究。")
    assert page.locator("#head-measures h3").inner_text().startswith("四、下一步改进措施")
    assert "另行研究" not in page.locator("#view-problems").inner_text()
    type_into(page, "problems", "\n全年共举办培训37场。", shown="【待核实：原文“37场”")
    assert "37场" in page.locator("#draft-check").inner_text()
    page.locator("#draft-recheck").click()
    page.wait_for_selector("#view-problems .fig-bad")
    editor = page.locator("#edit-problems textarea").input_value()
    assert "【待核实" not in editor and editor.endswith("全年共举办培训37场。")
    markdown = download_text(page, tmp_path, "a.md")
    assert markdown.count("四、下一步改进措施\n") == 1 and markdown.count(measures_line) == 1
    assert "【待核实：原文“37场”" in markdown
    screenshot(page, "w05_draft_edited")

    page.locator("#remove-measures").click()
    page.wait_for_function("() => (document.querySelector('#head-measures h3')?.innerText || '').includes('已删除')")
    assert measures_line not in download_text(page, tmp_path, "b.md")
    page.reload()
    wait_ready(page)
    page.get_by_role("tab", name="报告草稿").click()
    assert "已删除" in page.locator("#head-measures h3").inner_text()     # a deleted section stays deleted
    assert page.locator("#edit-problems textarea").input_value().endswith("全年共举办培训37场。")
    page.locator("#restore-measures").click()
    page.wait_for_selector("#view-measures p")
    assert "另行研究" in page.locator("#edit-measures textarea").input_value()
    page.locator("#regenerate-problems").click()
    page.wait_for_function("() => !document.querySelector('#edit-problems textarea').value.includes('37场')")
    assert "【待核实" not in page.locator("#view-problems").inner_text()
    page.close()


def test_project_draft_headings_are_headings(browser, app_url, external):
    page = open_app(browser, app_url, external)
    load_example(page, PROJECT.name)
    generate(page)
    background = [h.inner_text() for h in page.locator("#view-background h4").all()]
    assert any(h.startswith("二、") for h in background) and any(h.startswith("三、") for h in background)
    assert any(h.startswith("七、") for h in page.locator("#view-measures h4").all_inner_texts())
    assert page.locator("#view-background h5").count() >= 3                  # （一）… sub-headings
    screenshot(page, "w06_project_draft")
    page.close()


# --- 4. work that lasts: reload, restart, kill -9; two officers never see each other's --------------

def test_work_survives_reload_restart_and_sigkill_and_stays_with_its_officer(browser, external, tmp_path):
    data_dir = tmp_path / "data"
    users = "张三:zhang-pw;李四:li-pw"

    def everything_is_there(page, when: str):
        page.get_by_role("tab", name="数据").click()
        assert "综合保障经费" in page.locator("#data-summary").inner_text(), when
        page.get_by_role("tab", name="对话").click()
        answer = page.locator("#chatbot .answer-done").first
        assert "未完成年度指标值" in answer.inner_text(), when
        assert page.locator("#chatbot button[aria-label='已赞（有用）']").count() == 1, when
        page.get_by_role("tab", name="报告草稿").click()
        assert page.locator("#edit-problems textarea").input_value().endswith("全年共举办培训37场。"), when
        assert "【待核实：原文“37场”" in page.locator("#view-problems").inner_text(), when
        page.get_by_role("tab", name="历史").click()
        assert page.locator("#history-table tbody tr").count() == 1, when

    with served(data_dir, users=users) as (process, url):
        page = new_page(browser, external)
        log_in(page, url, "张三", "zhang-pw")
        load_example(page, PROJECT.name)
        ask(page, "哪些指标没有完成？")
        saved = wait_saved(page)
        page.locator("#chatbot button[aria-label='赞']").first.click()
        wait_saved(page, after=saved)
        generate(page, "存在的问题")
        type_into(page, "problems", "\n全年共举办培训37场。", shown="【待核实：原文“37场”")
        page.reload()
        wait_ready(page)
        everything_is_there(page, "重新载入页面后")
        screenshot(page, "w07_after_reload")
        page.context.close()

    with served(data_dir, users=users) as (process, url):                # a clean restart
        page = new_page(browser, external)
        log_in(page, url, "张三", "zhang-pw")
        everything_is_there(page, "重启服务后")
        type_into(page, "problems", "另有说明。")
        page.context.close()
        process.send_signal(signal.SIGKILL)                                # no clean shutdown at all
        process.wait(timeout=30)

    with served(data_dir, users=users) as (process, url):
        page = new_page(browser, external)
        log_in(page, url, "张三", "zhang-pw")
        page.get_by_role("tab", name="报告草稿").click()
        assert page.locator("#edit-problems textarea").input_value().endswith("全年共举办培训37场。另有说明。")
        screenshot(page, "w08_after_sigkill")
        page.context.close()

        other = new_page(browser, external)                                  # another officer: none of it
        log_in(other, url, "李四", "li-pw")
        assert "尚未载入数据" in other.locator("#data-status").inner_text()
        other.get_by_role("tab", name="历史").click()
        assert other.locator("#history-empty").count() == 1
        other.get_by_role("tab", name="对话").click()
        assert other.locator("#chatbot .answer-done").count() == 0
        screenshot(other, "w09_other_officer")
        other.context.close()


def test_without_login_work_follows_the_browser_across_a_restart(browser, external, tmp_path):
    data_dir = tmp_path / "data"
    port = free_port()
    with served(data_dir, port=port) as (process, url):
        page = new_page(browser, external)
        page.goto(url)
        wait_ready(page)
        load_example(page, DEPARTMENT.name)
        ask(page, "总分是怎么算的？")
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    with served(data_dir, port=port) as (process, url):                   # the same address: the same browser id
        page.reload()
        wait_ready(page)
        assert "港澳合作事务办公室" in page.locator("#data-summary").inner_text()
        page.get_by_role("tab", name="对话").click()
        assert "99.97分" in page.locator("#chatbot .answer-done").first.inner_text()
        stranger = new_page(browser, external)                             # another browser: nothing of it
        stranger.goto(url)
        wait_ready(stranger)
        assert "尚未载入数据" in stranger.locator("#data-status").inner_text()
        stranger.get_by_role("tab", name="历史").click()
        assert stranger.locator("#history-empty").count() == 1
        page.context.close()
        stranger.context.close()


def test_history_reopens_and_deletes_earlier_work(browser, app_url, external):
    page = open_app(browser, app_url, external)
    load_example(page, DEPARTMENT.name)
    ask(page, "预算执行率是多少？")
    page.get_by_role("tab", name="历史").click()
    page.locator("#history-new").click()
    page.wait_for_function("() => (document.querySelector('#data-status')?.innerText || '').includes('尚未载入数据')")
    load_example(page, PROJECT.name)
    page.get_by_role("tab", name="历史").click()
    page.wait_for_function("() => document.querySelectorAll('#history-table tbody tr').length === 2")
    page.locator("#history-choice input").click()
    page.get_by_role("option", name=re.compile("港澳合作事务办公室")).click()
    page.locator("#history-open").click()
    page.wait_for_function("() => (document.querySelector('#data-summary')?.innerText || '').includes('港澳合作事务办公室')")
    page.get_by_role("tab", name="对话").click()
    assert "99.66%" in page.locator("#chatbot .answer-done").first.inner_text()
    page.get_by_role("tab", name="历史").click()
    page.locator("#history-delete").click()
    page.locator("#history-confirm-delete").click()
    page.wait_for_function("() => document.querySelectorAll('#history-table tbody tr').length === 1")
    assert "港澳合作事务办公室" not in page.locator("#history-list").inner_text()
    screenshot(page, "w10_history")
    page.close()


# --- 5. the page in Chinese, Gradio's own strings included ------------------------------------------

def test_the_page_is_chinese_in_an_english_browser(browser, app_url, external, tmp_path):
    page = open_app(browser, app_url, external, locale="en-US")
    for tab in TABS:
        page.get_by_role("tab", name=tab).click()
        assert english_on_page(page) == [], tab
    assert "将文件拖放到此处" in page.locator("#data-upload").inner_text()
    exe = tmp_path / "setup.exe"
    exe.write_bytes(b"MZ" + b"\0" * 100)
    upload(page, exe)
    assert page.locator("body").inner_text().count("类型不受支持") == 1
    assert page.locator(".toast-body").count() == 0
    big = tmp_path / "大文件.yaml"
    big.write_bytes(b"#" * (11 * 1024 * 1024))
    upload(page, big)
    assert "超过10MB上限" in page.locator("#data-status").inner_text()
    broken = tmp_path / "损坏.xlsx"
    broken.write_bytes(b"this is not a zip file")
    upload(page, broken)
    message = page.locator("#data-status").inner_text()
    assert "无法读取Excel文件：文件已损坏" in message and "zip" not in message.lower()
    load_example(page, PROJECT.name)
    ask(page, "哪些指标没有完成？")
    page.locator("#chatbot button[aria-label='赞']").first.click()
    page.wait_for_selector("#chatbot button[aria-label='已赞（有用）']")
    for tab in TABS:
        page.get_by_role("tab", name=tab).click()
        assert english_on_page(page) == [], tab
    screenshot(page, "w11_english_browser")
    page.close()


def test_the_login_page_is_chinese_in_an_english_browser(browser, external, tmp_path):
    with served(tmp_path / "data", users="张三:pw") as (_process, url):
        page = new_page(browser, external, locale="en-US")
        page.goto(url)
        page.locator("input[type=password]").wait_for(timeout=60_000)
        assert english_on_page(page) == []
        assert "登录" in page.locator("body").inner_text()
        screenshot(page, "w12_login")
        page.context.close()


# --- 6. what the officer types is text: nothing is fetched ---------------------------------------------

def test_typed_html_and_markdown_fetch_nothing(browser, app_url, external, tmp_path):
    requests: list[str] = []
    dialogs: list[str] = []
    page = open_app(browser, app_url, external, requests=requests)
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    named = tmp_path / "<img src=q onerror=alert(2)>.yaml"
    shutil.copy(DEPARTMENT, named)
    upload(page, named)
    assert "onerror=alert(2)" in page.locator("#data-status").inner_text()     # the name, as text (Gradio drops <>)
    requests.clear()
    question = ("<img src=x onerror=alert(1)> ![图](http://203.0.113.9/y.png) <iframe src=/z></iframe> "
                "[链接](javascript:alert(3)) $x$ 哪些指标没有完成？")
    answer = ask(page, question)
    assert "没有未完成的指标" in answer
    shown = page.locator("#chatbot .question").last.inner_text()
    assert shown == question                                          # shown as typed, as text
    assert page.locator("#chatbot img, #chatbot iframe, #chatbot a[href^='javascript']").count() == 0
    for tab in TABS:                                                    # every view the name and text appear in
        page.get_by_role("tab", name=tab).click()
    page.reload()
    wait_ready(page)
    page.get_by_role("tab", name="对话").click()
    time.sleep(1)
    app = app_url.rstrip("/")
    assert all(u.startswith(app) or u.startswith(("data:", "blob:")) for u in requests), \
        [u for u in requests if not u.startswith(app)]
    paths = {re.sub(r"^https?://[^/]+", "", u).split("?")[0] for u in requests}
    assert not paths & {"/x", "/q", "/z", "/y.png"}, sorted(paths)
    assert dialogs == []
    screenshot(page, "w13_typed_html")
    page.close()


# --- 7 and 8: the corpus tab, and citations that open ----------------------------------------------

def test_corpus_type_progress_removal_and_citations_that_open(browser, external, tmp_path):
    from assistant.retrieval import Index

    index = Index.open(tmp_path / "index")
    note = tmp_path / "差旅费管理办法（内部通知）.md"
    note.write_text("# 差旅费管理办法\n\n第一条 出差人员乘坐飞机应选择经济舱，乘坐火车应选择二等座。\n\n"
                    "第二条 住宿费按照出差目的地标准据实报销，超出部分由个人承担。\n", encoding="utf-8")
    with running_app(index_provider=lambda: index) as (_app, url):
        page = open_app(browser, url, external)
        load_example(page, DEPARTMENT.name)
        page.get_by_role("tab", name="资料库").click()
        page.evaluate("""() => { window.statuses = []; const box = document.querySelector('#corpus-status');
            new MutationObserver(() => window.statuses.push(box.innerText)).observe(box, {subtree: true, childList: true,
            characterData: true}); }""")
        page.locator("#corpus-upload input[type=file]").set_input_files(str(note))
        page.get_by_role("radio", name="政策法规").check()
        page.locator("#corpus-add").click()
        page.wait_for_function("() => (document.querySelector('#corpus-status')?.innerText || '').includes('已加入资料库')",
                               timeout=300_000)
        statuses = page.evaluate("() => window.statuses")
        assert any("正在处理 1/1 个文件…" in s for s in statuses), statuses
        assert not any(re.search(r"片段/秒|向量|复用", s) for s in statuses), statuses
        row = page.locator("#index-stats tr", has_text="差旅费管理办法")
        assert "政策法规" in row.inner_text() and "在本页添加" in row.inner_text()
        screenshot(page, "w14_corpus_added")

        answer = ask(page, "差旅费住宿费怎么报销？")
        assert "《差旅费管理办法》" in answer
        assert page.locator("#chat-citations").count() == 0                 # citations once, under the answer
        cite = page.locator("#chatbot .answer-done").last.locator("details.cite").first
        assert not cite.locator(".cite-passage").is_visible()
        cite.locator("summary").click()
        assert "据实报销" in cite.locator(".cite-passage").inner_text()
        screenshot(page, "w15_citation_open")

        page.get_by_role("tab", name="资料库").click()
        page.locator("#corpus-remove-choice input").click()
        page.get_by_role("option", name=re.compile("差旅费管理办法")).click()
        page.locator("#corpus-remove").click()
        page.wait_for_function("() => (document.querySelector('#corpus-status')?.innerText || '').includes('已从资料库删除')")
        assert page.locator("#index-stats tr", has_text="差旅费管理办法").count() == 0
        assert index.search("差旅费住宿费报销", k=5) == []
        page.close()


def test_stop_ask_again_separator_and_feedback(browser, external, monkeypatch):
    reply = "".join(f"这是关于绩效自评的说明，第{'一二三四五六七八九十'[k % 10]}段。\n" for k in range(40))
    with OpenAICompatibleServer.scripted([reply], delay=0.08) as model:
        monkeypatch.setenv("JIXIAO_LLM_BASE_URL", model.base_url)
        monkeypatch.setenv("JIXIAO_LLM_MODEL", "scripted")
        with running_app(llm_provider="openai") as (_app, url):
            page = open_app(browser, url, external)
            load_example(page, DEPARTMENT.name)
            page.get_by_role("tab", name="对话").click()
            box = page.locator("#chat-input textarea")
            box.fill("介绍一下绩效自评")
            box.press("Enter")
            page.wait_for_function("() => (document.querySelector('#chatbot')?.innerText || '').includes('第三段')",
                                   timeout=60_000)
            page.locator("#chat-stop").click()
            page.wait_for_selector("#chatbot .answer-stopped")               # shown as stopped, and saved so
            wait_saved(page)
            length = len(page.locator("#chatbot").inner_text())
            time.sleep(2)
            assert len(page.locator("#chatbot").inner_text()) == length     # nothing more arrives
            assert "第十段" not in page.locator("#chatbot").inner_text()
            page.reload()
            wait_ready(page)
            page.get_by_role("tab", name="对话").click()
            assert "（已停止）" in page.locator("#chatbot .answer-stopped").inner_text()
            screenshot(page, "w16_stopped")

            saved = wait_saved(page)
            page.locator("#chat-again").click()                             # 重新回答 the same question
            wait_saved(page, after=saved)
            assert page.locator("#chatbot .question").count() == 1
            assert page.locator("#chatbot .answer-stopped").count() == 0
            assert page.locator("#chatbot .answer-done").last.inner_text().count("段。") == 40

            saved = wait_saved(page)
            page.locator("#chatbot button[aria-label='踩']").last.click()
            wait_saved(page, after=saved)
            load_example(page, PROJECT.name)
            page.get_by_role("tab", name="对话").click()
            separator = page.locator("#chatbot .data-separator")
            assert separator.count() == 1 and PROJECT.name in separator.inner_text()
            page.reload()
            wait_ready(page)
            page.get_by_role("tab", name="对话").click()
            assert page.locator("#chatbot button[aria-label='已踩（没用）']").count() == 1
            assert page.locator("#chatbot .data-separator").count() == 1
            screenshot(page, "w17_separator_feedback")
            page.close()
