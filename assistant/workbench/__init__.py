"""An officer's work that lasts: saved as it changes, reopened after a reload or a restart.

- `store` (`Store`): one SQLite database (WAL, one transaction per change) and a folder of files
  per session under a data folder; every session belongs to one owner.
- `data`: the data files as uploaded → an `Evaluation`, with the officer's corrections of cells.
- `draft`: the officer's text of a draft section beside the writer's, checked, never rewritten.
- `work` (`Work`): one officer's session over a `ChatSession`, saving each change.

Below the UI and above the engine: the UI calls `Work`; `Work` calls the `ChatSession`.
"""
from .data import ReviewItem, awaiting_review, correctable_cells, read_evaluation, review_items, table_and_profile
from .draft import officer_section, section_ledger
from .store import Correction, SessionInfo, SessionNotFound, Store, Turn
from .work import PendingData, Work, title_of

__all__ = ["Store", "SessionInfo", "SessionNotFound", "Correction", "Turn", "Work", "PendingData", "ReviewItem",
           "read_evaluation", "review_items", "awaiting_review", "correctable_cells", "table_and_profile", "officer_section",
           "section_ledger", "title_of"]
