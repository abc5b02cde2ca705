"""The browser front end: the only package that imports gradio (in `layout` only).

Every other module here is plain Python over `SessionState` (per visitor, kept in
`gr.State`) and `Services` (shared, lazily loaded), so each step the UI performs is
tested without a browser: `chat`, `uploads`, `trials`, `history`, `downloads`.
"""
