"""Questions written by rule: the forms a reader would accept, and the ones refused."""

from __future__ import annotations

import pytest

from eval.questions.checks import fits_sentence
from eval.questions.forms import document_name, form_question
from eval.questions.spans import Candidate, candidates, sentences
from knowledge.types import Chunk

CHUNK = Chunk(id="c0", text="", source="policy.md")

WRAPPED = """1.1. "Contributor"
    means each individual or legal entity that creates, contributes to
    the creation of, or owns Covered Software.

1.2. "Contributor Version"
    means the combination of the Contributions of others (if any) used
    by a Contributor and that particular Contributor's Contribution.
"""


@pytest.mark.parametrize(
    ("sentence", "kind", "question", "answer"),
    [
        ('"Licensor" shall mean the copyright owner or entity authorized by the copyright '
         "owner that is granting the License.", "definition", 'What does "Licensor" mean?',
         "the copyright owner or entity authorized by the copyright owner that is granting "
         "the License"),
        ('"Source" form shall mean the preferred form for making modifications, including but '
         "not limited to software source code.", "definition", 'What does "Source" form mean?',
         "the preferred form for making modifications"),
        ('"You" (or "Your") shall mean an individual or Legal Entity exercising permissions.',
         "definition", 'What does "You" mean?',
         "an individual or Legal Entity exercising permissions"),
        ("The above copyright notice and this permission notice shall be included in all "
         "copies or substantial portions of the Software.", "obligation",
         "What shall be included in all copies or substantial portions of the Software?",
         "The above copyright notice and this permission notice"),
        ("Redistributions of source code must retain the above copyright notice, this list of "
         "conditions and the following disclaimer.", "requirement",
         "What must redistributions of source code retain?",
         "the above copyright notice, this list of conditions and the following disclaimer"),
        ("Employees must submit expense claims within 30 days of the trip.", "requirement",
         "What must employees submit?", "expense claims"),
    ],
)  # fmt: skip
def test_forms_write_the_question_a_reader_would_ask(sentence, kind, question, answer):
    assert form_question(sentence) == (kind, question, answer)


@pytest.mark.parametrize(
    "sentence",
    [
        '"Modifications" means any of the following:',  # a lead-in: the answer is a list
        '"Work" shall mean the work of authorship, whether in Source or Object form.',  # head
        '"Licensable" means having the right to grant, to the maximum extent possible, '
        "whether at the time of the initial grant or subsequently, any rights.",  # half a thought
        "Such description must be placed in a text file included with all distributions.",
        "Any law which provides that a contract shall be construed against the drafter "
        "shall not be used to construe this License.",  # nested modal: garbled question
        "You must give any other recipients of the Work a copy of this License.",  # two objects
        "All claims must be registered in the customer portal, or by e-mail if needed.",
        "All information must be classified in one of four levels:",
    ],
)
def test_sentences_that_do_not_fit_cleanly_get_no_question(sentence):
    assert form_question(sentence) is None


def test_hard_wrapped_definitions_are_joined_and_numbered_items_stay_apart():
    got = sentences(WRAPPED)
    assert got == [
        '1.1. "Contributor" means each individual or legal entity that creates, contributes '
        "to the creation of, or owns Covered Software.",
        '1.2. "Contributor Version" means the combination of the Contributions of others '
        "(if any) used by a Contributor and that particular Contributor's Contribution.",
    ]
    found = candidates(Chunk(id="c1", text=WRAPPED, source="mpl.txt"))
    assert [(c.kind, c.question) for c in found] == [
        ("definition", 'What does "Contributor" mean?'),
        ("definition", 'What does "Contributor Version" mean?'),
    ]
    assert found[1].answer == (
        "the combination of the Contributions of others (if any) used by a Contributor and "
        "that particular Contributor's Contribution"
    )  # whole, its aside too: a reviewer rejected the definition without "(if any)"


@pytest.mark.parametrize(
    ("first_line", "name"),
    [
        ("Skarvholm Freight Cooperative - Employee Handbook (Excerpts)", "the Employee Handbook"),
        ("Information Security Policy", "the Information Security Policy"),
        ("The Travel Guide (Summary)", "the Travel Guide"),
        ("Terms of", "psf.txt"),
        ("A. HISTORY OF THE SOFTWARE\n=====", "psf.txt"),
        ("Copyright (c) 2016, Gregory Szorc", "psf.txt"),
    ],
)
def test_documents_are_named_by_a_title_like_heading_else_the_file(first_line, name):
    assert document_name(first_line + "\nbody text", "psf.txt") == name


def test_questions_written_by_rule_name_their_document_when_the_set_has_several():
    formed = form_question('"You" shall mean an individual or Legal Entity.', "the Apache License")
    assert formed[1] == 'In the Apache License, what does "You" mean?'


@pytest.mark.parametrize(
    ("sentence", "answer", "question", "ok"),
    [
        ("Lost devices must be reported to the Service Desk within 2 hours of the loss.",
         "2 hours", "How long does it take to report a lost device?", False),
        ("Lost devices must be reported to the Service Desk within 2 hours of the loss.",
         "2 hours", "How soon must a lost device be reported to the Service Desk?", True),
        ("Shift handover must be completed within the first 15 minutes of the new shift.",
         "15 minutes", "How many minutes until the shift handover is done?", False),
        ("Incoming vehicles must book a time slot 24 hours in advance at the terminal.",
         "24 hours", "How many days in advance must incoming vehicles book a slot?", False),
        ("Employees are entitled to 27 working days of annual leave per calendar year.",
         "27 working days", "What is the maximum number of days of annual leave per year?",
         False),
        ("Kystpil is charged as the standard rate plus a surcharge of 35 percent.",
         "35 percent", "What is the standard rate of Kystpil per consignment?", False),
        ("Kystpil is charged as the standard rate plus a surcharge of 35 percent.",
         "35 percent", "What is the surcharge for Kystpil consignments?", True),
        ("Exceptions to IT-SEC-07 are valid for at most 90 days and must be renewed.",
         "90 days", "What is the maximum number of exceptions allowed in IT-SEC-07?", False),
        ("A half per diem of EUR 26 applies to trips of 6 to 12 hours.",
         "12 hours", "How much does a half per diem apply to a trip?", False),
    ],
)  # fmt: skip
def test_the_models_usual_misreadings_of_a_number_are_rejected(sentence, answer, question, ok):
    assert fits_sentence(question, Candidate(sentence, answer, "quantity", CHUNK)) is ok


def test_names_are_never_asked_of_the_model_and_cut_sentences_are_skipped():
    from eval.questions.generate import generate_questions
    from tests.fakes import ScriptedChat

    text = (
        "The terminal is run by Oddvar Lindqvist and his deputy every weekday. "
        "Redistributions of source code must retain the above copyright"  # the chunk ends here
    )
    chat = ScriptedChat(respond=lambda messages: '{"question": "Who runs the terminal?"}')
    report = generate_questions([Chunk(id="c", text=text, source="a.txt")], chat, 3)
    assert chat.calls == []  # the name went to the fill-in-the-blank pool, unasked
    assert [(p.kind, p.answer) for p in report.pairs] == [("cloze", "Oddvar Lindqvist")]


def test_an_unfinished_first_line_is_not_a_title():
    assert document_name("The Python Imaging Library (PIL) is\n", "pil.txt") == "pil.txt"


def test_a_term_one_file_defines_twice_gets_no_question():
    from eval.questions.generate import generate_questions
    from tests.fakes import ScriptedChat

    bundle = (
        '"You" shall mean an individual exercising permissions granted by this License.\n\n'
        '"You" means the person or company that accepts this agreement in writing.\n\n'
        '"Licensor" shall mean the copyright owner that is granting the License.'
    )
    report = generate_questions([Chunk(id="c", text=bundle, source="b.txt")], ScriptedChat([]), 3)
    assert [p.question for p in report.pairs] == ['What does "Licensor" mean?']


def test_amounts_keep_what_they_are_per():
    text = (
        "Handling in and out of storage costs EUR 6.50 per pallet movement. Liability is "
        "limited to EUR 11.50 per kilogram of gross weight unless a higher value is declared. "
        "Meals are reimbursed up to EUR 85 per person, including drinks."
    )
    answers = [c.answer for c in candidates(Chunk(id="c", text=text, source="a.md"))]
    assert answers == [
        "EUR 6.50 per pallet movement", "EUR 11.50 per kilogram of gross weight",
        "EUR 85 per person",
    ]  # fmt: skip
