"""Understanding: what the user said and wants, read from one Spanish message.

Owns the one text normaliser (`text`), places (`places`), intents (`intents`), profile extraction
by rules (`profile`, tables in `profile_data`) and by an LLM (`profile_llm`), the glossary of
Mexican business words (`glossary`), the language check (`language`) and the questions that
complete a diagnosis (`questions`).

May import: `assistant.schemas`, `assistant.knowledge_models`, `assistant.errors`. Nothing else
in `assistant/`: every other room reads Spanish through this one.
"""
