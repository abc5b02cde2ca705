"""The Trials tab's ticked trials, kept in step with the interview without undoing the user.

`default_trials` says what to tick for a profile. The tab asks each time it is opened;
the ticks change only when that answer changed since it was last applied (the interview
heard a format gap and 40 examples, say), so a user who unticked LoRA by hand does not
find it ticked again each time they come back to the tab.
"""

from __future__ import annotations

from assistant.advice.trial_defaults import default_trials
from assistant.web.session import SessionState


def fresh_defaults(session: SessionState, kind: str) -> list[str] | None:
    """The trials to tick for this kind now, or None to leave the user's ticks alone."""
    wanted = default_trials(session.profile, kind)
    if session.trial_defaults.get(kind) == wanted:
        return None
    session.trial_defaults[kind] = wanted
    return wanted
