#!/usr/bin/env python
"""Adaptation Advisor: the web app (default) and the command line.

Entry only: force the offline switches before any library loads, then hand the
arguments to `assistant.cli` (which starts `assistant.web` for `serve`).
"""

import sys

from assistant.core.offline import enforce_offline

enforce_offline()  # before gradio, transformers or chromadb are imported anywhere

from assistant.cli import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
