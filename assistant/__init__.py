"""The assistant: settings, models, interview, decision engine, plan and report.

Importing it is cheap and never loads a model; it does switch every library to
offline mode first, so nothing imported after it can reach a model hub.
"""

from assistant.offline import enforce_offline

__version__ = "0.1.0"

enforce_offline()
