"""The assistant, in floors that import downwards only.

- `core/`: settings, offline switches, errors, model backends, doctor (used by everyone);
- `advice/`: profile → recommendation and plan (pure);
- `interview/`: the conversation that fills in a profile;
- `report/`: the downloadable report;
- `web/` and `cli/`: the two front ends.

Importing it is cheap and never loads a model; it does switch every library to offline
mode first, so nothing imported after it can reach a model hub.
"""

from assistant.core.offline import enforce_offline

__version__ = "0.2.0"

enforce_offline()
