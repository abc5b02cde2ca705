"""A prerequisite names the bar and the team's gap, not only the kind of work (issue #23).

A team whose 300 examples were all expert-reviewed was told to "collect expert-reviewed
examples"; it meant 500+, without saying so.
"""

from __future__ import annotations

import doctest

import pytest

from assistant.advice import labels
from assistant.advice.caveats import PREREQUISITE_NOTES
from assistant.advice.decide import recommend
from assistant.advice.profile import Profile
from assistant.interview.messages import describe_recommendation
from assistant.report.data import build_report_data
from assistant.report.markup import render_markdown

REVIEWED_300 = Profile(
    use_case="extraction", gaps=["format"], labeled_examples=300, examples_reviewed=True,
    prompting_tried=True, has_eval_set=True,
)  # fmt: skip
GAP = "You have 300 reviewed examples; fine-tuning usually needs 500+: collect about 200 more."


def test_the_reviewed_team_is_told_the_number_and_the_gap():
    rec = recommend(REVIEWED_300)
    assert rec.prerequisites == ["collect_examples"]
    (note,) = rec.prerequisite_notes
    assert note.text == GAP
    cited = PREREQUISITE_NOTES["collect_examples"]
    assert (note.source, note.heading) == (cited.source, cited.heading)  # still cited
    assert any(step.startswith(GAP) for step in rec.next_steps)
    assert "collect expert-reviewed examples" not in describe_recommendation(rec, "Advice")


def test_the_chat_shows_each_prerequisite_with_its_guidance_heading():
    text = describe_recommendation(recommend(REVIEWED_300), "My recommendation")
    heading = PREREQUISITE_NOTES["collect_examples"].heading
    assert f'- {GAP} _(when-finetuning-wins.md, "{heading}")_' in text


@pytest.mark.parametrize(
    ("labeled", "reviewed", "says"),
    [
        (0, False, "You have no curated examples yet; fine-tuning usually needs 500+"),
        (300, False, "not reviewed by domain experts; fine-tuning usually needs 500+ "
         "reviewed ones: have them reviewed and collect about 200 more."),
        (800, False, "You have 800 examples, not reviewed by domain experts; fine-tuning "
         "usually needs 500+ reviewed ones: have them reviewed."),
        (1200, True, "You have 1,200 reviewed examples, the 500+ fine-tuning needs."),
    ],
)  # fmt: skip
def test_the_gap_sentence_fits_what_the_team_has(labeled, reviewed, says):
    assert says in labels.examples_gap(labeled, reviewed, 500)


def test_the_report_lists_the_gap_with_its_citation():
    markdown = render_markdown(build_report_data(REVIEWED_300))
    section = markdown.split("## Prerequisites", 1)[1].split("\n## ", 1)[0]
    assert GAP in section and PREREQUISITE_NOTES["collect_examples"].heading in section


def test_labels_docstring_examples_hold():
    result = doctest.testmod(labels)
    assert result.failed == 0 and result.attempted > 0
