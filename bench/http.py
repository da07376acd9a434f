"""HTTP benchmark against a real uvicorn server on loopback (offline mode unless stated).

1. /v1/chat with 16 concurrent clients for a bounded time: rps, p50, p95, errors.
2. SSE time to first delta against a local fake LLM that answers after a fixed delay:
   our added latency = first delta at the client - first token sent by the fake LLM.
3. Server RSS after warm-up.
Run after `make ingest`, from the repo root: `.venv/bin/python -m bench.http [--seconds 20]`
(as a module: run as a script, this file would shadow the standard library's `http`).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.fake_openai import FakeOpenAI, Reply
from tests.helpers import UvicornThread, free_port

MESSAGES = [
    "Tengo una fonda en Oaxaca, 4 empleados, quiero usar IA para los pedidos por WhatsApp",
    "¿Qué es el convenio de AWS con la Secretaría de Economía?",
    "tengo una tiendita y se me acaban los productos",
    "¿puedo deducir lo que gasto en capacitar a mis empleados?",
]


def start_server(env: dict[str, str]) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    proc = subprocess.Popen(
        [str(Path(sys.executable).parent / "mipyme-ia"), "serve", "--port", str(port)],
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/readyz", timeout=2).status_code == 200:
                return proc, url
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    proc.kill()
    raise SystemExit("the server did not become ready")


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def load(url: str, clients: int, seconds: float) -> None:
    latencies: list[float] = []
    errors = 0
    deadline = time.monotonic() + seconds

    async def client(i: int) -> None:
        nonlocal errors
        async with httpx.AsyncClient(base_url=url, timeout=60) as http:
            n = 0
            while time.monotonic() < deadline:
                body = {
                    "message": MESSAGES[(i + n) % len(MESSAGES)],
                    "session_id": f"bench-{i}-{n // 4}",
                }
                start = time.perf_counter()
                response = await http.post(
                    "/v1/chat", json=body, headers={"X-Forwarded-For": f"10.9.0.{i}"}
                )
                latencies.append((time.perf_counter() - start) * 1000)
                if response.status_code != 200:
                    errors += 1
                n += 1

    started = time.monotonic()
    await asyncio.gather(*(client(i) for i in range(clients)))
    elapsed = time.monotonic() - started
    print(
        f"/v1/chat offline, {clients} clients, {elapsed:.0f} s: {len(latencies) / elapsed:.1f} req/s, "
        f"p50 {pct(latencies, 0.5):.0f} ms, p95 {pct(latencies, 0.95):.0f} ms, errors {errors}"
    )


async def sse_first_byte(url: str, fake: FakeOpenAI, rounds: int) -> None:
    added: list[float] = []
    async with httpx.AsyncClient(base_url=url, timeout=60) as http:
        for n in range(rounds):
            fake.script.append(Reply(text="Te recomiendo empezar por lo básico [1].", delay_s=0.3))
            sent_at: float | None = None
            async with http.stream(
                "POST", "/v1/chat/stream", json={"message": MESSAGES[1], "session_id": f"sse-{n}"}
            ) as response:
                async for line in response.aiter_lines():
                    if line.startswith("event: delta"):
                        sent_at = time.time()
                        break
            if sent_at and fake.first_token_at:
                added.append((sent_at - fake.first_token_at) * 1000)
    print(
        f"SSE first delta after the LLM's first token ({len(added)} runs): "
        f"median {statistics.median(added):.1f} ms, max {max(added):.1f} ms  (target <= 50 ms)"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--clients", type=int, default=16)
    args = parser.parse_args()
    # Clients are told apart by X-Forwarded-For, which the server reads only from trusted proxies.
    base_env = {
        "MIPYME_RATE_LIMIT": "100000/minute",
        "MIPYME_LLM": "offline",
        "MIPYME_TRUSTED_PROXIES": "127.0.0.1",
    }
    proc, url = start_server(base_env)
    try:
        for m in MESSAGES:
            httpx.post(f"{url}/v1/chat", json={"message": m}, timeout=60)
        print(f"server RSS after warm-up: {rss_mb(proc.pid):.0f} MB  (target <= 500 MB)")
        asyncio.run(load(url, args.clients, args.seconds))
        print(f"server RSS after load: {rss_mb(proc.pid):.0f} MB")
    finally:
        proc.terminate()
        proc.wait(timeout=30)

    fake = FakeOpenAI()
    with UvicornThread(fake.app()) as llm:
        proc, url = start_server(
            {
                **base_env,
                "MIPYME_LLM": "openai",
                "OPENAI_API_KEY": "sk-bench",
                "OPENAI_BASE_URL": f"{llm.url}/v1",
            }
        )
        try:
            asyncio.run(sse_first_byte(url, fake, rounds=10))
        finally:
            proc.terminate()
            proc.wait(timeout=30)


if __name__ == "__main__":
    main()
