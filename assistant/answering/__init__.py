"""Answering: the answer to a direct question, or an honest refusal, with numbered sources.

Owns the evidence checks (is retrieval trustworthy? which sentences answer?) and the refusal
decision (`evidence`).

May import: `assistant.schemas`, `assistant.retrieval` and `assistant.understanding`.
"""
