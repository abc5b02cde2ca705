"""One error base for everything a user can fix.

The CLI and the web app catch `AdvisorError` and show its message as one line; any other
exception is a bug, logged with its traceback under an id the user is shown. So every
error whose message tells the user what to change derives from `AdvisorError`, and each
subclass only names the area (settings, models, profile, ...) for callers that care.
The `ValueError`/`RuntimeError` mix-ins keep `except ValueError` callers working.
"""

from __future__ import annotations


class AdvisorError(Exception):
    """A problem the user can fix; the message says what to change."""


class SettingsError(AdvisorError, ValueError):
    """Bad settings; `problems` lists every one, each naming the setting and the fix."""

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or [message]


class ModelError(AdvisorError, RuntimeError):
    """A model could not be found, loaded or reached; the message names the setting to fix."""


class ProfileError(AdvisorError, ValueError):
    """A bad profile; `field` names the first offending field, `problems` lists all."""

    def __init__(self, field_name: str, message: str, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.field = field_name
        self.problems = problems or [message]


class ConfigError(AdvisorError, ValueError):
    """A bad trial option; the message names it."""


class DatasetError(AdvisorError, ValueError):
    """The evaluation data cannot make a fair trial; the message says what to supply."""


class StoreError(AdvisorError, RuntimeError):
    """The database cannot be used; the message names the file and the fix."""


class DiskFull(StoreError):
    """The disk holding the database filled up; the message names the folder and the
    space needed. A run that meets it stops and keeps what it had saved."""


class IndexUnavailable(AdvisorError, RuntimeError):
    """The vector index could not be opened or reached; the message names the setting."""


class WorkspaceNameError(AdvisorError, ValueError):
    """A workspace name outside the one allowed alphabet; the message gives the rule."""


class IndexFull(AdvisorError, RuntimeError):
    """The disk holding the index filled up; the message names the folder and the space."""


class Cancelled(AdvisorError, RuntimeError):
    """The user cancelled a run or a generation; work stops at the next item."""


class LeftLine(Cancelled):
    """The user cancelled a job still waiting in the trial line: it never started."""


class ReportError(AdvisorError, ValueError):
    """The report cannot be built or rendered as asked; the message says why."""


class UnreadableFile(AdvisorError):
    """A file that cannot be turned into text or rows; the message is the reason shown."""


def describe_error(err: BaseException) -> str:
    """The one line a user sees for an error.

    An `AdvisorError` is the user's to fix, so its message is shown as it is. Anything
    else is a bug: the traceback goes to the server log under a short id and the user
    gets that id, never the traceback (which may hold paths or document text).
    """
    if isinstance(err, AdvisorError):
        return str(err)
    import logging
    import uuid

    ref = uuid.uuid4().hex[:8]
    logging.getLogger("advisor").error("internal error %s", ref, exc_info=err)
    return f"internal error ({type(err).__name__}), see log {ref}"
