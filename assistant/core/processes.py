"""Whether a process is still alive, for cleaning up after ones that died.

Why one home: half-indexed files (`knowledge.file_table`), runs left "running"
(`eval.store.liveness`) and visitors' scratch folders (`assistant.web.scratch`) all
belong to a process, and all are cleaned only once that process is gone.
"""

from __future__ import annotations

import os


def pid_alive(pid: int | None) -> bool:
    """Whether a process with this pid exists on this machine."""
    if not pid or pid <= 0:
        return False
    if os.name == "nt":  # there os.kill(pid, 0) would terminate the process
        try:
            import psutil
        except ImportError:
            return True  # cannot tell: treat as alive, never delete a live one's files
        return psutil.pid_exists(pid)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else
        return True
    except OSError:
        return False
    return True
