"""Error classes. Each docstring is the general message; instances carry specifics.

The hierarchy follows DB-API naming where it fits: a version conflict is an
``IntegrityError`` (as in the eventsourcing library), bad outside material is an
``InputError`` that names the file, the line and the field.
"""
from __future__ import annotations


class ClaimgraphError(Exception):
    """claimgraph could not do what was asked."""

    #: a stable code for APIs (GraphQL ``extensions.code``)
    code = "CLAIMGRAPH_ERROR"


class InputError(ClaimgraphError):
    """Input was rejected."""

    code = "BAD_USER_INPUT"

    def __init__(self, reason: str, *, file: str | None = None, line: int | None = None,
                 field: str | None = None):
        self.reason = reason
        self.file = file
        self.line = line
        self.field = field
        super().__init__(self.message)

    @property
    def message(self) -> str:
        where = self.file or ""
        if self.line is not None:
            where = f"{where}:{self.line}" if where else f"line {self.line}"
        parts = [p for p in (where, f"field '{self.field}'" if self.field else None) if p]
        prefix = ", ".join(parts)
        return f"{prefix}: {self.reason}" if prefix else self.reason

    def located(self, *, file: str | None = None) -> "InputError":
        """The same error with a file name filled in when it had none."""
        return InputError(self.reason, file=self.file or file, line=self.line, field=self.field)


class IntegrityError(ClaimgraphError):
    """The event log or a projection failed an integrity check."""

    code = "INTEGRITY_ERROR"


class ConcurrencyError(IntegrityError):
    """A stream was not at the expected version: someone else appended first."""

    code = "CONFLICT"


class NotFoundError(ClaimgraphError):
    """No such entity, claim or proposition."""

    code = "NOT_FOUND"


class Unauthenticated(ClaimgraphError):
    """This operation needs a valid bearer token."""

    code = "UNAUTHENTICATED"
