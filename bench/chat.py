"""Offline chat-turn latency in process (p50/p95) against the time of one query embedding.

Run from the repo root after `make ingest`: `.venv/bin/python -m bench.chat` (uses MIPYME_DATA_DIR, default .data).
"""

from __future__ import annotations

import asyncio
import statistics
import time
import uuid

from assistant.factory import build_assistant
from assistant.settings import get_settings

MESSAGES = [
    "Tengo una fonda en Oaxaca, 4 empleados, quiero usar IA para los pedidos por WhatsApp",
    "¿Qué es el convenio de AWS con la Secretaría de Economía?",
    "tengo una tiendita en neza y se me acaban los productos",
    "¿puedo deducir lo que gasto en capacitar a mis empleados?",
    "soy programador y quiero aprender Amazon Bedrock",
    "¿hay polos de desarrollo en Sonora?",
    "cursos gratis de ia en español",
    "mi perfil",
]


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def run(rounds: int) -> None:
    assistant = build_assistant(get_settings())
    embedder = assistant.retriever.embeddings
    for m in MESSAGES:  # warm-up
        await assistant.respond(None, m, "cli")
    embed_ms = []
    turn_ms = []
    towns = ["Juchitán", "Tapachula", "Acapulco", "Tlaxiaco", "Comitán", "Iguala", "Ixtepec"]
    for r in range(rounds):
        session = uuid.uuid4().hex
        for m in MESSAGES:
            # A different text every round: the retriever memoises query vectors, and a
            # benchmark that repeats itself would measure the cache, not the turn.
            text = f"{m} (desde {towns[r % len(towns)]}, pregunta {r})"
            start = time.perf_counter()
            await assistant.respond(session, text, "cli")
            turn_ms.append((time.perf_counter() - start) * 1000)
            # One embedding of the message right after its turn: on a shared machine the load
            # changes by the second, and both figures of the ratio must see the same load.
            start = time.perf_counter()
            embedder.embed_query(m)
            embed_ms.append((time.perf_counter() - start) * 1000)
    e50 = statistics.median(embed_ms)
    print(f"one query embedding: p50 {e50:.1f} ms")
    print(
        f"offline turn ({len(turn_ms)} turns): p50 {pct(turn_ms, 0.5):.1f} ms, p95 {pct(turn_ms, 0.95):.1f} ms"
    )
    print(f"ratio p95 turn / embedding p50: {pct(turn_ms, 0.95) / e50:.2f}  (target <= 3)")


if __name__ == "__main__":
    asyncio.run(run(rounds=10))
