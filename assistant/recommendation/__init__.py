"""Recommendation: use cases, an ordered training path and the Plan México programs that apply.

Owns `recommend_all`, which returns complete recommendations (programs included) for a
profile, and `plan`, which decides what a turn shows of them and what it only refers to
(an unchanged block is never resent).

May import: `assistant.schemas`, `assistant.knowledge` (models and reader),
`assistant.understanding` (the normaliser).
"""
