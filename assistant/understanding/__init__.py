"""Understanding: what the user said and wants, read from one Spanish message.

Owns the one text normaliser, clip helper and per-message work budget (`text`, with the glossary of Mexican business words
in `glossary`), places (`places`), profile extraction by rules (`profile`, tables in
`profile_data`) and by an LLM (`profile_llm`), sectors by meaning (`sectors`: the bundled
embedder against knowledge/sectors.yaml descriptions, for businesses no alias names), the
language of a message and of answers (`language`), and the stage that reads a turn (`reader`:
`Reader.understand(turn) -> Understanding`, intent rules and the questions that complete a
diagnosis), and an idea's first step fitted to the product, document or language the owner
named (`fitting`).

May import: `assistant.schemas`, `assistant.knowledge` (models) and `assistant.turn`. Every other
room reads Spanish through this one.
"""
