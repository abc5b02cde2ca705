"""Golden normalisation cases: what counts as "the same words" for every answer metric."""

from __future__ import annotations

import doctest

import pytest

from knowledge import text
from knowledge.text import content_tokens, fold_unicode, normalize, singular


@pytest.mark.parametrize(
    "raw, expected",
    [
        # articles go only when they introduce a noun phrase
        ("The  Nordlys-Express!", "nordlys express"),
        ("An apple, a day.", "apple day"),
        ("Zone A", "zone a"),
        ("zone a", "zone a"),
        ("Zone A or B", "zone a or b"),
        ("zone a is closed", "zone a is closed"),
        ("Plan A costs more", "plan a costs more"),
        ("A refund is issued", "refund is issued"),
        ("“A refund” is issued", "refund is issued"),
        ("Grade-A eggs", "grade a eggs"),
        ("The", "the"),
        ("a", "a"),
        # numbers keep their value
        ("9.5 percent", "9.5 percent"),
        ("9.5%", "9.5 percent"),
        ("9.5 per cent", "9.5 percent"),
        ("1,200 items", "1200 item"),
        ("1,200,000", "1200000"),
        ("version 1.2.3.", "version 1.2.3"),
        ("-5 °C", "-5 c"),
        ("−5 °C", "-5 c"),
        ("10–20 days", "10 20 day"),
        # hyphens and plural after a count
        ("a 14-day window", "14 day window"),
        ("14 days", "14 day"),
        ("3 inches", "3 inch"),
        ("2 batteries", "2 battery"),
        ("the news is new", "news is new"),
        # Unicode typography and accents
        ("don’t", "dont"),
        ("“Quoted” — text…", "quoted text"),
        ("Ｚｏｎｅ\u00a0Ａ", "zone a"),
        ("Naïve café, Ørsted", "naive cafe ørsted"),
        ("Straße", "strasse"),
        ("किताबें", "किताबें"),  # Devanagari vowel signs are letters, not accents
    ],
)
def test_normalize_golden(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


@pytest.mark.parametrize(
    "word, expected",
    [
        ("days", "day"),
        ("weeks", "week"),
        ("hours", "hour"),
        ("months", "month"),
        ("years", "year"),
        ("minutes", "minute"),
        ("inches", "inch"),
        ("boxes", "box"),
        ("classes", "class"),
        ("batteries", "battery"),
        ("class", "class"),
        ("bus", "bus"),
        ("analysis", "analysis"),
        ("hrs", "hrs"),
        ("percent", "percent"),
    ],
)
def test_singular(word: str, expected: str) -> None:
    assert singular(word) == expected


def test_fold_unicode_keeps_case_for_the_article_rule() -> None:
    assert fold_unicode("Ｚｏｎｅ\u00a0Ａ déjà’s") == "Zone A deja's"


def test_label_letter_is_not_a_stopword_casualty_but_articles_are() -> None:
    assert content_tokens("The refund takes 14 days") == ["refund", "takes", "14", "day"]


def test_doctests() -> None:
    result = doctest.testmod(text)
    assert result.attempted >= 4
    assert result.failed == 0


def test_lead_in_keeps_the_list_it_announces():
    from knowledge.retrieval import split_sentences

    text = (
        "Do not fine-tune until the following are in place:\n"
        "- a held-out evaluation set of 100 pairs\n"
        "- a measured prompt baseline\n"
        "Then measure again. The adapter is small and cheap to store.\n"
        "A lead-in with nothing after it:\n"
    )
    assert split_sentences(text) == [
        "Do not fine-tune until the following are in place: a held-out evaluation set of "
        "100 pairs; a measured prompt baseline",
        "The adapter is small and cheap to store.",
    ]


def test_verified_prefix_stops_at_the_first_ungrounded_sentence():
    from knowledge.qa import verified_prefix

    notes = "LoRA trains small adapter matrices. Adapters are a few megabytes."
    reply = "LoRA trains small adapter matrices. LoBERT invented it on Mars. Adapters are small. "
    assert verified_prefix(reply, notes, 0.6) == "LoRA trains small adapter matrices."
    assert verified_prefix("Mars is red. LoRA trains adapters. ", notes, 0.6) == ""
    assert verified_prefix("LoRA trains adapters", notes, 0.6) == ""  # not complete yet
