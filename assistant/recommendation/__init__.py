"""Recommendation: use cases, an ordered training path and the Plan México programs that apply.

Owns `recommend`, which returns complete recommendations (programs included) for a profile.

May import: `assistant.schemas`, `assistant.knowledge` (models and reader),
`assistant.retrieval` (program search) and `assistant.understanding` (the normaliser).
"""
