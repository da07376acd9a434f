"""Soak (not in CI): steady traffic for 10 minutes, sampling the server's RSS every 10 s.

Starts `mipyme-ia serve` on loopback (with WhatsApp pointed at a Graph stand-in in this
process), then runs `--clients` web clients with a think time and a WhatsApp message every
`--wa-every` seconds, while it samples the server's resident memory. Prints the samples and
the trend after warm-up (least-squares slope, first-to-last growth). Flat = pass (exit 0):
growth after warm-up under max(--tolerance-mb, 5 % of the warm RSS).

    .venv/bin/python bench/soak.py                       # 10 minutes, after `make ingest`
    .venv/bin/python bench/soak.py --minutes 2 --interval 5
Bounded in time (--minutes ≤ 60) and in requests (--max-requests).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import shutil
import sys
import tempfile
import time
import uuid
from pathlib import Path

# Run as a script, this folder comes first on sys.path and bench/http.py would shadow the
# standard library's `http` package: drop it, and put the repository root there instead.
_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
ROOT = _HERE.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402

from tests.reliability.support import (  # noqa: E402
    GraphStandIn,
    ServeProcess,
    clean_env,
    envelope,
    signed,
    text_update,
    whatsapp_env,
)

BUSINESSES = [
    "una fonda",
    "una tiendita",
    "un taller mecánico",
    "una estética",
    "una papelería",
    "una panadería",
    "un consultorio dental",
    "una ferretería",
    "una cafetería",
]
STATES = ["Oaxaca", "Puebla", "Chiapas", "Nuevo León", "Jalisco", "Yucatán", "Guerrero"]
QUESTIONS = [
    "¿Qué cursos me recomiendas?",
    "¿Qué es el convenio de AWS con la Secretaría de Economía?",
    "¿Hay apoyos de Plan México para mi negocio?",
    "Tengo 3 horas a la semana",
    "Quiero vender más por WhatsApp",
    "¿Cómo uso la IA para mis inventarios?",
    "¿Dan constancia al terminar los cursos?",
    "gracias",
]


def slope_per_minute(points: list[tuple[float, float]]) -> float:
    """Least-squares slope of (seconds, MB) in MB per minute."""
    n = len(points)
    if n < 2:
        return 0.0
    mx = sum(t for t, _ in points) / n
    my = sum(v for _, v in points) / n
    den = sum((t - mx) ** 2 for t, _ in points) or 1.0
    return sum((t - mx) * (v - my) for t, v in points) / den * 60


async def soak(
    server: ServeProcess,
    minutes: float,
    interval: float,
    clients: int,
    wa_every: float,
    max_requests: int,
) -> list[tuple[float, float, int]]:
    started = time.monotonic()
    deadline = started + minutes * 60
    counts = {"web": 0, "wa": 0, "errors": 0}
    samples: list[tuple[float, float, int]] = []
    rng = random.Random(11)

    def budget_left() -> bool:
        return time.monotonic() < deadline and counts["web"] + counts["wa"] < max_requests

    async def web(i: int) -> None:
        transport = httpx.AsyncHTTPTransport(local_address=f"127.0.0.{10 + i}")
        async with httpx.AsyncClient(base_url=server.url, timeout=120, transport=transport) as http:
            while budget_left():
                session = f"soak-{i}-{uuid.uuid4().hex[:8]}"  # a new user every conversation
                opening = (
                    f"Tengo {rng.choice(BUSINESSES)} en {rng.choice(STATES)}, somos "
                    f"{rng.randint(1, 30)}"
                )
                for message in [opening, *rng.sample(QUESTIONS, 4)]:
                    if not budget_left():
                        return
                    r = await http.post(
                        "/v1/chat", json={"message": message, "session_id": session}
                    )
                    counts["web"] += 1
                    counts["errors"] += r.status_code != 200
                    await asyncio.sleep(rng.uniform(0.5, 1.5))

    async def whatsapp() -> None:
        async with httpx.AsyncClient(base_url=server.url, timeout=120) as http:
            n = 0
            while budget_left():
                sender = f"52155{rng.randint(0, 10**8 - 1):08d}"
                text = rng.choice([f"Hola, tengo {rng.choice(BUSINESSES)}", *QUESTIONS])
                body, headers = signed(
                    envelope(text_update(f"wamid.SOAK.{uuid.uuid4().hex}", sender, text))
                )
                r = await http.post("/webhooks/whatsapp", content=body, headers=headers)
                counts["wa"] += 1
                counts["errors"] += r.status_code != 200
                n += 1
                await asyncio.sleep(wa_every)

    async def sampler() -> None:
        while time.monotonic() < deadline:
            t = time.monotonic() - started
            rss = server.rss_mb()
            samples.append((t, rss, counts["web"] + counts["wa"]))
            print(
                f"  t={t:6.0f} s  RSS {rss:7.1f} MB  requests {counts['web']:6d} web "
                f"{counts['wa']:5d} whatsapp  errors {counts['errors']}",
                flush=True,
            )
            if not budget_left():
                return
            await asyncio.sleep(interval)

    await asyncio.gather(sampler(), whatsapp(), *(web(i) for i in range(clients)))
    if counts["errors"]:
        print(f"errors: {counts['errors']}")
    return samples


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--interval", type=float, default=10)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--wa-every", type=float, default=2.0)
    parser.add_argument("--warmup", type=float, default=60, help="seconds left out of the trend")
    parser.add_argument("--tolerance-mb", type=float, default=25)
    parser.add_argument("--max-requests", type=int, default=100_000)
    args = parser.parse_args()
    if not 0 < args.minutes <= 60 or args.clients > 100 or args.interval < 1:
        parser.error("bounded: 0 < minutes ≤ 60, clients ≤ 100, interval ≥ 1 s")
    source = Path(os.environ.get("MIPYME_DATA_DIR", ROOT / ".data"))
    knowledge = Path(os.environ.get("MIPYME_KNOWLEDGE_DIR", ROOT / "knowledge"))
    if not (source / "chroma").is_dir():
        parser.error(f"no index in {source}: run `make ingest` first")
    with tempfile.TemporaryDirectory(prefix="mipyme-soak-") as tmp, GraphStandIn() as graph:
        data = Path(tmp) / "data"
        shutil.copytree(source, data)
        env = clean_env(
            MIPYME_DATA_DIR=data,
            MIPYME_KNOWLEDGE_DIR=knowledge,
            MIPYME_LLM="offline",
            MIPYME_RATE_LIMIT="600/minute",
            **whatsapp_env(graph.url),
        )
        server = ServeProcess(env, Path(tmp)).start()
        try:
            print(
                f"soak: {args.minutes:g} min, {args.clients} web clients, a WhatsApp message "
                f"every {args.wa_every:g} s; RSS every {args.interval:g} s"
            )
            samples = asyncio.run(
                soak(
                    server,
                    args.minutes,
                    args.interval,
                    args.clients,
                    args.wa_every,
                    args.max_requests,
                )
            )
        finally:
            server.stop()
        replies = len(graph.sent)
    warm = [(t, rss) for t, rss, _ in samples if t >= args.warmup] or [
        (t, rss) for t, rss, _ in samples
    ]
    first, last = warm[0][1], warm[-1][1]
    growth = last - first
    slope = slope_per_minute(warm)
    allowed = max(args.tolerance_mb, 0.05 * first)
    flat = growth <= allowed and slope * args.minutes <= allowed
    print(
        f"trend after {args.warmup:g} s of warm-up: {first:.1f} → {last:.1f} MB "
        f"(growth {growth:+.1f} MB, slope {slope:+.2f} MB/min, allowed {allowed:.0f} MB); "
        f"WhatsApp replies sent {replies}"
    )
    print("FLAT: pass" if flat else "GROWING: fail")
    return 0 if flat else 1


if __name__ == "__main__":
    raise SystemExit(main())
