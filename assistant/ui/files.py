"""Files belong to their session: where a tab's files live, and who may fetch them by URL.

Gradio serves any file in its cache folder to any request past its login check
(`/gradio_api/file=PATH`) and keeps whatever its upload route is sent. Here:

- a *client* is who a request is from, the same owner the store uses: the login name when login is
  on (`user:张三`), else the browser (`browser:…`, the random HttpOnly cookie `jixiao-client`);
- `Grants` holds which files each client may fetch: the folders of its sessions (under `root`, a
  folder of this server's own inside Gradio's cache, so Gradio serves them without copying them) and
  its uploads. In memory only: after a restart no earlier URL serves anything;
- `OwnFiles` (ASGI middleware) answers 404 to a file URL inside Gradio's cache that is not granted to
  the requesting client, grants each upload to its uploader, and empties at once an upload of a type
  no upload box accepts (its name stays, for the handler's Chinese refusal; its content is not kept).

An upload is taken by the handler that uses it (read, then deleted); one no handler takes is deleted
after `SERVER.upload_kept_s`. A session's folder goes when the session ends (the tab replaced by
other work, or closed and expired in Gradio's state), everything at shutdown (`Grants.close`), and
a killed server's leftovers at the next start.
"""
from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import tempfile
import threading
import time
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import unquote

from ..errors import JixiaoError
from ..limits import SERVER

CLIENT_COOKIE = "jixiao-client"
ROOT_PREFIX = "jixiao-ui-"              # this server's folder in Gradio's cache: jixiao-ui-<pid>-<random>
FILE_ROUTE = re.compile(r"/file[=/](?P<path>.+)$")       # /gradio_api/file=PATH, /gradio_api/file/PATH
UPLOAD_ROUTE = re.compile(r"/upload/?$")
NOT_YOURS = "上传的文件不属于本会话（可能已过期），请重新上传"


def gradio_cache() -> Path:
    """Where Gradio keeps uploads and the files it serves (GRADIO_TEMP_DIR, else /tmp/gradio)."""
    from gradio.utils import get_upload_folder  # heavy: gradio (~2 s) loads only when the UI is built
    return Path(get_upload_folder())


def upload_paths(files) -> list[Path]:
    """Where Gradio stored the files of an upload box's value."""
    if not files:
        return []
    return [Path(f if isinstance(f, str) else getattr(f, "name", f)) for f in (files if isinstance(files, list) else [files])]


def client_of(login: str | None, browser: str | None) -> str | None:
    """Who a request is from: the login name when login is on, else the browser cookie (None: nobody)."""
    if login:
        return f"user:{login}"
    return f"browser:{browser}" if browser else None


def request_client(request) -> str | None:
    """The client of a Gradio request (`gr.Request`)."""
    if request is None:
        return None
    cookies = getattr(request, "cookies", None) or {}
    return client_of(getattr(request, "username", None), cookies.get(CLIENT_COOKIE))


class Grants:
    """The files each client may fetch; the session folders under `root`; the uploads."""

    def __init__(self, cache: str | Path, accepted: tuple[str, ...], upload_kept_s: float = SERVER.upload_kept_s):
        self.cache = Path(os.path.realpath(cache))
        self.cache.mkdir(parents=True, exist_ok=True)
        remove_leftovers(self.cache)
        self.root = Path(tempfile.mkdtemp(prefix=f"{ROOT_PREFIX}{os.getpid()}-", dir=self.cache))
        self.accepted = tuple(s.lower() for s in accepted)
        self.upload_kept_s = upload_kept_s
        self._folders: dict[str, str | None] = {}           # folder name under root → its client
        self._uploads: dict[Path, dict[str, float]] = {}     # an upload → its uploaders and when
        self._lock = threading.Lock()

    # --- session folders ---------------------------------------------------------------------------

    def session_folder(self, client: str | None) -> Path:
        """A new private folder for one session's files, fetchable by `client` only."""
        folder = Path(tempfile.mkdtemp(prefix="s-", dir=self.root))
        with self._lock:
            self._folders[folder.name] = client
        return folder

    def bind(self, folder: Path, client: str | None) -> None:
        """The folder's files are now `client`'s (a session learns its client when its page loads)."""
        with self._lock:
            if folder.name in self._folders:
                self._folders[folder.name] = client

    def forget(self, folder: Path) -> None:
        """The session is over: its folder and everything in it go."""
        with self._lock:
            self._folders.pop(folder.name, None)
        if folder.parent == self.root:
            shutil.rmtree(folder, ignore_errors=True)

    # --- uploads -------------------------------------------------------------------------------------

    def received(self, paths: list[str], client: str | None) -> None:
        """Gradio stored these uploads for `client`: a type no upload box accepts is emptied at once."""
        now = time.time()
        self.expire(now)
        for text in paths:
            path = Path(os.path.realpath(text))
            if not self._inside(path, self.cache) or self._inside(path, self.root):
                continue
            if path.suffix.lower() not in self.accepted:
                try:
                    os.truncate(path, 0)
                except OSError:
                    pass
            if client is not None:
                with self._lock:
                    self._uploads.setdefault(path, {})[client] = now

    def take(self, paths: list[Path], client: str | None) -> None:
        """The handler of `client` is about to read these uploads: each must be its own
        (`JixiaoError` otherwise); read them, then `release` them."""
        with self._lock:
            for path in paths:
                if client is None or client not in self._uploads.get(Path(os.path.realpath(path)), {}):
                    raise JixiaoError(NOT_YOURS)

    def release(self, paths: list[Path], client: str | None) -> None:
        """`client` is done with these uploads: an upload nobody else sent is deleted."""
        for path in paths:
            self._drop(Path(os.path.realpath(path)), client)

    def expire(self, now: float | None = None) -> None:
        """Deletes the uploads no handler has taken within `upload_kept_s`."""
        limit = (now or time.time()) - self.upload_kept_s
        with self._lock:
            stale = [(p, c) for p, clients in self._uploads.items() for c, at in clients.items() if at < limit]
        for path, client in stale:
            self._drop(path, client)

    def _drop(self, path: Path, client: str | None) -> None:
        with self._lock:
            clients = self._uploads.get(path)
            if clients is None:
                return
            clients.pop(client, None)
            if clients:
                return
            del self._uploads[path]
        path.unlink(missing_ok=True)
        try:
            path.parent.rmdir()             # Gradio's folder for this upload (named by its hash), once empty
        except OSError:
            pass

    # --- fetching ------------------------------------------------------------------------------------

    def may_fetch(self, requested: str, client: str | None) -> bool:
        """Whether `client` may fetch this path by URL: anything inside Gradio's cache only if granted
        (its session's folder, its own upload); anything else is Gradio's to decide (static files)."""
        real = Path(os.path.realpath(requested))
        plain = Path(os.path.abspath(requested))
        if not any(self._inside(p, self.cache) for p in (real, plain)):
            return True
        if client is None:
            return False
        with self._lock:
            if self._inside(real, self.root):
                parts = real.relative_to(self.root).parts
                return bool(parts) and parts[0] in self._folders and self._folders[parts[0]] == client
            return client in self._uploads.get(real, {})

    @staticmethod
    def _inside(path: Path, folder: Path) -> bool:
        return path == folder or folder in path.parents

    # --- shutdown --------------------------------------------------------------------------------------

    def close(self) -> None:
        """Shutdown: every session folder and every upload not yet taken are deleted."""
        with self._lock:
            uploads = [(p, c) for p, clients in self._uploads.items() for c in clients]
            self._folders.clear()
        for path, client in uploads:
            self._drop(path, client)
        shutil.rmtree(self.root, ignore_errors=True)


def remove_leftovers(cache: Path) -> None:
    """The folders of servers that were killed (their process is gone): nobody can fetch them, delete."""
    for folder in cache.glob(f"{ROOT_PREFIX}*-*"):
        pid = folder.name[len(ROOT_PREFIX):].split("-", 1)[0]
        if pid.isdigit() and int(pid) != os.getpid() and not _alive(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class OwnFiles:
    """ASGI middleware over the Gradio app: file URLs served to their own client only, uploads
    granted to their uploader, the browser cookie that names a client without login."""

    def __init__(self, app, grants: Grants):
        self.app = app
        self.grants = grants

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        cookies = _cookies(scope)
        browser, new_cookie = cookies.get(CLIENT_COOKIE), None
        if not browser:
            browser = new_cookie = secrets.token_hex(16)
            scope = _with_cookie(scope, browser)
        client = client_of(_login(scope, cookies), browser)
        send = _setting_cookie(send, new_cookie) if new_cookie else send
        path, method = scope.get("path", ""), scope.get("method")
        found = FILE_ROUTE.search(path)
        if found and method in ("GET", "HEAD") and not all(      # the path as routed, and decoded once more
                self.grants.may_fetch(p, client) for p in {found["path"], unquote(found["path"])}):
            await _not_found(send)
            return
        if UPLOAD_ROUTE.search(path) and method == "POST":
            await self.app(scope, receive, self._granting(send, client))
            return
        await self.app(scope, receive, send)

    def _granting(self, send, client: str | None):
        """`send` for the upload route: the answer (the stored paths) is held until they are granted."""
        held: dict = {}
        body: list[bytes] = []

        async def granting(message):
            if message["type"] == "http.response.start":
                held["start"] = message
                return
            if message["type"] != "http.response.body":
                await send(message)
                return
            body.append(message.get("body", b""))
            if message.get("more_body"):
                return
            content = b"".join(body)
            if held["start"].get("status") == 200:
                try:
                    stored = json.loads(content)
                except ValueError:
                    stored = []
                if isinstance(stored, list):
                    self.grants.received([p for p in stored if isinstance(p, str)], client)
            await send(held["start"])
            await send({"type": "http.response.body", "body": content})
        return granting


def _cookies(scope) -> dict[str, str]:
    jar = SimpleCookie()
    for key, value in scope.get("headers", []):
        if key == b"cookie":
            try:
                jar.load(value.decode("latin-1"))
            except Exception:           # a malformed cookie header: no cookies
                return {}
    return {k: m.value for k, m in jar.items()}


def _login(scope, cookies: dict[str, str]) -> str | None:
    """The login name Gradio's access-token cookie stands for (None without login)."""
    app = scope.get("app")
    tokens = getattr(app, "tokens", None)
    if not tokens:
        return None
    cookie_id = getattr(app, "cookie_id", "")
    token = cookies.get(f"access-token-{cookie_id}") or cookies.get(f"access-token-unsecure-{cookie_id}")
    return tokens.get(token) if token else None


def _with_cookie(scope, browser: str):
    """The request as if it had carried the new browser cookie (the page's own handlers see it too)."""
    headers = [(k, v) for k, v in scope.get("headers", []) if k != b"cookie"]
    old = b"; ".join(v for k, v in scope.get("headers", []) if k == b"cookie")
    cookie = f"{CLIENT_COOKIE}={browser}".encode("latin-1") + (b"; " + old if old else b"")
    return {**scope, "headers": [*headers, (b"cookie", cookie)]}


def _setting_cookie(send, browser: str):
    value = f"{CLIENT_COOKIE}={browser}; Path=/; HttpOnly; SameSite=Lax".encode("latin-1")

    async def setting(message):
        if message["type"] == "http.response.start":
            message = {**message, "headers": [*message.get("headers", []), (b"set-cookie", value)]}
        await send(message)
    return setting


async def _not_found(send) -> None:
    body = "文件不存在或不属于本会话".encode("utf-8")
    await send({"type": "http.response.start", "status": 404,
                "headers": [(b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
