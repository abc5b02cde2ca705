"""The interview: a deterministic conversation that fills in a Profile, one question at a time.

`conversation` is the state machine, `questions` what is asked and how answers are read,
`messages` what else is said, `parsers/` the free-text readers.
"""
