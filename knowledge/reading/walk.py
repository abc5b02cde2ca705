"""Which files an upload holds: folders walked, links checked, every file named once.

Folders users drop hold links of every kind: to files outside the folder, to nothing,
to themselves, to a parent folder. None of them may stop the walk (a symlink loop used
to crash the whole ingest) and none may be followed out of the folder; each is listed
with the reason it was not read, next to the files that were.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from knowledge.reading.names import display_name, given_names, safe_source

LOOP = "symlink loop (the link leads back to itself), so it was not read"
LINKED_FOLDER = "linked folder not followed (links to folders can loop); copy its files in"


@dataclass(frozen=True)
class Candidate:
    """A file to read, or (with a `problem`) one to list as skipped."""

    path: Path
    source: str  # the key it is indexed under (names.safe_source)
    name: str  # the name the user gave it, for citations and messages
    problem: str = ""


def candidates(paths: Sequence[str | Path]) -> Iterator[Candidate]:
    """Every file under `paths`, in a stable order; a key already used is a problem."""
    seen: set[str] = set()
    for given in paths:
        for found in _given(Path(given)):
            if not found.problem and found.source in seen:
                found = Candidate(
                    found.path, found.source, found.name,
                    f"another file in this upload has the same name ({found.source}); "
                    "rename one of them",
                )  # fmt: skip
            seen.add(found.source)
            yield found


def _given(path: Path) -> Iterator[Candidate]:
    problem = _link_problem(path) if path.is_symlink() else _stat_problem(path)
    if not problem and path.is_dir():
        yield from _walk(path)
        return
    name = given_names(path.parent).get(path.name, path.name)
    yield Candidate(path, safe_source(path.name), display_name(name), problem)


def _stat_problem(path: Path) -> str:
    """'' when `path` can be stat'ed, else what is wrong in the user's words."""
    try:
        os.stat(path)
    except OSError as err:
        if err.errno == errno.ENOENT:
            return "not found"
        return _os_problem(err)
    return ""


def _link_problem(link: Path) -> str:
    """What is wrong with a link's target: loop, nothing there, or unreadable; '' if fine."""
    try:
        os.stat(link)
    except OSError as err:
        if err.errno == errno.ENOENT:
            return "broken link (it points to nothing)"
        return _os_problem(err)
    return ""


def _os_problem(err: OSError) -> str:
    if err.errno == errno.ELOOP:
        return LOOP
    if err.errno in (errno.EACCES, errno.EPERM):
        return "cannot be read (permission denied)"
    return f"cannot be read ({err.strerror or type(err).__name__})"


def _walk(root: Path) -> Iterator[Candidate]:
    """Files under `root`, sorted, skipping hidden entries; links are checked, not trusted.

    Linked folders are not followed (they can loop); linked files inside `root` are read.
    """
    real_root = Path(os.path.realpath(root))
    found: list[tuple[str, Path, str]] = []
    unreadable: list[OSError] = []
    for folder, dirs, files in os.walk(root, followlinks=False, onerror=unreadable.append):
        here = Path(folder)
        for d in [d for d in dirs if not d.startswith(".") and (here / d).is_symlink()]:
            found.append((_relative(here / d, root), here / d, LINKED_FOLDER))
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for filename in files:
            if not filename.startswith("."):
                path = here / filename
                found.append((_relative(path, root), path, _file_problem(path, real_root)))
    for err in unreadable:
        if err.filename and Path(err.filename) != root:
            path = Path(err.filename)
            found.append((_relative(path, root), path, "folder " + _os_problem(err)))
    names: dict[Path, dict[str, str]] = {}
    for relative, path, problem in sorted(found):
        given = names.setdefault(path.parent, given_names(path.parent)).get(path.name)
        shown = relative if given is None else _relative(path.parent, root) + "/" + given
        yield Candidate(path, safe_source(relative), display_name(shown), problem)


def _relative(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix()


def _file_problem(path: Path, real_root: Path) -> str:
    """'' for a file to read; a reason for links out of the folder, loops and the like."""
    try:
        if not path.is_symlink():
            return ""
        problem = _link_problem(path)
        if problem:
            return problem
        if not Path(os.path.realpath(path)).is_relative_to(real_root):
            return "link points outside the folder"
        if stat.S_ISDIR(os.stat(path).st_mode):  # a link to a folder os.walk saw as a file
            return LINKED_FOLDER
    except OSError as err:
        return _os_problem(err)
    return ""
