"""Commands that turn a profile (and a run) into advice: recommend, report."""

from __future__ import annotations

import argparse
import json

from assistant.cli.base import Command, json_flag
from assistant.cli.readonly import note, open_store, read_only
from assistant.core.settings import load_settings


def _recommend(args: argparse.Namespace) -> int:
    """Recommend an approach and a plan for one profile (JSON) or many (JSONL)."""
    from assistant.advice import advise
    from assistant.advice.profile import Profile, ProfileError
    from assistant.core.rates import CostRates

    settings = load_settings(db_path=args.db)
    profiles = _read_profiles(args.profile)
    failures = 0
    if read_only(settings):
        note(f"{settings.db_file} cannot be written: recommendations are not logged")
    with open_store(settings) as store:
        evidence = _run_evidence(store, args.run_id)
        for line_no, data in profiles:
            try:
                profile = Profile.from_dict(data)
            except ProfileError as err:
                failures += 1
                where = f"line {line_no}: " if line_no else ""
                if args.json:
                    print(json.dumps({"error": f"{where}{err}", "field": err.field}))
                else:
                    print(f"error: {where}{err}")
                continue
            result = advise(
                profile, evidence=evidence, rates=CostRates.from_settings(settings)
            ).to_dict()
            store.save_recommendation(profile.to_dict(), result, run_id=args.run_id)
            print(json.dumps(result) if args.json else _format_advice(result))
    return 1 if failures else 0


def _read_profiles(path: str) -> list[tuple[int, object]]:
    """[(line number or 0, parsed JSON)] from a .json file or a .jsonl file."""
    from assistant.advice.profile import ProfileError

    try:
        text = open(path, encoding="utf-8").read()  # noqa: SIM115 - tiny file, read once
    except OSError as err:
        raise ProfileError("profile", f"cannot read profile file {path}: {err.strerror}") from None
    try:
        if path.endswith(".jsonl"):
            return [
                (n, json.loads(line)) for n, line in enumerate(text.splitlines(), 1) if line.strip()
            ]
        return [(0, json.loads(text))]
    except json.JSONDecodeError as err:
        raise ProfileError("profile", f"{path} is not valid JSON: {err}") from None


def _run_evidence(store, run_id: str | None) -> tuple:
    """The named run as trial evidence: () without a run, or when no trial finished."""
    if not run_id:
        return ()
    from assistant.advice import evidence_from_run
    from assistant.advice.profile import ProfileError

    run = store.get_run(run_id)
    if run is None:
        raise ProfileError("run_id", f"no run {run_id!r} in the database (see `app.py runs`)")
    found = evidence_from_run(run)
    return (found,) if found is not None else ()


def _format_advice(result: dict) -> str:
    strength = result["strength"]
    lines = [f"Recommended approach: {result['approach']} (strength of evidence: "
             f"{strength['level']})"]  # fmt: skip
    for name in ("raised_by", "lowered_by"):
        if strength[name]:
            lines.append(f"  {name.replace('_', ' ')}: {', '.join(strength[name])}")
    if result.get("basis"):
        lines.append(result["basis"])
    lines += [f"  - {r['text']} [{r['source']} — {r['heading']}]" for r in result["reasons"]]
    if result["prerequisites"]:
        lines.append("Prerequisites: " + ", ".join(result["prerequisites"]))
    if result["risks"]:
        numbers = result.get("risk_numbers") or {}
        lines.append("Risks: " + ", ".join(
            r + (f" ({numbers[r]})" if r in numbers else "") for r in result["risks"]
        ))  # fmt: skip
    lines.append("Plan:")
    lines += [f"  {i}. {phase['name']}" for i, phase in enumerate(result["plan"], 1)]
    return "\n".join(lines)


def _recommend_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--profile", required=True, metavar="FILE", help="profile .json or .jsonl")
    parser.add_argument("--run-id", help="weigh this trial run's verdicts as evidence")
    parser.add_argument("--db", metavar="FILE", help="DuckDB file")
    json_flag(parser)


def _report(args: argparse.Namespace) -> int:
    """Write the recommendation report for a run and/or a profile."""
    from assistant.advice.profile import Profile, ProfileError
    from assistant.report import render
    from assistant.report.data import build_report_data

    if not args.run_id and not args.profile:
        raise ProfileError("profile", "give --run-id ID, --profile FILE, or both")
    profile = Profile()
    if args.profile:
        [(_, data)] = _read_profiles(args.profile)[:1] or [(0, {})]
        profile = Profile.from_dict(data)
    settings = load_settings(db_path=args.db)
    from assistant.core.rates import CostRates

    with open_store(settings) as store:
        data = build_report_data(
            profile, store, args.run_id, rates=CostRates.from_settings(settings)
        )
    payload = render(data, args.format)
    try:
        with open(args.out, "wb") as fh:
            fh.write(payload)
    except OSError as err:
        from assistant.core.errors import ReportError

        reason = err.strerror or type(err).__name__
        raise ReportError(f"cannot write {args.out} ({reason}): choose another --out") from None
    summary = {"out": args.out, "format": args.format, "bytes": len(payload),
               "approach": data.advice.recommendation.approach}  # fmt: skip
    print(json.dumps(summary) if args.json else f"wrote {args.out} ({len(payload):,} bytes)")
    return 0


def _report_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--run-id", help="trial run to report (see `app.py runs`)")
    parser.add_argument("--profile", metavar="FILE", help="profile .json (else defaults)")
    parser.add_argument("--format", choices=("md", "html", "pdf"), default="pdf")
    parser.add_argument("--out", required=True, metavar="FILE")
    parser.add_argument("--db", metavar="FILE", help="DuckDB file")
    json_flag(parser)


COMMANDS = {
    "recommend": Command(
        "recommend an approach and plan for a profile", _recommend, _recommend_args
    ),
    "report": Command("write the report (md, html or pdf)", _report, _report_args),
}
