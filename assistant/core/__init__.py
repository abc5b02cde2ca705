"""The ground floor: settings, offline switches, errors and the model layer.

Everything else (knowledge, eval and the upper floors of `assistant`) may import from
here; nothing here imports from them.
"""
