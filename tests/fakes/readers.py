"""Fake models' reply functions (for `ScriptedChat(respond=...)`): each has the shape of a
small real model on one task, so orchestration tests see realistic score differences.
"""

from __future__ import annotations

import json
import re


def reader(messages) -> str:
    """Repeats its context (so RAG can 'know' facts) and guesses otherwise."""
    user = messages[-1]["content"]
    if user.startswith("Context:"):
        return user.split("\n\nUsing the context")[0].removeprefix("Context:\n")
    return "I am not sure."


def question_writer(messages) -> str:
    """Phrases a question from the sentence it is given (question generation), and reads
    like `reader` otherwise."""
    from eval.questions.generate import SYSTEM

    if messages[0]["content"] != SYSTEM:
        return reader(messages)
    prompt = messages[-1]["content"]
    sentence, answer = prompt.removeprefix("Sentence: ").rsplit("\nAnswer: ", 1)
    words = [w for w in sentence.replace(answer, " ").split() if w.isalpha()][:8]
    return json.dumps({"question": "What time, date or number: " + " ".join(words) + "?"})


def nearest_shot_reader(messages) -> str:
    """Copies the label of the most word-similar worked example.

    With no examples it gives up, so zero-shot scores 0 and shots help: the shape of
    a real small model that cannot guess a team's label names.
    """
    query = set(re.findall(r"\w+", messages[-1]["content"].lower()))
    best, best_overlap = "I am not sure.", 0
    for user, reply in zip(messages[1:-1:2], messages[2:-1:2], strict=True):
        overlap = len(query & set(re.findall(r"\w+", user["content"].lower())))
        if overlap > best_overlap:
            best, best_overlap = reply["content"], overlap
    return best


def misreader(messages) -> str:
    """Reads the wrong sentence of its context (the last one), and declines without one:
    the shape of a weak reader whose retrieval works."""
    user = messages[-1]["content"]
    if user.startswith("Context:"):
        context = user.split("\n\nUsing the context")[0].removeprefix("Context:\n")
        return context.strip().splitlines()[-1]
    return "I do not know."
