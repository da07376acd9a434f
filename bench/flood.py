"""CPU cost of a 4,000-character flood turn against a normal turn (offline, in process).

Each kind of flood (CJK, emoji, Cyrillic, Arabic, Latin words, one repeated letter, digits and
punctuation, mixed) is sent as a full 4,000-character message, the limit `/v1/chat` accepts.
CPU is this process's (every thread: embedder, BM25, fuzzy matching), measured with
`time.process_time()` around each turn. Target: every flood ≤ 3× a normal turn's median.

    python -m bench.flood [--rounds 5]   # MIPYME_DATA_DIR with an index (`make ingest`), or
    python -m bench.flood --fixture      # indexes the small test corpus into a temp dir first
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import tempfile
import time
from pathlib import Path

from assistant.factory import build_assistant
from assistant.settings import Settings, get_settings

NORMAL = [
    "Tengo una fonda en Oaxaca, 4 empleados, quiero usar IA para los pedidos por WhatsApp",
    "¿Qué es el convenio de AWS con la Secretaría de Economía?",
    "tengo una tiendita en neza y se me acaban los productos",
    "¿puedo deducir lo que gasto en capacitar a mis empleados?",
    "¿hay polos de desarrollo en Sonora?",
    "cursos gratis de ia en español",
]
LIMIT = 4000


def floods(rng: random.Random) -> dict[str, str]:
    def pick(alphabet: str, sep: str = "") -> str:
        out = ""
        while len(out) < LIMIT:
            out += rng.choice(alphabet) + (sep if rng.random() < 0.2 else "")
        return out[:LIMIT]

    latin_words = "tienda venta curso negocio inteligencia capacitación oaxaca pedidos".split()
    words = ""
    while len(words) < LIMIT:
        words += rng.choice(latin_words) + rng.choice(["", "x", "s", "ito"]) + " "
    return {
        "cjk": pick("".join(chr(c) for c in range(0x4E00, 0x4E00 + 3000))),
        "emoji": "".join(rng.choice("😀😃😄😁😆🙂🔥🎉🚀💡🌮🌶️") for _ in range(LIMIT))[:LIMIT],
        "cyrillic": pick("абвгдежзийклмнопрстуфхцчшщыэюя", " "),
        "arabic": pick("ابتثجحخدذرزسشصضطظعغفقكلمنهوي", " "),
        "latin_words": words[:LIMIT],
        "one_letter": "a" * LIMIT,
        "digits_punct": pick("0123456789.,;:-+*/()[]{}¿?¡!"),
        "mixed": pick("aé中😀б٣ ", ""),
    }


def cpu_turn(assistant, message: str) -> float:  # type: ignore[no-untyped-def]
    start = time.process_time()
    asyncio.run(assistant.respond(None, message, "web"))
    return (time.process_time() - start) * 1000


def run(settings: Settings, rounds: int) -> dict[str, float]:
    assistant = build_assistant(settings)
    for m in NORMAL:  # warm-up
        asyncio.run(assistant.respond(None, m, "web"))
    normal = []
    towns = ["Juchitán", "Tapachula", "Acapulco", "Tlaxiaco", "Comitán", "Iguala", "Ixtepec"]
    for r in range(rounds):
        for i, m in enumerate(NORMAL):
            # Different words inside the question every time: the retriever memoises query
            # vectors, and a cached turn is not a normal turn.
            town = towns[(r + i) % len(towns)]
            text = m.replace("?", f" en {town}, caso {r}{i}?") if "?" in m else f"{m} en {town}"
            normal.append(cpu_turn(assistant, text))
    base = statistics.median(normal)
    print(
        f"normal turn: median {base:.1f} ms CPU, p95 {sorted(normal)[int(0.95 * (len(normal) - 1))]:.1f} ms ({len(normal)} turns)"
    )
    ratios: dict[str, float] = {}
    for r in range(rounds):
        for name, text in floods(random.Random(r)).items():
            ratios.setdefault(name, 0.0)
            cost = cpu_turn(assistant, text)
            ratios[name] = max(ratios[name], cost)
    worst = 0.0
    for name, cost in ratios.items():
        worst = max(worst, cost / base)
        print(f"flood {name:<13} worst {cost:7.1f} ms CPU = {cost / base:4.2f}x normal")
    print(f"worst flood / normal median: {worst:.2f}x  (target <= 3)")
    return ratios


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--fixture", action="store_true", help="index tests/fixtures/knowledge")
    args = parser.parse_args()
    if not args.fixture:
        run(get_settings(), args.rounds)
        return
    from ingest.pipeline import run_ingest

    root = Path(__file__).resolve().parents[1]
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(
            _env_file=None,
            MIPYME_DATA_DIR=Path(tmp),  # type: ignore[call-arg]
            MIPYME_KNOWLEDGE_DIR=root / "tests" / "fixtures" / "knowledge",
            MIPYME_LLM="offline",
        )
        run_ingest(settings)
        run(settings, args.rounds)


if __name__ == "__main__":
    main()
