"""Understanding: what the user said and wants, read from one Spanish message.

Owns the one text normaliser and clip helper (`text`, with the glossary of Mexican business words
in `glossary`), places (`places`), profile extraction by rules (`profile`, tables in
`profile_data`) and by an LLM (`profile_llm`), the language check (`language`), and the stage
that reads a turn (`reader`: intent rules and the questions that complete a diagnosis).

May import: `assistant.schemas`, `assistant.knowledge` (models) and `assistant.turn`. Every other
room reads Spanish through this one.
"""
