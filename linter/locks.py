"""PostgreSQL's table-level lock modes and what each one blocks, from the documentation's
table "Conflicting Lock Modes" (explicit-locking.html). Every S finding says its lock in one
line built here, so the wording is the same everywhere."""

from __future__ import annotations

import enum


class Lock(enum.Enum):
    # value: (mode name, what it blocks for other sessions, in plain words)
    ACCESS_SHARE = ("ACCESS SHARE", "blocks only ACCESS EXCLUSIVE (DDL that rewrites or drops)")
    ROW_SHARE = ("ROW SHARE", "blocks EXCLUSIVE and ACCESS EXCLUSIVE locks")
    ROW_EXCLUSIVE = ("ROW EXCLUSIVE", "blocks SHARE and stronger locks: index builds and most DDL")
    SHARE_UPDATE_EXCLUSIVE = (
        "SHARE UPDATE EXCLUSIVE",
        "blocks schema changes, VACUUM and other SHARE UPDATE EXCLUSIVE holders; reads and writes continue",
    )
    SHARE = ("SHARE", "blocks inserts, updates and deletes; reads continue")
    SHARE_ROW_EXCLUSIVE = ("SHARE ROW EXCLUSIVE", "blocks inserts, updates and deletes; reads continue")
    EXCLUSIVE = ("EXCLUSIVE", "blocks writes and SELECT … FOR UPDATE/SHARE; plain reads continue")
    ACCESS_EXCLUSIVE = ("ACCESS EXCLUSIVE", "blocks reads and writes")

    @property
    def mode(self) -> str:
        return self.value[0]

    @property
    def blocks(self) -> str:
        return self.value[1]

    def on(self, table: str, until: str = "until commit") -> str:
        """One line for a finding: `SHARE on "orders": blocks inserts, updates and deletes; reads continue, until commit`."""
        return f'{self.mode} on "{table}": {self.blocks}, {until}'
