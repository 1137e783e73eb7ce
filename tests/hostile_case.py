"""What a hostile-input case is, and the list that registers them (see `hostile.py`)."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable


@dataclass(frozen=True)
class Case:
    name: str                                  # unique, ASCII
    command: str                               # one of COMMANDS
    build: Callable[[Path], Path]              # writes the file(s) into a folder; returns the file read
    expect: int                                # 0 legal, 2 refused
    about: str                                 # what it is (English, one line)
    item: str = ""                             # the issue-16 item it comes from ("" for an extra variant)
    where: tuple[str, ...] = ()                # exit 2: what the message names besides the file
    limit: bool = False                        # exit 2: refused by a stated limit
    review: str | None = None                  # exit 0: the column a review item names (score --json)
    mentions: tuple[str, ...] = ()             # exit 0: words the output must contain
    names: str | None = None                   # the file the message names, if not the one read
    leaves_no: tuple[str, ...] = ()            # paths (relative to the folder) that must not appear
    bomb: bool = False                         # built to expand far beyond its size on disk


class CaseList(list):
    """The cases of one module; `@cases.case(command, expect, about, …)` registers a builder,
    named after it."""

    def case(self, command: str, expect: int, about: str, **options) -> Callable:
        def register(build: Callable[[Path], Path]) -> Callable[[Path], Path]:
            self.append(Case(name=build.__name__, command=command, build=build, expect=expect, about=about,
                             **options))
            return build
        return register
