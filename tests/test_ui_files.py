"""Files belong to their session (issue 16, item 7): a real `jixiao serve` with two logins on loopback,
driven by a real HTTP client (httpx) and Gradio's own client; and `Grants` on a real folder."""
from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from assistant.ui.files import NOT_YOURS, Grants, client_of, remove_leftovers
from ui_fixtures import running_app, served

DEPARTMENT = "2023_港澳办_部门整体.yaml"
YAML = "年度: 2023\n单位名称: 测试单位\n".encode("utf-8")


def logged_in(url: str, user: str, password: str) -> httpx.Client:
    client = httpx.Client(base_url=url, timeout=60)
    assert client.post("login", data={"username": user, "password": password}).status_code == 200
    return client


def uploaded(client: httpx.Client, name: str, content: bytes) -> str:
    answer = client.post("gradio_api/upload", files={"files": (name, content)})
    assert answer.status_code == 200, answer.text
    [path] = answer.json()
    return path


def file_data(value):
    """The FileData of an output (a component update holds it under `value`)."""
    if isinstance(value, dict) and "path" in value:
        return value
    if isinstance(value, dict) and isinstance(value.get("value"), dict):
        return file_data(value["value"])
    return None


@pytest.mark.slow
def test_a_second_login_cannot_fetch_the_first_ones_upload_or_draft_also_after_a_restart(tmp_path):
    from gradio_client import Client

    users = "甲:pw-one;乙:pw-two"
    with served(tmp_path / "data", users=users) as (process, url):
        first, second = logged_in(url, "甲", "pw-one"), logged_in(url, "乙", "pw-two")
        nobody = httpx.Client(base_url=url, timeout=60)

        upload = uploaded(first, "项目.yaml", YAML)
        assert first.get(f"gradio_api/file={upload}").content == YAML
        assert second.get(f"gradio_api/file={upload}").status_code == 404
        assert nobody.get(f"gradio_api/file={upload}").status_code in (401, 403, 404)

        exe = uploaded(first, "setup.exe", b"MZ" + b"\x90" * 4096)      # a type no upload box accepts
        assert os.path.getsize(exe) == 0                                # its content was never kept

        officer = Client(url, auth=("甲", "pw-one"), download_files=False, verbose=False)
        officer.predict("", api_name="/start")
        officer.predict(DEPARTMENT, api_name="/load_example")
        outputs = officer.predict("部门整体", ["评价结论"], api_name="/generate")
        downloads = [f for f in map(file_data, outputs) if f]
        assert {Path(f["path"]).suffix for f in downloads} == {".docx", ".md"}
        for download in downloads:
            address = f"gradio_api/file={download['path']}"
            assert first.get(address).status_code == 200
            assert second.get(address).status_code == 404
            assert second.get(download["url"]).status_code == 404       # the URL as Gradio wrote it
        docx = next(f["path"] for f in downloads if f["path"].endswith(".docx"))
        assert first.get(f"gradio_api/file={docx}").content[:2] == b"PK"
        # a path that walks out of another session's folder and back in is the same file, refused alike
        walked = str(Path(docx).parent) + "/../" + Path(docx).parent.name + "/" + Path(docx).name
        assert second.get(f"gradio_api/file={walked}").status_code == 404

        # the second login names the first one's upload as its own upload box's value (a raw event, as
        # a client that never had the file would send it): refused, in Chinese, and the upload stays
        hash_ = "intruder-session"
        event(second, "start", [None, ""], hash_)
        shown = event(second, "upload", [[{"path": upload, "meta": {"_type": "gradio.FileData"}}], None], hash_)
        assert NOT_YOURS in shown
        assert first.get(f"gradio_api/file={upload}").content == YAML

        # the first login's own upload box takes its upload: read, then deleted
        shown = officer.predict([{"path": upload, "meta": {"_type": "gradio.FileData"}}], api_name="/upload")
        assert Path(upload).exists() is False
        session_folder = Path(docx).parents[1]
        assert session_folder.is_dir()
        process.terminate()
        process.wait(timeout=60)
    # shutdown: the session folders and the uploads not taken are gone
    assert not session_folder.exists() and not Path(exe).exists()

    with served(tmp_path / "data", users=users) as (process, url):
        first, second = logged_in(url, "甲", "pw-one"), logged_in(url, "乙", "pw-two")
        for path in (upload, docx, exe):
            assert first.get(f"gradio_api/file={path}").status_code in (403, 404)
            assert second.get(f"gradio_api/file={path}").status_code in (403, 404)


@pytest.mark.slow
def test_without_login_a_file_belongs_to_the_browser_that_uploaded_it():
    """No login: the client is the browser cookie the first page sets (HttpOnly); another browser's
    request, or one with no cookie, gets 404."""
    with running_app() as (_app, url):
        mine, theirs = httpx.Client(base_url=url, timeout=60), httpx.Client(base_url=url, timeout=60)
        for browser in (mine, theirs):
            page = browser.get("")
            assert "jixiao-client" in page.headers.get("set-cookie", "") and "HttpOnly" in page.headers["set-cookie"]
        upload = uploaded(mine, "项目.yaml", YAML)
        assert mine.get(f"gradio_api/file={upload}").content == YAML
        assert theirs.get(f"gradio_api/file={upload}").status_code == 404
        assert httpx.get(f"{url}gradio_api/file={upload}", timeout=60).status_code == 404


def event(client: httpx.Client, api_name: str, data: list, session_hash: str) -> str:
    """One event of the app's API by Gradio's own protocol (queue/join, then the event stream): the
    stream's text."""
    config = client.get("config").json()
    fn_index = next(k for k, d in enumerate(config["dependencies"]) if d.get("api_name") == api_name)
    joined = client.post("gradio_api/queue/join", json={"data": data, "fn_index": fn_index, "session_hash": session_hash,
                                                        "event_data": None, "trigger_id": None})
    assert joined.status_code == 200, joined.text
    text = ""
    with client.stream("GET", "gradio_api/queue/data", params={"session_hash": session_hash}) as stream:
        for line in stream.iter_lines():
            text += line + "\n"
            if '"process_completed"' in line:
                break
    return text


# --- Grants on a real folder -----------------------------------------------------------------------

def test_a_session_folder_is_its_clients_only_and_goes_with_the_session(tmp_path):
    grants = Grants(tmp_path / "cache", accepted=(".yaml",))
    mine, theirs = client_of("甲", None), client_of("乙", None)
    folder = grants.session_folder(None)
    (folder / "报告.docx").write_bytes(b"PK")
    path = str(folder / "报告.docx")
    assert not grants.may_fetch(path, mine)                 # nobody's until its page loads
    grants.bind(folder, mine)
    assert grants.may_fetch(path, mine) and not grants.may_fetch(path, theirs) and not grants.may_fetch(path, None)
    link = grants.root / "link"
    link.symlink_to(folder, target_is_directory=True)       # another name for the same folder
    assert not grants.may_fetch(str(link / "报告.docx"), theirs)
    elsewhere = tmp_path / "static.css"
    elsewhere.write_text("body{}")
    assert grants.may_fetch(str(elsewhere), theirs)         # outside Gradio's cache: Gradio decides
    grants.forget(folder)
    assert not folder.exists() and not grants.may_fetch(path, mine)
    grants.close()
    assert not grants.root.exists()


def test_uploads_are_granted_taken_once_and_expire(tmp_path):
    cache = tmp_path / "cache"
    grants = Grants(cache, accepted=(".yaml",), upload_kept_s=60)
    mine, theirs = client_of(None, "browser-a"), client_of(None, "browser-b")
    stored = cache / "hash1" / "项目.yaml"
    stored.parent.mkdir(parents=True)
    stored.write_bytes(YAML)
    bad = cache / "hash2" / "setup.exe"
    bad.parent.mkdir(parents=True)
    bad.write_bytes(b"MZ" * 100)
    grants.received([str(stored), str(bad)], mine)
    assert bad.stat().st_size == 0 and stored.read_bytes() == YAML
    assert grants.may_fetch(str(stored), mine) and not grants.may_fetch(str(stored), theirs)
    with pytest.raises(Exception, match="不属于本会话"):
        grants.take([stored], theirs)
    grants.take([stored], mine)
    grants.release([stored], mine)
    assert not stored.exists() and not stored.parent.exists()
    grants.expire(time.time() + 61)                         # the emptied upload no handler took
    assert not bad.exists()
    grants.close()


def test_a_killed_servers_folder_is_removed_at_the_next_start(tmp_path):
    cache = tmp_path / "cache"
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    leftover = cache / f"jixiao-ui-{gone.pid}-abc" / "s-1"
    leftover.mkdir(parents=True)
    alive = cache / f"jixiao-ui-{os.getppid()}-def"
    alive.mkdir()
    remove_leftovers(cache)
    assert not leftover.parent.exists() and alive.exists()
