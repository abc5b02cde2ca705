"""Ingestion, chunking, vector index and the built-in guidance base.

Importing this package is cheap: heavy libraries (chromadb, langchain, pypdf)
load inside the functions that need them.
"""

from assistant.core.offline import enforce_offline

enforce_offline()
