"""Answering: the answer to a direct question, or an honest refusal, with numbered sources.

In order: curated answers (`curated`), facts read from the course catalog (`catalog`), an idea
from the user's sector (`use_cases`), extractive evidence (`evidence`), and a refusal that points
to the institution that handles it (`referral`). `answerer.Answerer` runs them and resolves
follow-ups against the last topic.

May import: `assistant.knowledge`, `assistant.retrieval`, `assistant.turn` and
`assistant.understanding`.
"""
