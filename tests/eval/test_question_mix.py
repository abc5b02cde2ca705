"""Generated questions spread over definitions, obligations, periods and amounts (#23).

Seven licences once gave questions that were all 'In X.txt, what does "Y" mean?':
definitions came first in every file and never ran out, while counsel's own questions
ask about duties, deadlines and fees. The licence-like text below is ours.
"""

from __future__ import annotations

import doctest
from collections import Counter

import pytest

from eval.questions import generate
from eval.questions.forms import form_question, form_questions
from eval.questions.generate import FAMILIES, family, generate_questions
from eval.questions.spans import candidates
from knowledge.types import Chunk
from tests.fakes import ScriptedChat

EULA = """1. Definitions

1.1. "Licensee" means the company that accepts this agreement and pays the fees under it.

1.2. "Software" means the programs, updates and documentation supplied by the Licensor.

1.3. "Confidential Information" means any business or technical information disclosed by
one party to the other.

1.4. "Effective Date" means the date on which the Licensee signs the order form.

2. Fees

2.1. Licensee shall pay Licensor an annual licence fee of EUR 12,000 within thirty (30)
days of the Effective Date.

2.2. The support fee is EUR 2,400 per year.

3. Obligations

3.1. Licensee must keep the Software on servers located in the European Union.

3.2. Each copy of the Software shall be marked with the copyright notice of the Licensor.

3.3. Licensee shall notify Licensor of any security incident within 72 hours of its
discovery.

4. Term

4.1. This Agreement will terminate automatically if Licensee fails to pay any fee.

4.2. Licensee must return or destroy all Confidential Information within 14 days of
termination.
"""


def _no_model(messages) -> str:
    return "not json"  # every model-written question fails: only rule forms remain


def test_a_licence_gets_questions_from_every_family_not_only_definitions():
    chunks = [Chunk(f"c{i}", part, "eula.txt") for i, part in enumerate(EULA.split("\n\n"))]
    report = generate_questions(chunks, ScriptedChat(respond=_no_model), 8)
    asked = [p for p in report.pairs if p.kind == "question"]
    assert len(asked) == 8
    by_question = {c.question: family(c) for ch in chunks for c in candidates(ch)}
    mix = Counter(by_question[p.question] for p in asked)
    assert set(mix) == set(FAMILIES)  # definitions, obligations, periods and amounts
    assert mix["definitions"] == 2  # not 4 of the first 4, as before


@pytest.mark.parametrize(
    ("sentence", "kind", "question", "answer"),
    [
        ("Licensee shall notify Licensor of any security incident within 72 hours of its "
         "discovery.", "period", "Within what period shall Licensee notify Licensor of any "
         "security incident?", "72 hours"),
        ("Lost devices must be reported to the Service Desk within 2 hours of the loss.",
         "period", "Within what period must lost devices be reported to the Service Desk?",
         "2 hours"),
        ("The receiving party shall keep records of every disclosure for a period of five (5) "
         "years.", "period", "For how long shall the receiving party keep records of every "
         "disclosure?", "five (5) years"),
        ("Licensee shall pay Licensor an annual licence fee of EUR 12,000 within thirty (30) "
         "days of the Effective Date.", "payment", "What annual licence fee shall Licensee pay?",
         "EUR 12,000"),
        ("The support fee is EUR 2,400 per year.", "price", "What is the support fee?",
         "EUR 2,400 per year"),
        ("The rights granted under this License will terminate automatically if You fail to "
         "comply with any of its terms.", "termination", "When will the rights granted under "
         "this License terminate?", "automatically if You fail to comply with any of its terms"),
    ],
)  # fmt: skip
def test_periods_amounts_and_terminations_have_forms(sentence, kind, question, answer):
    assert (kind, question, answer) in form_questions(sentence)


def test_one_sentence_can_give_a_question_per_fact():
    sentence = "Employees must submit expense claims within 30 days of the trip."
    assert form_questions(sentence) == [
        ("requirement", "What must employees submit?", "expense claims"),
        ("period", "Within what period must employees submit expense claims?", "30 days"),
    ]


@pytest.mark.parametrize(
    "sentence",
    [
        "Licensee must return or destroy all Confidential Information.",  # "What must return?"
        "Such rights will terminate on the date of the breach.",  # which rights?
        "Licensee shall, where the law allows, notify Licensor within 3 days.",  # an aside
    ],
)
def test_sentences_that_do_not_fit_cleanly_still_get_no_rule_question(sentence):
    assert form_question(sentence) is None


def test_docstring_examples_hold():
    result = doctest.testmod(generate)
    assert result.failed == 0 and result.attempted > 0
