"""The officers' saved work: one embedded SQLite database and a folder of files per session.

    store = Store(data_dir)          # data_dir/jixiao.sqlite3, data_dir/sessions/<id>/…
    sid = store.create(owner, files=[("项目.xlsx", b"…")], title="…", source="项目.xlsx")
    store.add_turn(owner, sid, Turn(question="…", answer_html="…"))

Every session belongs to one owner (a login name, or a browser's id); every read and write names
the owner, and a session of another owner is not found (`SessionNotFound`). Each change is one
transaction (WAL, `synchronous=FULL`): when a method returns, the change survives a crash or a
`kill -9`. A session's files (the officer's data file, and its profile for a .csv) are written to a
new folder and fsynced before the transaction that points to them commits; the folder they replace
is removed after it. Folders no row points to (a crash between the two) are removed on open.

The schema's version is SQLite's `user_version`; `MIGRATIONS[n]` brings version n to n + 1.
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import secrets
import shutil
import sqlite3
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from ..errors import JixiaoError

DB_NAME = "jixiao.sqlite3"
SESSIONS_DIR = "sessions"
SECRET_NAME = "browser-secret"

MIGRATIONS: tuple[str, ...] = (
    # 0 → 1
    """
    CREATE TABLE sessions (
        id TEXT PRIMARY KEY,
        owner TEXT NOT NULL,
        title TEXT NOT NULL DEFAULT '',
        source TEXT NOT NULL DEFAULT '',
        data_dir TEXT,
        report_type TEXT,
        focus INTEGER,
        data_fingerprint TEXT,
        created REAL NOT NULL,
        updated REAL NOT NULL
    );
    CREATE INDEX sessions_by_owner ON sessions (owner, updated);
    CREATE TABLE files (
        session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        name TEXT NOT NULL,
        stored TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        size INTEGER NOT NULL,
        PRIMARY KEY (session_id, position)
    );
    CREATE TABLE corrections (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
        sheet TEXT,
        row INTEGER NOT NULL,
        column_name TEXT NOT NULL,
        value TEXT NOT NULL,
        original TEXT,
        created REAL NOT NULL
    );
    CREATE TABLE turns (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
        kind TEXT NOT NULL CHECK (kind IN ('answer', 'separator')),
        question TEXT NOT NULL DEFAULT '',
        answer_text TEXT NOT NULL DEFAULT '',
        answer_html TEXT NOT NULL DEFAULT '',
        citations TEXT NOT NULL DEFAULT '[]',
        intent TEXT NOT NULL DEFAULT '',
        stopped INTEGER NOT NULL DEFAULT 0,
        feedback TEXT,
        created REAL NOT NULL
    );
    CREATE INDEX turns_by_session ON turns (session_id, id);
    CREATE TABLE sections (
        session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
        key TEXT NOT NULL,
        drafted TEXT NOT NULL,
        officer_text TEXT,
        removed INTEGER NOT NULL DEFAULT 0,
        updated REAL NOT NULL,
        PRIMARY KEY (session_id, key)
    );
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)


class SessionNotFound(JixiaoError):
    def __init__(self):
        super().__init__("找不到这条工作记录（可能已被删除）")


@dataclass(frozen=True)
class StoredFile:
    name: str           # as the officer uploaded it
    path: Path          # where it is kept
    sha256: str
    size: int


@dataclass(frozen=True)
class Correction:
    """One officer's correction of one data cell: where (sheet, row, column as printed), the new value,
    and the value it replaces."""
    row: int
    column: str
    value: str
    sheet: str | None = None
    original: str | None = None
    created: float = field(default=0.0, compare=False)

    def where(self) -> str:
        parts = [f"工作表“{self.sheet}”"] if self.sheet else []
        return "，".join(parts + [f"第{self.row}行", f"“{self.column}”列"])


@dataclass
class Turn:
    """One entry of the conversation as shown: a question and its answer, or a separator."""
    kind: str = "answer"            # answer | separator
    question: str = ""
    answer_text: str = ""           # the answer as plain text (what a model sees as history)
    answer_html: str = ""           # the answer as it was shown
    citations: list[dict] = field(default_factory=list)
    intent: str = ""
    stopped: bool = False
    feedback: str | None = None     # 有用 | 没用 | None
    created: float = 0.0
    id: int | None = None


@dataclass(frozen=True)
class StoredSection:
    key: str
    drafted: str                    # the writer's DraftSection, JSON
    officer_text: str | None        # the officer's own text of the section, None if not edited
    removed: bool
    updated: float


@dataclass(frozen=True)
class SessionInfo:
    id: str
    title: str
    source: str
    created: float
    updated: float
    turns: int
    sections: int


@dataclass
class StoredSession:
    info: SessionInfo
    data_fingerprint: str | None            # the evaluation the saved draft was checked against (`Work`)
    report_type: str | None
    focus: int | None
    files: list[StoredFile]
    corrections: list[Correction]
    turns: list[Turn]
    sections: list[StoredSection]


class Store:
    """The database and the session folders under one data folder."""

    def __init__(self, root: str | Path):
        self.root = Path(root)
        if not self.root.exists():
            self.root.mkdir(parents=True, mode=0o700)      # officers' data: readable by the server's user only
        self.sessions_dir = self.root / SESSIONS_DIR
        self.sessions_dir.mkdir(exist_ok=True, mode=0o700)
        self.path = self.root / DB_NAME
        self._local = threading.local()
        with self._transaction() as db:
            version = db.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise JixiaoError(f"数据文件夹 {self.root} 由更新版本的程序创建（数据库版本 {version}），请升级后再用")
            for step in range(version, SCHEMA_VERSION):
                db.executescript_in_transaction(MIGRATIONS[step])
            db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        self._remove_orphan_folders()

    # --- connections and transactions ------------------------------------------------------------

    def _connection(self) -> sqlite3.Connection:
        db = getattr(self._local, "db", None)
        if db is None:
            db = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=False)
            db.execute("PRAGMA journal_mode = WAL")
            db.execute("PRAGMA synchronous = FULL")
            db.execute("PRAGMA foreign_keys = ON")
            self._local.db = db
        return db

    @contextlib.contextmanager
    def _transaction(self) -> Iterator["_Tx"]:
        db = self._connection()
        db.execute("BEGIN IMMEDIATE")
        try:
            yield _Tx(db)
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")

    def close(self) -> None:
        db = getattr(self._local, "db", None)
        if db is not None:
            db.close()
            self._local.db = None

    # --- sessions --------------------------------------------------------------------------------

    def create(self, owner: str, *, files: list[tuple[str, bytes]] = (), title: str = "", source: str = "",
               report_type: str | None = None, fingerprint: str | None = None) -> str:
        """A new session of `owner` with its data files; returns its id."""
        session_id = uuid.uuid4().hex
        now = time.time()
        folder = self._write_files(session_id, files) if files else None
        try:
            with self._transaction() as db:
                db.execute("INSERT INTO sessions (id, owner, title, source, data_dir, report_type, data_fingerprint, "
                           "created, updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                           (session_id, owner, title, source, folder.name if folder else None, report_type, fingerprint,
                            now, now))
                self._insert_files(db, session_id, folder, files)
        except BaseException:
            if folder is not None:
                shutil.rmtree(folder.parent, ignore_errors=True)
            raise
        return session_id

    def sessions(self, owner: str) -> list[SessionInfo]:
        """`owner`'s sessions, the latest first."""
        rows = self._connection().execute(
            "SELECT s.id, s.title, s.source, s.created, s.updated, "
            "(SELECT COUNT(*) FROM turns t WHERE t.session_id = s.id AND t.kind = 'answer'), "
            "(SELECT COUNT(*) FROM sections c WHERE c.session_id = s.id AND c.removed = 0) "
            "FROM sessions s WHERE s.owner = ? ORDER BY s.updated DESC, s.created DESC", (owner,)).fetchall()
        return [SessionInfo(*row) for row in rows]

    def latest(self, owner: str) -> str | None:
        row = self._connection().execute(
            "SELECT id FROM sessions WHERE owner = ? ORDER BY updated DESC, created DESC LIMIT 1", (owner,)).fetchone()
        return row[0] if row else None

    def load(self, owner: str, session_id: str) -> StoredSession:
        db = self._connection()
        row = db.execute("SELECT id, title, source, created, updated, report_type, focus, data_dir, data_fingerprint "
                         "FROM sessions WHERE id = ? AND owner = ?", (session_id, owner)).fetchone()
        if row is None:
            raise SessionNotFound()
        folder = self.sessions_dir / session_id / row[7] if row[7] else None
        files = [StoredFile(name, folder / stored, sha, size) for name, stored, sha, size in db.execute(
            "SELECT name, stored, sha256, size FROM files WHERE session_id = ? ORDER BY position", (session_id,))]
        corrections = [Correction(row=r, column=c, value=v, sheet=s, original=o, created=t) for s, r, c, v, o, t in
                       db.execute("SELECT sheet, row, column_name, value, original, created FROM corrections "
                                  "WHERE session_id = ? ORDER BY id", (session_id,))]
        turns = [Turn(kind=k, question=q, answer_text=a, answer_html=h, citations=json.loads(c), intent=i,
                      stopped=bool(st), feedback=f, created=t, id=tid)
                 for tid, k, q, a, h, c, i, st, f, t in db.execute(
                     "SELECT id, kind, question, answer_text, answer_html, citations, intent, stopped, feedback, created "
                     "FROM turns WHERE session_id = ? ORDER BY id", (session_id,))]
        sections = [StoredSection(k, d, o, bool(r), u) for k, d, o, r, u in db.execute(
            "SELECT key, drafted, officer_text, removed, updated FROM sections WHERE session_id = ?", (session_id,))]
        counts = (sum(t.kind == "answer" for t in turns), sum(not s.removed for s in sections))
        info = SessionInfo(row[0], row[1], row[2], row[3], row[4], *counts)
        return StoredSession(info=info, data_fingerprint=row[8], report_type=row[5], focus=row[6], files=files,
                             corrections=corrections, turns=turns, sections=sections)

    def delete(self, owner: str, session_id: str) -> None:
        """The session, its rows and its files."""
        with self._transaction() as db:
            self._check(db, owner, session_id)
            db.execute("DELETE FROM sessions WHERE id = ?", (session_id,))
        shutil.rmtree(self.sessions_dir / session_id, ignore_errors=True)

    # --- the data ----------------------------------------------------------------------------------

    def replace_data(self, owner: str, session_id: str, files: list[tuple[str, bytes]], *, title: str, source: str,
                     report_type: str | None, fingerprint: str | None = None, separator: Turn | None = None,
                     corrections: list[Correction] = ()) -> float:
        """New data files for the session (with `corrections`, the cells corrected before they loaded),
        in one transaction: the old corrections and draft go; `separator` marks the change in the
        conversation. Returns the commit time."""
        folder = self._write_files(session_id, files)
        try:
            with self._transaction() as db:
                old = self._check(db, owner, session_id)
                db.execute("DELETE FROM files WHERE session_id = ?", (session_id,))
                db.execute("DELETE FROM corrections WHERE session_id = ?", (session_id,))
                db.execute("DELETE FROM sections WHERE session_id = ?", (session_id,))
                self._insert_files(db, session_id, folder, files)
                for correction in corrections:
                    self._insert_correction(db, session_id, correction)
                if separator is not None:
                    self._insert_turn(db, session_id, separator)
                now = self._touch(db, session_id, title=title, source=source, data_dir=folder.name,
                                  report_type=report_type, focus=None, data_fingerprint=fingerprint)
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        if old:
            shutil.rmtree(self.sessions_dir / session_id / old, ignore_errors=True)
        return now

    def add_correction(self, owner: str, session_id: str, correction: Correction, *, title: str | None = None,
                       fingerprint: str | None = None) -> float:
        with self._transaction() as db:
            self._check(db, owner, session_id)
            self._insert_correction(db, session_id, correction)
            fields = {k: v for k, v in (("title", title), ("data_fingerprint", fingerprint)) if v is not None}
            return self._touch(db, session_id, **fields)

    @staticmethod
    def _insert_correction(db: "_Tx", session_id: str, correction: Correction) -> None:
        db.execute("INSERT INTO corrections (session_id, sheet, row, column_name, value, original, created) "
                   "VALUES (?, ?, ?, ?, ?, ?, ?)", (session_id, correction.sheet, correction.row, correction.column,
                                                    correction.value, correction.original, time.time()))

    def set_report_type(self, owner: str, session_id: str, report_type: str) -> float:
        with self._transaction() as db:
            self._check(db, owner, session_id)
            return self._touch(db, session_id, report_type=report_type)

    # --- the conversation --------------------------------------------------------------------------

    def add_turn(self, owner: str, session_id: str, turn: Turn, *, focus: int | None = None) -> int:
        """Adds the turn; returns its id (also set on `turn`)."""
        with self._transaction() as db:
            self._check(db, owner, session_id)
            turn.id = self._insert_turn(db, session_id, turn)
            self._touch(db, session_id, focus=focus)
        return turn.id

    def set_feedback(self, owner: str, session_id: str, turn_id: int, feedback: str | None) -> float:
        with self._transaction() as db:
            self._check(db, owner, session_id)
            db.execute("UPDATE turns SET feedback = ? WHERE id = ? AND session_id = ?", (feedback, turn_id, session_id))
            return self._touch(db, session_id)

    def delete_turn(self, owner: str, session_id: str, turn_id: int) -> float:
        with self._transaction() as db:
            self._check(db, owner, session_id)
            db.execute("DELETE FROM turns WHERE id = ? AND session_id = ?", (turn_id, session_id))
            return self._touch(db, session_id)

    # --- the draft ------------------------------------------------------------------------------------

    def put_sections(self, owner: str, session_id: str, sections: list[tuple[str, str, str | None, bool]], *,
                     report_type: str | None = None, replace: bool = False) -> float:
        """(key, drafted JSON, officer text, removed) for each section; `replace` drops the others."""
        with self._transaction() as db:
            self._check(db, owner, session_id)
            if replace:
                db.execute("DELETE FROM sections WHERE session_id = ?", (session_id,))
            now = time.time()
            for key, drafted, officer_text, removed in sections:
                db.execute("INSERT INTO sections (session_id, key, drafted, officer_text, removed, updated) "
                           "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (session_id, key) DO UPDATE SET "
                           "drafted = excluded.drafted, officer_text = excluded.officer_text, "
                           "removed = excluded.removed, updated = excluded.updated",
                           (session_id, key, drafted, officer_text, int(removed), now))
            return self._touch(db, session_id, **({"report_type": report_type} if report_type else {}))

    def set_officer_text(self, owner: str, session_id: str, key: str, text: str | None) -> float:
        with self._transaction() as db:
            self._check(db, owner, session_id)
            db.execute("UPDATE sections SET officer_text = ?, updated = ? WHERE session_id = ? AND key = ?",
                       (text, time.time(), session_id, key))
            return self._touch(db, session_id)

    def set_removed(self, owner: str, session_id: str, key: str, removed: bool) -> float:
        with self._transaction() as db:
            self._check(db, owner, session_id)
            db.execute("UPDATE sections SET removed = ?, updated = ? WHERE session_id = ? AND key = ?",
                       (int(removed), time.time(), session_id, key))
            return self._touch(db, session_id)

    # --- the browser id's secret ---------------------------------------------------------------------

    def browser_secret(self) -> str:
        """A random secret kept in the data folder: the browser id stays readable after a restart."""
        path = self.root / SECRET_NAME
        try:
            return path.read_text(encoding="ascii").strip()
        except FileNotFoundError:
            pass
        secret = secrets.token_urlsafe(24)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        _write_synced(tmp, secret.encode("ascii"))
        os.chmod(tmp, 0o600)
        try:
            os.link(tmp, path)          # the first writer wins; a racing second one reads the first's
        except FileExistsError:
            pass
        tmp.unlink(missing_ok=True)
        return path.read_text(encoding="ascii").strip()

    # --- internals ---------------------------------------------------------------------------------

    def _check(self, db: "_Tx", owner: str, session_id: str) -> str | None:
        """The session's data folder name; SessionNotFound unless it is `owner`'s."""
        row = db.execute("SELECT data_dir FROM sessions WHERE id = ? AND owner = ?", (session_id, owner)).fetchone()
        if row is None:
            raise SessionNotFound()
        return row[0]

    def _touch(self, db: "_Tx", session_id: str, **fields) -> float:
        """Marks the session changed now and sets `fields` (every one passed, None included)."""
        now = time.time()
        sets = ", ".join(f"{k} = ?" for k in fields)
        db.execute(f"UPDATE sessions SET {sets + ', ' if sets else ''}updated = ? WHERE id = ?",
                   (*fields.values(), now, session_id))
        return now

    def _write_files(self, session_id: str, files: list[tuple[str, bytes]]) -> Path:
        folder = self.sessions_dir / session_id / f"data-{time.time_ns()}"
        folder.mkdir(parents=True)
        for name, content in files:
            _write_synced(folder / safe_name(name), content)
        _fsync_dir(folder)
        _fsync_dir(folder.parent)
        return folder

    def _insert_files(self, db: "_Tx", session_id: str, folder: Path | None, files) -> None:
        for position, (name, content) in enumerate(files):
            db.execute("INSERT INTO files (session_id, position, name, stored, sha256, size) VALUES (?, ?, ?, ?, ?, ?)",
                       (session_id, position, name, safe_name(name), hashlib.sha256(content).hexdigest(), len(content)))

    def _insert_turn(self, db: "_Tx", session_id: str, turn: Turn) -> int:
        turn.created = turn.created or time.time()
        cursor = db.execute(
            "INSERT INTO turns (session_id, kind, question, answer_text, answer_html, citations, intent, stopped, "
            "feedback, created) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (session_id, turn.kind, turn.question, turn.answer_text, turn.answer_html,
             json.dumps(turn.citations, ensure_ascii=False), turn.intent, int(turn.stopped), turn.feedback, turn.created))
        return cursor.lastrowid

    def _remove_orphan_folders(self) -> None:
        db = self._connection()
        live = dict(db.execute("SELECT id, data_dir FROM sessions").fetchall())
        for folder in self.sessions_dir.iterdir():
            if folder.name not in live:
                shutil.rmtree(folder, ignore_errors=True)
                continue
            for data in folder.iterdir():
                if data.name != live[folder.name]:
                    shutil.rmtree(data, ignore_errors=True)


class _Tx:
    """A connection inside BEGIN IMMEDIATE … COMMIT."""

    def __init__(self, db: sqlite3.Connection):
        self._db = db

    def execute(self, sql: str, params=()):
        return self._db.execute(sql, params)

    def executescript_in_transaction(self, script: str) -> None:
        for statement in (s.strip() for s in script.split(";")):
            if statement:
                self._db.execute(statement)


def safe_name(name: str) -> str:
    """A file name as uploaded, safe as one path component (no folders, no control characters)."""
    base = re.split(r"[\\/]", name)[-1]
    base = re.sub(r"[\x00-\x1f]", "", base).strip().lstrip(".") or "数据"
    return base[:200]


def _write_synced(path: Path, content: bytes) -> None:
    with open(path, "wb") as handle:
        handle.write(content)
        handle.flush()
        os.fsync(handle.fileno())


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
