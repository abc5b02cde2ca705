"""Labels, plain descriptions and next steps: the words that need no citation.

Split from `assistant.advice.wording` (cited sentences) so each file holds one kind of
text; the report, the interview and the decision engine read them from here.
"""

from __future__ import annotations

# --- Next steps: prerequisite steps first, then the approach's own steps ------------------
PREREQUISITE_STEPS = {
    "build_eval_set": "Write 100-200 held-out input/output pairs covering real requests and "
    "edge cases; never train or write prompt examples from them.",
    "measure_prompt_baseline": "Write the best prompt you can (instructions, a few examples, "
    "an explicit output format) and record its score on the held-out set.",
    "collect_examples": "{examples_gap} Curate input/output examples of the behaviour you "
    "want, each reviewed by domain experts; quality beats quantity.",
}

APPROACH_STEPS: dict[str, tuple[str, ...]] = {
    "prompt": (
        "Iterate on the prompt against the held-out set and ship it once it meets your target.",
        "Run a trial on a sample of your documents to compare prompting with retrieval.",
    ),
    "rag": (
        "Build a retrieval prototype over your documents and score it on the same held-out set.",
        "Measure retrieval on its own (is the right passage in the top results?) before "
        "blaming the model.",
        "Re-index changed documents on their own schedule; no retraining is needed.",
    ),
    "lora": (
        "Record prompt-only and RAG baselines, then train a LoRA adapter at rank 16, "
        "learning rate 1e-4, 3-5 epochs.",
        "Gate every run on the held-out set and a general-capability benchmark.",
        "Shadow-deploy the adapter before promoting it, then score it weekly.",
    ),
    "rag+lora": (
        "Build RAG first and record its baseline on the held-out set.",
        "Train a LoRA adapter on questions paired with retrieved passages (RAFT-style) for "
        "the remaining behaviour gap; keep facts out of the adapter.",
        "Keep the RAG-only system deployable as the fallback and score both weekly.",
    ),
    "full-finetune": (
        "Confirm on the held-out set that LoRA at higher ranks has plateaued below target.",
        "Plan multi-GPU full fine-tuning with a general-capability check after every epoch.",
        "Shadow-deploy before promoting and keep the LoRA or RAG system as the fallback.",
    ),
}

APPROACH_LABELS = {
    "prompt": "prompt engineering",
    "rag": "retrieval-augmented generation (RAG)",
    "lora": "LoRA fine-tuning",
    "rag+lora": "RAG plus a LoRA adapter",
    "full-finetune": "full fine-tuning",
}

APPROACH_PLAIN = {
    "prompt": "Keep the base model and improve the instructions and worked examples you give "
    "it. No training and no new infrastructure.",
    "rag": "Keep the base model and, for every question, retrieve the relevant passages from "
    "your documents and hand them to it, so answers rest on your current sources.",
    "lora": "Train a small LoRA adapter on your expert-reviewed examples so the model learns "
    "the behaviour you need, without retraining the whole model.",
    "rag+lora": "Retrieve passages from your documents for the facts, and add a small LoRA "
    "adapter trained on your examples for the behaviour prompting could not fix.",
    "full-finetune": "Retrain all of the model's weights on many thousands of reviewed "
    "examples: the most expensive option, for gaps LoRA could not close.",
}


def examples_gap(labeled: int, reviewed: bool, needed: int) -> str:
    """What stands between the team's examples and fine-tuning, with the numbers.

    A bare "collect expert-reviewed examples" told a team whose 300 examples were all
    reviewed to do what it had done; it meant "500+", and the gap is what to act on.

    >>> examples_gap(300, True, 500)
    'You have 300 reviewed examples; fine-tuning usually needs 500+: collect about 200 more.'
    >>> examples_gap(0, False, 500)
    'You have no curated examples yet; fine-tuning usually needs 500+, reviewed by domain experts.'
    """
    missing = max(0, needed - labeled)
    if labeled == 0:
        return (
            f"You have no curated examples yet; fine-tuning usually needs {needed:,}+, "
            "reviewed by domain experts."
        )
    if reviewed:
        if not missing:
            return f"You have {labeled:,} reviewed examples, the {needed:,}+ fine-tuning needs."
        return (
            f"You have {labeled:,} reviewed examples; fine-tuning usually needs {needed:,}+: "
            f"collect about {missing:,} more."
        )
    have = (
        f"You have {labeled:,} examples, not reviewed by domain experts; fine-tuning usually "
        f"needs {needed:,}+ reviewed ones: have them reviewed"
    )
    return f"{have} and collect about {missing:,} more." if missing else f"{have}."
