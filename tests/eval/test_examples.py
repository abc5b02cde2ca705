"""Loading a team's example files, telling the task kind, and splitting them fairly."""

from __future__ import annotations

import json

import pytest

from assistant.core.errors import DatasetError, UnreadableFile
from eval.data.examples import (
    TASK_KINDS,
    Example,
    ExampleSet,
    detect_task,
    labels_of,
    load_examples,
)


def jsonl(rows: list[object]) -> bytes:
    return "\n".join(json.dumps(r, ensure_ascii=False) for r in rows).encode()


def plain(n: int, start: int = 0) -> list[dict[str, str]]:
    return [
        {"input": f"Summarise ticket {i}", "output": f"The customer {i} wants a refund for order"}
        for i in range(start, start + n)
    ]


# --- formats --------------------------------------------------------------------------


def test_plain_input_output_jsonl():
    loaded = load_examples(jsonl(plain(40)), "tickets.jsonl")
    assert isinstance(loaded, ExampleSet)
    assert len(loaded.examples) == 40
    assert loaded.examples[0] == Example(
        "line-1", "Summarise ticket 0", "The customer 0 wants a refund for order"
    )
    assert loaded.format == "input/output"
    assert loaded.source == "tickets.jsonl"
    assert loaded.skipped == [] and loaded.notes == [] and loaded.instruction == ""


def test_prompt_completion_with_any_key_case():
    rows = [{"Prompt": f"q{i}", "COMPLETION": f"answer number {i}"} for i in range(30)]
    loaded = load_examples(jsonl(rows), "pc.jsonl")
    assert loaded.format == "prompt/completion"
    assert (loaded.examples[5].input, loaded.examples[5].output) == ("q5", "answer number 5")


def test_text_label_classification_set():
    rows = [{"text": f"message {i}", "label": ["spam", "ham", "promo"][i % 3]} for i in range(30)]
    loaded = load_examples(jsonl(rows), "sms.jsonl")
    assert loaded.format == "text/label"
    assert detect_task([e.output for e in loaded.examples]) == (
        "classification",
        "all 30 outputs are one of 3 labels (ham, promo, spam)",
    )


def test_alpaca_with_input_shares_its_instruction():
    rows = [
        {"instruction": "Translate to French.", "input": f"house {i}", "output": f"maison {i}"}
        for i in range(30)
    ]
    loaded = load_examples(jsonl(rows), "alpaca.jsonl")
    assert loaded.format == "alpaca"
    assert loaded.examples[0] == Example("line-1", "house 0", "maison 0", "Translate to French.")
    assert loaded.instruction == "Translate to French."  # every row has the same one


def test_alpaca_without_input_uses_the_instruction_as_input():
    rows = [
        {"instruction": f"Name a colour number {i}", "input": "", "output": "red"}
        for i in range(15)
    ]
    rows += [{"instruction": f"Name a fruit number {i}", "output": "apple"} for i in range(15)]
    loaded = load_examples(jsonl(rows), "alpaca.jsonl")
    assert loaded.examples[0] == Example("line-1", "Name a colour number 0", "red", "")
    assert loaded.examples[15].input == "Name a fruit number 0"
    assert loaded.instruction == ""


def test_explicit_instruction_wins_over_the_shared_one():
    rows = [{"instruction": "Translate.", "input": f"w{i}", "output": f"m{i}"} for i in range(30)]
    loaded = load_examples(jsonl(rows), "a.jsonl", instruction="Translate to German.")
    assert loaded.instruction == "Translate to German."
    assert loaded.examples[0].instruction == "Translate."


def chat(i: int) -> dict[str, object]:
    return {
        "messages": [
            {"role": "system", "content": "You are a support agent."},
            {"role": "user", "content": "Hi"},
            {"role": "assistant", "content": "Hello! How can I help?"},
            {"role": "user", "content": f"Where is order {i}?"},
            {"role": "assistant", "content": f"Order {i} ships tomorrow."},
        ]
    }


def test_openai_chat_rows():
    rows = [chat(i) for i in range(30)]
    rows.append({"messages": [{"role": "user", "content": "Anyone there?"}]})
    rows.append(
        {
            "messages": [
                {"role": "user", "content": [{"type": "text", "text": "Parts question"}]},
                {"role": "assistant", "content": [{"type": "text", "text": "Parts answer"}]},
            ]
        }
    )
    loaded = load_examples(jsonl(rows), "chat.jsonl")
    first = loaded.examples[0]
    assert first.input == "user: Hi\nassistant: Hello! How can I help?\nWhere is order 0?"
    assert first.output == "Order 0 ships tomorrow."  # the last assistant turn
    assert first.instruction == "You are a support agent."
    assert loaded.format == "chat"
    assert len(loaded.examples) == 31
    assert loaded.examples[-1] == Example("line-32", "Parts question", "Parts answer", "")
    # not every row has the system turn, so there is no shared instruction
    assert loaded.instruction == ""
    assert [p.row for p in loaded.skipped] == [31]
    assert loaded.skipped[0].reason.startswith("line 31: chat has no assistant turn")


def test_chat_system_turn_becomes_the_set_instruction():
    loaded = load_examples(jsonl([chat(i) for i in range(30)]), "chat.jsonl")
    assert loaded.instruction == "You are a support agent."


def test_csv_with_semicolons_bom_and_formula_like_cells():
    lines = ["Input;Output"]
    lines += [f'"Hello, number {i}";"Bonjour, numéro {i}"' for i in range(28)]
    lines += ["=SUM(A1:A2);+33 1 23 45 67 89", "@mention me;-5 degrees"]
    data = b"\xef\xbb\xbf" + "\r\n".join(lines).encode("utf-8")
    loaded = load_examples(data, "pairs.csv")
    assert len(loaded.examples) == 30
    assert loaded.examples[0] == Example("row-2", "Hello, number 0", "Bonjour, numéro 0")
    assert loaded.format == "input/output"
    # formula-looking cells are data, kept as they were written
    assert (loaded.examples[28].input, loaded.examples[28].output) == (
        "=SUM(A1:A2)",
        "+33 1 23 45 67 89",
    )
    assert (loaded.examples[29].input, loaded.examples[29].output) == ("@mention me", "-5 degrees")


def test_csv_with_tabs_and_a_missing_column():
    lines = ["prompt\tcompletion"] + [f"q{i}\ta{i}" for i in range(30)] + ["lonely"]
    loaded = load_examples("\n".join(lines).encode(), "pairs.csv")
    assert loaded.format == "prompt/completion"
    assert len(loaded.examples) == 30
    assert loaded.skipped[0].reason == "row 32: empty output (fill it in or delete the row)"


def test_json_array_and_wrapped_array():
    rows = plain(30)
    loaded = load_examples(json.dumps(rows).encode(), "pairs.json")
    assert len(loaded.examples) == 30 and loaded.examples[0].id == "row-1"
    wrapped = load_examples(json.dumps({"data": rows}).encode(), "pairs.json")
    assert len(wrapped.examples) == 30
    assert wrapped.notes == ["read the examples from the 'data' array"]


def test_json_array_with_a_non_object_row():
    loaded = load_examples(json.dumps([*plain(30), "stray"]).encode(), "pairs.json")
    assert loaded.skipped[0].reason.startswith("row 31: not a JSON object (got str)")


def test_jsonl_saved_as_json_is_read_line_by_line():
    loaded = load_examples(jsonl(plain(30)), "pairs.json")
    assert len(loaded.examples) == 30
    assert loaded.notes == ["pairs.json holds one JSON value per line; read as JSONL"]


def test_mixed_formats_in_one_file():
    rows: list[object] = [{"input": f"plain {i}", "output": f"plain answer {i}"} for i in range(12)]
    rows += [{"instruction": f"alpaca {i}", "output": f"alpaca answer {i}"} for i in range(10)]
    rows += [chat(i) for i in range(8)]
    loaded = load_examples(jsonl(rows), "mixed.jsonl")
    assert len(loaded.examples) == 30
    assert loaded.format == "mixed"
    assert loaded.notes == ["rows mix formats: 12 input/output, 10 alpaca, 8 chat"]
    assert loaded.examples[12].input == "alpaca 0"
    assert loaded.examples[22].output == "Order 0 ships tomorrow."


# --- bad rows -------------------------------------------------------------------------


def test_bad_rows_are_skipped_with_reasons_naming_the_line():
    lines = [json.dumps(r) for r in plain(30)]
    lines.insert(6, '{"input": "broken" "output": "x"}')  # becomes line 7
    lines.append(json.dumps({"input": "no answer", "output": "  "}))  # line 32
    lines.append(json.dumps({"input": "", "output": "no question"}))  # line 33
    lines.append(json.dumps({"input": "  summarise   TICKET 3 ", "output": "dup"}))  # line 34
    lines.append(json.dumps({"foo": 1, "bar": 2}))  # line 35
    loaded = load_examples("\n".join(lines).encode(), "bad.jsonl")
    assert len(loaded.examples) == 30
    reasons = {p.row: p.reason for p in loaded.skipped}
    assert sorted(reasons) == [7, 32, 33, 34, 35]
    assert reasons[7].startswith("line 7: not valid JSON (Expecting ',' delimiter")
    assert reasons[32] == "line 32: empty output (fill it in or delete the row)"
    assert reasons[33] == "line 33: empty input (fill it in or delete the row)"
    # "Summarise ticket 3" is on line 4 (the broken line went in after it)
    assert reasons[34] == "line 34: duplicate input (same normalised input as line 4; keep one)"
    assert reasons[35] == "line 35: no input/output fields (found: foo, bar)"


def test_control_characters_are_stripped_newlines_kept():
    rows = [*plain(29), {"input": "bell\u0007 here\u0000", "output": "first\nsecond\r\nthird"}]
    loaded = load_examples(jsonl(rows), "ctl.jsonl")
    assert loaded.examples[-1].input == "bell here"
    assert loaded.examples[-1].output == "first\nsecond\nthird"


def test_too_few_rows_is_a_dataset_error_naming_the_minimum():
    with pytest.raises(DatasetError, match=r"only 3 usable examples in tiny\.jsonl .*at least 30"):
        load_examples(jsonl(plain(3)), "tiny.jsonl")


def test_too_few_rows_lists_the_first_skip_reasons():
    rows = [{"question": f"q{i}", "answer": "a"} for i in range(5)]
    with pytest.raises(DatasetError) as err:
        load_examples(jsonl(rows), "qa.jsonl")
    message = str(err.value)
    assert message.startswith("only 0 usable examples in qa.jsonl (need at least 30")
    assert (
        "5 rows were skipped: line 1: no input/output fields (found: question, answer)" in message
    )
    assert "line 4" not in message  # only the first 3 reasons
    assert "accepted rows: input/output, prompt/completion" in message


def test_unsupported_and_unreadable_files():
    with pytest.raises(UnreadableFile, match=r"\.jsonl, \.json or \.csv"):
        load_examples(b"input,output", "pairs.xlsx")
    with pytest.raises(UnreadableFile, match="not valid JSON"):
        load_examples(b'[{"input": "a", ', "pairs.json")


def test_large_files_are_sampled_to_the_cap_in_order():
    loaded = load_examples(jsonl(plain(12_000)), "big.jsonl")
    assert len(loaded.examples) == 10_000
    assert loaded.notes == ["sampled 10,000 of 12,000 rows"]
    numbers = [int(e.id.split("-")[1]) for e in loaded.examples]
    assert numbers == sorted(numbers)  # file order kept
    again = load_examples(jsonl(plain(12_000)), "big.jsonl")
    assert [e.id for e in again.examples] == [e.id for e in loaded.examples]
    other = load_examples(jsonl(plain(12_000)), "big.jsonl", seed=1)
    assert [e.id for e in other.examples] != [e.id for e in loaded.examples]


def test_object_outputs_become_json_text_and_a_json_task():
    rows = [
        {"input": f"Extract: Zoë, {i}", "output": {"name": "Zoë", "age": i, "tags": ["a"]}}
        for i in range(30)
    ]
    rows[1]["output"] = 7  # numbers become their text
    loaded = load_examples(jsonl(rows), "extract.jsonl")
    assert loaded.examples[0].output == '{"name": "Zoë", "age": 0, "tags": ["a"]}'
    assert loaded.examples[1].output == "7"
    kind, why = detect_task([e.output for e in loaded.examples])
    assert kind == "json"
    assert why == "29 of 30 outputs are JSON objects; the rest will score as invalid"
    summary = loaded.summary()
    assert summary["task"] == "json" and summary["examples"] == 30


# --- task kind ------------------------------------------------------------------------


def test_detect_task_kinds_and_explanations():
    assert TASK_KINDS == ("classification", "json", "generation")
    six = [f"label{i % 6}" for i in range(150)]
    assert detect_task(six) == (
        "classification",
        "all 150 outputs are one of 6 labels (label0, label1, label2, label3, label4, label5)",
    )
    fenced = ['```json\n{"a": 1}\n```'] * 40
    assert detect_task(fenced) == ("json", "all 40 outputs are JSON objects")
    prose = [f"This is a longer free text answer number {i}" for i in range(20)]
    assert detect_task(prose) == ("generation", "outputs are free text (median 9 words)")


def test_detect_task_one_label_only_is_flagged_as_trivial():
    kind, why = detect_task(["Yes"] * 30 + ["yes."] * 5)
    assert kind == "classification"
    assert "only one label (Yes)" in why
    assert "accuracy would be trivial; add examples of other labels" in why


def test_detect_task_sometimes_json_is_scored_as_text():
    outputs = ['{"answer": 1}'] * 20 + ["I could not find it"] * 10 + ["Maybe later"] * 10
    assert detect_task(outputs) == ("generation", "20 of 40 outputs parse as JSON; scored as text")


def test_detect_task_too_many_short_values_is_generation():
    # 40 outputs may have at most max(2, min(30, 40/5)) = 8 labels; these have 40
    kind, why = detect_task([f"city {i}" for i in range(40)])
    assert kind == "generation"
    assert "40 different values, too many to be labels" in why


def test_labels_of_merges_spellings():
    examples = [
        Example(str(i), f"q{i}", out)
        for i, out in enumerate(["Positive", "positive", "Positive", "Negative"])
    ]
    assert labels_of(examples) == ["Negative", "Positive"]


@pytest.mark.parametrize(
    "name,fmt,task",
    [("support_routing.jsonl", "alpaca", "classification"),
     ("support_records.jsonl", "chat", "json"),
     ("debian_sections.jsonl", "alpaca", "classification")],
)  # fmt: skip
def test_shipped_samples_load_whole_with_the_right_task(name, fmt, task):
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "examples" / name
    summary = load_examples(path.read_bytes(), name).summary()
    assert summary["skipped"] == 0 and summary["examples"] >= 150
    assert (summary["format"], summary["task"]) == (fmt, task)
