"""Answering: the answer to a direct question, or an honest refusal, with numbered sources.

Owns the evidence checks (is retrieval trustworthy? which sentences answer?), the refusal
decision and source numbering (`evidence`).

May import: `assistant.schemas`, `assistant.turn` and `assistant.understanding`.
"""
