"""The update drill in the advice: one cited reason with its figures, named in the basis."""

from __future__ import annotations

from assistant.advice import advise, evidence_from_run
from assistant.advice.profile import Profile
from tests.fakes.profiles import guidance_headings
from tests.fakes.runs import CLEAR, drill_record, stored_run

WEEKLY = Profile(use_case="document_qa", gaps=["knowledge"], knowledge_change="weekly",
                 corpus_tokens=200_000)  # fmt: skip


def _run_with_drill(drill):
    run = stored_run("drill1", CLEAR)
    run["run"]["drill"] = drill
    return run


def test_a_drill_is_quoted_once_with_its_figures_and_named_in_the_basis():
    evidence = evidence_from_run(_run_with_drill(drill_record()))
    rec = advise(WEEKLY, evidence=[evidence]).recommendation
    [reason] = [r for r in rec.reasons if r.text.startswith("Update drill")]
    assert reason.heading in guidance_headings(reason.source)
    assert "run drill1" in reason.text and "4 of 4" in reason.text
    assert "after 0.8 s" in reason.text  # RAG: correct after re-indexing
    assert "short of correct after 152 s" in reason.text  # the retrained adapter: 1 of 4
    assert "weekly" in reason.text and "{" not in reason.text
    assert "the update drill of run drill1" in rec.basis


def test_without_a_drill_or_with_a_failed_one_nothing_is_said():
    for drill in (None, {"error": "boom"}, {"arms": {}}):
        evidence = evidence_from_run(_run_with_drill(drill))
        assert evidence.drill == {}
        rec = advise(WEEKLY, evidence=[evidence]).recommendation
        assert "update drill" not in rec.basis
        assert not any("Update drill" in r.text for r in rec.reasons)


def test_drill_evidence_survives_the_session_round_trip():
    from assistant.advice import Evidence

    evidence = evidence_from_run(_run_with_drill(drill_record()))
    assert Evidence.from_dict(evidence.to_dict()) == evidence
