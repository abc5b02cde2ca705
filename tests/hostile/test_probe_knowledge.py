"""Hostile inputs for the knowledge side of issue 22 ("Nothing lost, nothing shared").

Same machinery as test_hostile_inputs.py (Case, judge, verdicts), in a module of its own:
names that fold alike, another chunk size in the same workspace, a kill -9 and a full
disk mid-ingest, workspace names, symlink loops, junk text, AES PDFs and quoted Q/A CSVs.
`test_summary` fails on any crash or loss.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from tests.hostile import files as f
from tests.hostile import knowledge_doors as k
from tests.hostile.doors import (
    Case,
    Env,
    document,
    files_named,
    indexed,
    judge,
    lazy,
    tally,
    upload,
    uploads_in_turn,
)
from tests.knowledge.test_pdf_csv import GOLDEN, QUOTED_QA


def _with_delimiter(text: str, delimiter: str) -> str:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter).writerows(csv.reader(io.StringIO(text)))
    return out.getvalue()


QUOTED_SEMICOLONS = _with_delimiter(QUOTED_QA, ";")  # as Excel writes it in many locales

CASES = [
    # 1. names that fold to one stored name
    Case("names-nfc-nfd", "names", k.reingested(k.NFC, k.NFD), ("café.txt: read",)),
    Case(
        "names-accents",
        "names",
        k.reingested("résumé.txt", "resume.txt"),
        ("résumé.txt: read", "resume.txt: read", "unchanged"),
    ),
    Case(
        "names-cjk", "names", k.reingested("文档.txt", "报告.txt"), ("文档.txt: read", "报告.txt")
    ),
    Case("names-case", "names", k.reingested("Report.txt", "report.txt"), ("Report.txt: read",)),
    Case(
        "names-all-at-once",
        "names",
        k.reingested(k.NFC, k.NFD, "cafe.txt", "a/文档.txt", "a/报告.txt", "a/ x.txt", "a/x.txt"),
        ("a/文档.txt: read", "a/x.txt: read"),
    ),
    Case(
        "names-same-in-two-folders",
        "names",
        k.same_name_twice("notes.txt"),
        ("notes.txt", "same name", "rename one"),
    ),
    Case(
        "upload-resume-then-resume",
        "upload",
        uploads_in_turn(("résumé.txt", "Alpha cranes " * 20), ("resume.txt", "Beta customs " * 20)),
        ("Added 1 document",),
    ),
    Case(
        "upload-nfc-then-nfd",
        "upload",
        uploads_in_turn((k.NFC, "Gamma harbour " * 20), (k.NFD, "Delta pallets " * 20)),
        ("Added 1 document",),
    ),
    # 2. another chunk size in the same workspace
    Case(
        "chunk-size-change", "index", k.chunking_change(60), ("chunks of 60 tokens", "200 tokens")
    ),
    # 3. and 8. writes cut short
    Case("killed-mid-ingest", "index", k.killed_mid_ingest(), ("killed at", "contract.txt: read")),
    Case(
        "disk-full-enospc",
        "index",
        k.disk_full(k.ENOSPC),
        ("Ran out of disk space", "big.txt", "MB more is needed", "unchanged: good.txt"),
    ),
    Case(
        "disk-full-sqlite",
        "index",
        k.disk_full(k.SQLITE_FULL),
        ("Ran out of disk space", "chroma", "big.txt: read"),
    ),
    # 5. workspace names
    Case("workspace-space", "workspace", k.workspace("team a"), ("'team a'", "not allowed")),
    Case("workspace-slash", "workspace", k.workspace("team/a"), ("'team/a'", "lowercase letters")),
    Case("workspace-dotdot", "workspace", k.workspace("../x"), ("not allowed", "team-a")),
    Case("workspace-session", "workspace", k.workspace("session-x8k2m9q0zt1"), ("opened",)),
    Case("workspaces-apart", "workspace", k.workspaces_apart("team-a", "team_a"), ("ws-team",)),
    # 6. links
    Case("link-loop-self", "links", k.links(**{"loop.txt": "loop.txt"}), ("loop.txt", "loop")),
    Case(
        "link-loop-pair",
        "links",
        k.links(**{"ping.txt": "pong.txt", "pong.txt": "ping.txt"}),
        ("ping.txt", "pong.txt", "symlink loop"),
    ),
    Case(
        "link-folder-loop",
        "links",
        k.links(**{"sub/up": ".."}),
        ("sub/up", "linked folder not followed"),
    ),
    Case("link-broken", "links", k.links(**{"gone.txt": "nowhere.txt"}), ("gone.txt", "broken")),
    # 7. junk text and big uploads
    Case(
        "junk-base64-page",
        "documents",
        document("scan.html", lazy(k.base64_page)),
        ("scan.html", "encoded data", "not text"),
    ),
    Case(
        "junk-base64-indexed",
        "index",
        indexed("scan.html", lazy(k.base64_page)),
        ("scan.html", "encoded data"),
    ),
    Case(
        "junk-base64-upload",
        "upload",
        upload(files_named(("scan.html", lazy(k.base64_page)))),
        ("Skipped scan.html", "encoded data"),
    ),
    Case(
        "junk-hexdump",
        "documents",
        document("dump.txt", lazy(k.hexdump)),
        ("dump.txt", "almost no real words"),
    ),
    Case(
        "junk-data-uri-in-prose",
        "documents",
        document(
            "mixed.txt",
            lambda p: p.write_text(
                f.GOOD_TEXT + "src='data:image/png;base64," + k.base64_page()[40:9000].decode()
            ),
            text=("Refunds are paid within 14 days",),
            forbid=("base64,",),
        ),
        ("mixed.txt: left out", "encoded data"),
    ),
    Case(
        "chunk-cap",
        "index",
        k.capped(files=5, max_chunks=25),
        ("per upload", "upload it on its own", "f0.txt: read"),
    ),
    # 9. locked PDFs
    Case(
        "pdf-aes-256",
        "documents",
        document("aes256.pdf", lambda p: p.write_bytes(k.locked_pdf("AES-256")), text=("Refunds",)),
        ("aes256.pdf: read 1",),
    ),
    Case(
        "pdf-aes-128",
        "documents",
        document("aes128.pdf", lambda p: p.write_bytes(k.locked_pdf("AES-128")), text=("Refunds",)),
        ("aes128.pdf: read 1",),
    ),
    Case(
        "pdf-aes-256-password",
        "documents",
        document("locked.pdf", lambda p: p.write_bytes(k.locked_pdf("AES-256", "s3cret"))),
        ("locked.pdf", "password-protected", "remove the password"),
    ),
    # 10. quoted Q/A CSVs
    Case(
        "qa-quoted-newlines",
        "qa",
        k.qa_pairs("qa.csv", QUOTED_QA, [(q, a) for _, q, a in GOLDEN]),
        ("3 question/answer pairs",),
    ),
    Case(
        "qa-quoted-semicolons",
        "qa",
        k.qa_pairs("qa.csv", QUOTED_SEMICOLONS, [(q, a) for _, q, a in GOLDEN]),
        ("3 question/answer pairs",),
    ),
]

RESULTS: dict[str, tuple[str, str]] = {}


@pytest.fixture(scope="module")
def env(tmp_path_factory) -> Env:
    return Env(tmp_path_factory.mktemp("probe-knowledge-data"))


@pytest.mark.parametrize("case", CASES, ids=str)
def test_probe(case: Case, env: Env, tmp_path: Path) -> None:
    verdict, detail = RESULTS[case.id] = judge(case, tmp_path, env)
    if verdict == "skipped":
        pytest.skip(detail)
    assert verdict == "clean", f"{case.door} / {case.id}: {verdict}: {detail}"


def test_summary(env: Env, tmp_path_factory) -> None:
    """Counts over every case: no crash, no data lost, nothing leaked."""
    counts = tally("knowledge probes", CASES, RESULTS, env, tmp_path_factory.mktemp)
    assert counts["crash"] == 0 and counts["data lost"] == 0 and counts["leaked"] == 0
    assert len(CASES) >= 15 and len({c.id for c in CASES}) == len(CASES)
