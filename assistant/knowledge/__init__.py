"""Knowledge: the one reader and validator of `knowledge/` (courses, paths, sectors, curated
answers, program documents), shared by ingestion and the assistant.

Owns the schema (`models`), parsing into typed entries (`reader`) and the checks staff run
(`check`: schema, references, freshness, URLs, links).

May import: nothing else in `assistant/` (it is the bottom of the stack).
"""
