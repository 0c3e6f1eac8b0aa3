"""Errors that services raise for people to read. Messages are in the person's language (Chinese msgids, English in the catalogue)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _


class ServiceError(ValidationError):
    """A write that cannot be done as asked; ``message_dict`` maps fields (or ``__all__``) to messages."""


class NotPermitted(PermissionDenied):
    """The actor lacks the permission for this write on this record."""

    def __init__(self, message: str | None = None):
        super().__init__(message or _("您没有执行此操作的权限。"))


class Refusal(Exception):
    """A declared rule refused an action (a workflow move); ``str(error)`` is the message for the person.

    ``record()`` keeps the refusal in the audit trail once the caller's transaction is over (a refusal
    recorded inside it would vanish with the rollback); the engine that raises it knows how.
    """

    code = "refused"

    def record(self) -> None:
        """Keep this refusal in the audit trail (once). The base class has nothing to keep."""


class ConcurrentEdit(ServiceError):
    """Someone else saved the record since it was loaded (optimistic concurrency)."""


class AlreadySubmitted(ServiceError):
    """The same form was sent before — a double click, a resent page: nothing new was written. ``existing``
    is the record the first sending made (None when it cannot be shown); a page answers with it."""

    def __init__(self, message: str, existing=None):
        super().__init__(message, code="already_submitted")
        self.existing = existing
