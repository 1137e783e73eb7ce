"""`Work`: one officer's session over a `ChatSession`, saved to the `Store` as it changes.

What is saved: the data files as uploaded (bytes) and the officer's corrections of their cells,
the conversation (question, the answer as shown, its citations, feedback, separators where the
data changed), the draft's sections (the writer's text and the officer's own separately, and
which sections the officer removed), the report type and the indicator last talked about.
Each change is one transaction, and a method that changes something returns when it is saved
(its commit time is `saved_at`). A new session is written at its first change.

`Work.open` rebuilds a session from the store: the data re-read from its files with the
corrections, the conversation, and the draft as the officer left it.
"""
from __future__ import annotations

import hashlib
import logging
import time
from dataclasses import dataclass, field

from ..chat import ChatSession
from ..drafting import DraftSection
from ..drafting.outline import SECTION_KEYS, outline
from ..errors import DataErrors, FileFailure, JixiaoError
from ..evaluation import Evaluation
from .data import ReviewItem, read_evaluation, review_items
from .draft import officer_section, reverified
from .store import Correction, SessionInfo, Store, Turn

log = logging.getLogger(__name__)


@dataclass
class PendingData:
    """An upload that did not load: its files, the corrections made so far, what is still wrong."""
    files: list[tuple[str, bytes]]
    source: str
    corrections: list[Correction] = field(default_factory=list)
    error: DataErrors | None = None

    @property
    def items(self) -> list[ReviewItem]:
        return review_items(self.error) if self.error is not None else []


class Work:
    """One officer's saved session."""

    def __init__(self, store: Store, owner: str, chat: ChatSession, session_id: str | None = None):
        self.store = store
        self.owner = owner
        self.chat = chat
        self.id = session_id
        self.files: list[tuple[str, bytes]] = []        # the data as uploaded
        self.source = ""                                # its name as shown
        self.corrections: list[Correction] = []
        self.pending: PendingData | None = None
        self.turns: list[Turn] = []
        self.drafted: dict[str, DraftSection] = {}      # section key → as the writer drafted it
        self.officer_texts: dict[str, str] = {}         # section key → the officer's own text
        self.removed: set[str] = set()
        self.saved_at: float | None = None
        self.restore_error: str = ""                    # what the officer must know about re-reading the saved data
        self._shown: dict[str, DraftSection] = {}       # what this object last put in chat.sections

    # --- opening ---------------------------------------------------------------------------------

    @classmethod
    def open(cls, store: Store, owner: str, session_id: str, chat: ChatSession) -> "Work":
        stored = store.load(owner, session_id)
        work = cls(store, owner, chat, session_id)
        work.saved_at = stored.info.updated
        work.source = stored.info.source
        work.files = [(f.name, f.path.read_bytes()) for f in stored.files if f.path.is_file()]
        work.corrections = list(stored.corrections)
        if work.files:
            try:
                chat.load(read_evaluation(work.files, work.corrections))
            except JixiaoError as error:        # e.g. a file a newer loader refuses
                work.restore_error = f"保存的数据无法重新读取：{error}"
        if chat.evaluation is not None:
            chat.report_type = stored.report_type or chat.evaluation.report_type
            chat.focus = stored.focus if stored.focus is not None and stored.focus < len(chat.evaluation.indicators) else None
        work.turns = stored.turns
        for turn in work.turns:
            if turn.kind == "answer":
                chat.history += [{"role": "user", "content": turn.question},
                                 {"role": "assistant", "content": turn.answer_text}]
        for saved in stored.sections:
            try:
                drafted = DraftSection.model_validate_json(saved.drafted)
            except ValueError:
                log.warning("unreadable saved section %s of %s", saved.key, session_id, exc_info=True)
                continue
            work.drafted[saved.key] = drafted
            if saved.officer_text is not None:
                work.officer_texts[saved.key] = saved.officer_text
            if saved.removed:
                work.removed.add(saved.key)
        if chat.evaluation is not None:
            if stored.data_fingerprint and fingerprint(chat.evaluation) != stored.data_fingerprint:
                # the files read differently now (a newer loader): the saved draft is checked again
                work.drafted = {k: reverified(chat, s) for k, s in work.drafted.items()}
                work.restore_error = "保存以后，数据文件的读取结果有变化：草稿已按现在读到的数据重新核对"
            work._show_all()
        return work

    @property
    def saved(self) -> bool:
        return self.id is not None

    def info(self) -> SessionInfo | None:
        return next((s for s in self.store.sessions(self.owner) if s.id == self.id), None) if self.id else None

    def _ensure_saved(self) -> str:
        """The session's id, writing the session (with its data) first if it is new."""
        if self.id is None:
            ev = self.chat.evaluation
            self.id = self.store.create(self.owner, files=self.files, title=title_of(ev), source=self.source,
                                        report_type=self.chat.report_type, fingerprint=fingerprint(ev))
            for correction in self.corrections:
                self.store.add_correction(self.owner, self.id, correction)
            self._save_sections(list(self.drafted), replace=True)
        return self.id

    def _saved(self, at: float) -> float:
        self.saved_at = at
        return at

    # --- data ------------------------------------------------------------------------------------

    def start_with(self, evaluation: Evaluation, files: list[tuple[str, bytes]], source: str) -> None:
        """A new session's preloaded data (not saved until the session first changes)."""
        self.chat.load(evaluation)
        self.files, self.source = list(files), source

    def load_data(self, files: list[tuple[str, bytes]], source: str) -> Evaluation:
        """Use these files from now on, once they have loaded, scored and been saved. A file that does
        not load leaves everything as it was and is kept as `pending` (its cells can then be corrected;
        `DataErrors` is raised); one that does not score, or cannot be saved, leaves everything as it
        was and raises its message."""
        try:
            evaluation = read_evaluation(files, [])
        except DataErrors as error:
            self.pending = PendingData(files=list(files), source=source, error=error)
            raise
        self._adopt(evaluation, files, source, [])
        return evaluation

    def correct(self, correction: Correction) -> Evaluation | None:
        """Correct one cell: of the pending upload (which loads once nothing is wrong), else of the
        data in use (re-read and re-scored; the draft is checked again). Returns the evaluation now
        in use, or None while the pending upload still has errors."""
        if self.pending is not None:
            pending = self.pending
            corrections = [c for c in pending.corrections if not _same_cell(c, correction)] + [correction]
            try:
                evaluation = read_evaluation(pending.files, corrections)
            except DataErrors as error:
                pending.corrections, pending.error = corrections, error
                return None
            self._adopt(evaluation, pending.files, pending.source, corrections)
            return evaluation
        if not self.files:
            raise JixiaoError("尚未载入数据，没有可更正的单元格")
        corrections = [c for c in self.corrections if not _same_cell(c, correction)] + [correction]
        evaluation = read_evaluation(self.files, corrections)      # DataErrors: nothing changes
        report_type, focus = self.chat.report_type, self.chat.focus
        before = self.chat.snapshot()
        kept = (self.id, self.corrections, self.drafted, self._shown)
        self._score(evaluation, self.source)                        # raises: nothing changes
        try:
            self.chat.report_type, self.chat.focus = report_type, focus
            self.corrections = corrections
            self.drafted = {k: reverified(self.chat, s) for k, s in self.drafted.items()}
            self._shown = {}
            self._show_all()
            if self.id is None:
                self._ensure_saved()
                self.saved_at = time.time()
                return evaluation
            self.store.add_correction(self.owner, self.id, correction, title=title_of(evaluation),
                                      fingerprint=fingerprint(evaluation))
        except BaseException:
            self.chat.restore(before)
            self.id, self.corrections, self.drafted, self._shown = kept
            self._show_all()
            raise
        self._saved(self._save_sections(list(self.drafted)))
        return evaluation

    def discard_pending(self) -> None:
        self.pending = None

    def _score(self, evaluation: Evaluation, source: str) -> None:
        """Put `evaluation` into the chat, scored; a file that does not score raises a message naming
        it and changes nothing (`Workspace.load` is all or nothing)."""
        try:
            self.chat.load(evaluation)
        except JixiaoError:
            raise
        except Exception as error:
            raise FileFailure(source, "评分", error) from error

    def _adopt(self, evaluation: Evaluation, files, source: str, corrections: list[Correction]) -> None:
        """Switch to new data: scored first, then saved, then in use. Whatever fails on the way, the
        session keeps its old data, in memory and in the store, and the error is raised."""
        had_turns = any(t.kind == "answer" for t in self.turns)
        before = self.chat.snapshot()
        kept = (self.id, self.files, self.source, self.corrections, self.pending, self.drafted, self.officer_texts,
                self.removed, self._shown)
        self._score(evaluation, source)
        try:
            self.files, self.source, self.corrections, self.pending = list(files), source, list(corrections), None
            self.drafted, self.officer_texts, self.removed, self._shown = {}, {}, set(), {}
            if self.id is None:
                self._ensure_saved()
                self.saved_at = time.time()
                return
            separator = None
            if had_turns:
                separator = Turn(kind="separator", answer_text=f"已载入新数据：{source}。以下对话基于新数据。")
            at = self.store.replace_data(self.owner, self.id, self.files, title=title_of(evaluation), source=source,
                                         report_type=self.chat.report_type, fingerprint=fingerprint(evaluation),
                                         separator=separator, corrections=corrections)
        except BaseException:
            self.chat.restore(before)
            (self.id, self.files, self.source, self.corrections, self.pending, self.drafted, self.officer_texts,
             self.removed, self._shown) = kept
            raise
        if separator is not None:
            self.turns.append(separator)
        self._saved(at)

    # --- the conversation --------------------------------------------------------------------------

    def record_turn(self, turn: Turn) -> float:
        """An answered (or stopped) question, and whatever the answer drafted."""
        self._ensure_saved()
        self.store.add_turn(self.owner, self.id, turn, focus=self.chat.focus)
        self.turns.append(turn)
        changed = self._adopt_chat_sections()
        return self._saved(self._save_sections(changed) if changed else time.time())

    def drop_last_turn(self) -> Turn | None:
        """Removes the last answered question (to ask it again); returns it."""
        for k in range(len(self.turns) - 1, -1, -1):
            turn = self.turns[k]
            if turn.kind != "answer":
                continue
            if self.id is not None and turn.id is not None:
                self._saved(self.store.delete_turn(self.owner, self.id, turn.id))
            del self.turns[k]
            history = self.chat.history         # the question, and whatever of its answer the engine kept
            asked = [n for n, m in enumerate(history) if m.get("role") == "user" and m.get("content") == turn.question]
            if asked:
                del history[asked[-1]:]
            return turn
        return None

    def set_feedback(self, turn: Turn, feedback: str | None) -> float:
        turn.feedback = feedback
        if self.id is None or turn.id is None:
            raise JixiaoError("这条回答尚未保存，无法记录反馈")
        return self._saved(self.store.set_feedback(self.owner, self.id, turn.id, feedback))

    # --- the draft -------------------------------------------------------------------------------------

    def draft_report(self, report_type: str, keys: list[str]) -> float:
        """Draft the chosen sections; the others stay as they are (with the same report type)."""
        same_type = report_type == self.chat.report_type
        kept = {k: s for k, s in self.chat.sections.items() if k not in keys} if same_type else {}
        self.chat.draft_report(report_type=report_type, sections=keys)
        self.chat.sections.update(kept)
        if not same_type:
            self.drafted, self.officer_texts, self.removed, self._shown = {}, {}, set(), {}
        changed = self._adopt_chat_sections()
        self._ensure_saved()
        return self._saved(self._save_sections(changed, replace=not same_type))

    def regenerate(self, key: str, instruction: str = "") -> float:
        """Draft one section again (the officer's text of it is replaced; a removed section comes back)."""
        self.chat.draft_section(key, instruction=instruction)
        changed = self._adopt_chat_sections()
        self._ensure_saved()
        return self._saved(self._save_sections(changed))

    def edit(self, key: str, text: str) -> float:
        """The officer's own text of a section (checked for the view and the export, never rewritten)."""
        drafted = self.drafted.get(key)
        if drafted is None:
            raise JixiaoError("这一节尚未起草，无法编辑")
        text = (text or "").strip()
        officer = None if text == drafted.text.strip() else text
        if officer == self.officer_texts.get(key) and self.saved_at is not None:
            return self.saved_at                # nothing changed (e.g. the editor was just filled in)
        if officer is None:
            self.officer_texts.pop(key, None)
        else:
            self.officer_texts[key] = officer
        self._show(key)
        self._ensure_saved()
        return self._saved(self.store.set_officer_text(self.owner, self.id, key, self.officer_texts.get(key)))

    def remove(self, key: str) -> float:
        """Take the section out of the draft (kept, to be restored)."""
        return self._set_removed(key, True)

    def restore(self, key: str) -> float:
        return self._set_removed(key, False)

    def _set_removed(self, key: str, removed: bool) -> float:
        if key not in self.drafted:
            raise JixiaoError("这一节尚未起草")
        (self.removed.add if removed else self.removed.discard)(key)
        self._show(key)
        self._ensure_saved()
        return self._saved(self.store.set_removed(self.owner, self.id, key, removed))

    def officer_text(self, key: str) -> str:
        """What the section's editor holds: the officer's text, else the drafted text."""
        if key in self.officer_texts:
            return self.officer_texts[key]
        drafted = self.drafted.get(key)
        return drafted.text.strip() if drafted else ""

    def section_keys(self) -> list[str]:
        """The report type's sections in outline order."""
        return [item.key for item in outline(self.chat.report_type or "部门整体")]

    # --- keeping chat.sections and the saved draft in step -----------------------------------------

    def _show(self, key: str) -> None:
        """Put the section as it is to be shown (or not, when removed) into the chat's draft."""
        if key in self.removed or key not in self.drafted:
            self.chat.sections.pop(key, None)
            self._shown.pop(key, None)
            return
        drafted = self.drafted[key]
        shown = officer_section(self.chat, drafted, self.officer_texts[key]) if key in self.officer_texts else drafted
        self.chat.sections[key] = shown
        self._shown[key] = shown

    def _show_all(self) -> None:
        for key in SECTION_KEYS:
            self._show(key)

    def _adopt_chat_sections(self) -> list[str]:
        """Sections the chat drafted since this object last looked: they become the drafted text (the
        officer's text of them and their removal are dropped). Returns their keys."""
        changed = []
        for key, section in list(self.chat.sections.items()):
            if self._shown.get(key) is section:
                continue
            self.drafted[key] = section
            self.officer_texts.pop(key, None)
            self.removed.discard(key)
            self._shown[key] = section
            changed.append(key)
        return changed

    def _save_sections(self, keys: list[str], replace: bool = False) -> float:
        rows = [(k, self.drafted[k].model_dump_json(), self.officer_texts.get(k), k in self.removed)
                for k in keys if k in self.drafted]
        return self.store.put_sections(self.owner, self.id, rows, report_type=self.chat.report_type, replace=replace)

    # --- the history list ------------------------------------------------------------------------------

    def delete(self) -> None:
        if self.id is not None:
            self.store.delete(self.owner, self.id)


def fingerprint(evaluation: Evaluation | None) -> str | None:
    """What the data reads as (not where it was read from): a saved draft was checked against it."""
    if evaluation is None:
        return None
    return hashlib.sha256(evaluation.model_dump_json(exclude={"source_file"}).encode("utf-8")).hexdigest()


def title_of(evaluation: Evaluation | None) -> str:
    if evaluation is None:
        return "（尚未载入数据）"
    return f"{evaluation.title} {evaluation.year_label()}"


def _same_cell(a: Correction, b: Correction) -> bool:
    return (a.row, a.column, a.sheet) == (b.row, b.column, b.sheet)

