"""Fakes and builders every test may share: scripted models, jobs, stored runs, servers.

Tests import these from here, never another test module's private helpers.
"""

from tests.fakes.models import HashEmbedder, ScriptedChat

__all__ = ["HashEmbedder", "ScriptedChat"]
