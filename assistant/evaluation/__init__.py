"""Evaluation: retrieval, persona and answer metrics, and the staff feedback report.

Owns the evaluation sets' loaders and metrics (`retrieval`, `personas`, `answers`), the suite
that runs them (`suite`) and the feedback report (`report`). No argument parsing and no printing:
`mipyme-ia eval` and `mipyme-ia report` live in `api/cli.py`.

May import anything in `assistant/`, including the composition root (`assistant.factory`): it
drives the assistant like a channel does.
"""
