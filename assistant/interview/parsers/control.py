"""Replies that steer the conversation instead of answering: skip, finish, a side
question, batch work, "no requirement" and "no deadline"."""

from __future__ import annotations

import re

from assistant.interview.parsers.words import any_match, norm

# --- Conversation control ----------------------------------------------------------------
SKIP_PHRASES = frozenset(
    "skip|pass|next|not sure|unsure|no idea|no clue|dunno|idk|don't know|dont know|"
    "do not know|i don't know|i dont know|i'm not sure|we don't know|can't say|hard to say|"
    "rather not say|prefer not to say|n/a|na|unknown".split("|")
)
QUESTION_WORDS = frozenset(
    "what what's whats how why when where which who should can could would is are does do "
    "did will explain".split()
)


# Softeners after a refusal ("not sure yet", "no idea, honestly") still decline.
SOFTENERS = re.compile(r"[\s,]+(yet|really|honestly|tbh|sorry|at the moment|right now)$")


def is_skip(text: str) -> bool:
    """The user declines to answer: the field keeps its default and is marked skipped."""
    t = SOFTENERS.sub("", norm(text).strip(" .!")).strip(" .!")
    return t in SKIP_PHRASES or t.startswith("skip")


# A reply that opens by not knowing and goes on ("no clue, IT handles that"), or says it
# must be looked up ("we'd have to check"), declines too when nothing in it is an answer.
DECLINES = re.compile(
    r"^(no idea|no clue|dunno|(i |we )?(don't|do not) know|not sure|(i )?can't remember"
    r"|(i )?cannot remember|good question|(i'm|i am) not the (right|best) person|"
    r"(you'd|you would|you'll) have to ask)\b"
    r"|\b(have|need) to (check|ask|find out|look (it |that )?up)\b"
)


def declines(text: str) -> bool:
    """The user cannot answer now, in more words than a bare 'skip'.

    >>> declines("No clue, IT handles that"), declines("hard to say, it just feels off")
    (True, False)
    """
    return is_skip(text) or bool(DECLINES.search(norm(text)))


def wants_to_finish(text: str) -> bool:
    t = norm(text).strip(" .!")
    return t in ("done", "finish", "that's all", "thats all", "that's it", "stop", "no more")


# "What do you recommend now?", "so what's your advice?", "what should we do?" — about
# this team's case, so answered with the current recommendation, not general guidance.
ASKS_FOR_ADVICE = re.compile(
    r"^(so |ok |okay |and )?(what|which)( approach| option)? (do|would|should) (you|we)"
    r"( now)? (recommend|suggest|advise|do|pick|choose|go with)\b"
    r"|^(so |ok |okay |and )?what('s| is) (your|the) (current |latest |final )?"
    r"(recommendation|advice|verdict)\b"
    r"|^(so |ok |okay |and )?(rag or fine[- ]?tun\w*|fine[- ]?tun\w* or rag)\b"
)


def asks_for_recommendation(text: str) -> bool:
    """The user wants our advice for their case now (not a general RAG/LoRA question)."""
    return bool(ASKS_FOR_ADVICE.search(norm(text).strip()))


def starts_with_question_word(text: str) -> bool:
    words = norm(text).split()
    return bool(words) and words[0] in QUESTION_WORDS


BATCH = (
    r"\b(batch|batches|offline|overnight|nightly|asynchronous|async|bulk|background job|cron|"
    r"no one waiting|nobody waiting|not real[- ]time)\b"
)


def mentions_batch(text: str) -> bool:
    """Offline or batch work has no response-time budget (we skip the latency question)."""
    t = norm(text)
    negated = re.search(r"\b(not|no|isn't|aren't|never)( an?| \w+)? (batch|offline)\b", t)
    return bool(re.search(BATCH, t)) and not negated


def says_no_requirement(text: str) -> bool:
    """A latency answer meaning "no budget": batch work, or no requirement at all."""
    t = norm(text)
    return mentions_batch(t) or any_match(
        (
            r"^(none|no|nope|n/a)$",
            r"\bno (real |hard |strict |particular )?(requirement|limit|constraint|budget|sla)",
            r"\b(doesn't|does not|don't) (really )?(matter|care)",
            r"\bnot (important|critical|an issue|a concern)",
            r"\bwhenever\b",
        ),
        t,
    )


def says_no_deadline(text: str) -> bool:
    t = norm(text)
    return any_match(
        (
            r"^(none|no|nope|n/a|open|flexible)$",
            r"\bno (real |hard |fixed )?(deadline|timeline|rush|date)",
            r"\b(nothing('s| is)|not) (fixed|set|decided)( yet)?\b",
            r"\b(flexible|open[- ]ended|whenever)\b",
        ),
        t,
    )
