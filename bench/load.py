"""Load: web chat clients and a WhatsApp burst at once, against `mipyme-ia serve` on loopback.

What runs (all on 127.0.0.0/8):
  * the server: `mipyme-ia serve` (subprocess; SQLite by default, `--redis` for Redis) with the
    WhatsApp channel pointed at a Graph API stand-in in this process;
  * `--clients` web clients on `/v1/chat`, each from its own source address (127.0.0.10, .11…)
    and its own session, with a think time between turns, so none reaches the rate limit;
  * one abusive client (127.0.0.250) firing `--abusive` requests back to back: everything over
    the limit must be a 429, and nothing else may be;
  * a WhatsApp burst: `--wa-messages` signed messages from `--wa-users` users, one per POST.

It checks: no error but the abusive client's 429s, exactly `limit` successes for the abuser,
every WhatsApp message answered exactly once (one read receipt per inbound id, every stored
reply sent once), and prints p50/p95/p99 latencies.

    .venv/bin/python bench/load.py                 # the full run: 60 s, 50 clients, 200 messages
    .venv/bin/python bench/load.py --seconds 15    # shorter
Uses the index of `make ingest` (MIPYME_DATA_DIR, default ./.data, copied to a temp dir) and
MIPYME_KNOWLEDGE_DIR (default ./knowledge); tests/reliability/test_load.py runs it on the
fixture corpus for ~20 s.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# Run as a script, this folder comes first on sys.path and bench/http.py would shadow the
# standard library's `http` package: drop it, and put the repository root there instead.
_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
ROOT = _HERE.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402

from api.whatsapp.payloads import (  # noqa: E402
    configure_session_key,
    normalize_phone,
    wamid_hash,
)
from tests.reliability.support import (  # noqa: E402
    APP_SECRET,
    GraphStandIn,
    ServeProcess,
    clean_env,
    envelope,
    signed,
    text_update,
    whatsapp_env,
)

CONVERSATION = [
    "Hola",
    "Tengo una fonda en Oaxaca, somos 4",
    "¿Qué cursos me recomiendas?",
    "¿Qué es el convenio de AWS con la Secretaría de Economía?",
    "Tengo 3 horas a la semana",
    "¿Hay apoyos de Plan México para mi negocio?",
    "Quiero tomar pedidos por WhatsApp",
    "gracias",
]
WA_TEXTS = [
    "Hola, tengo una tiendita en Puebla",
    "¿Qué cursos me recomiendas?",
    "Somos 3 y tengo 2 horas a la semana",
    "¿Hay apoyos para mi negocio?",
    "gracias",
]


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


@dataclass
class LoadResult:
    seconds: float = 0.0
    web_latencies_ms: list[float] = field(default_factory=list)
    web_status: dict[int, int] = field(default_factory=dict)
    web_errors: list[str] = field(default_factory=list)
    abusive_status: dict[int, int] = field(default_factory=dict)
    rate_limit: int = 0
    wa_posted: int = 0
    wa_ack_ms: list[float] = field(default_factory=list)
    wa_ack_status: dict[int, int] = field(default_factory=dict)
    wa_reads: dict[str, int] = field(default_factory=dict)  # inbound wamid → read receipts
    wa_sent: int = 0  # messages Graph accepted
    wa_stored_parts: int = 0  # reply parts the server stored (state sent)
    wa_unsent_parts: int = 0  # reply parts in any other state
    wa_inbound_states: dict[str, int] = field(default_factory=dict)
    wa_drain_s: float = 0.0
    rss_mb: float = 0.0
    problems: list[str] = field(default_factory=list)

    def summary(self) -> str:
        lat = self.web_latencies_ms
        n = len(lat)
        lines = [
            f"web: {n} requests in {self.seconds:.0f} s ({n / max(self.seconds, 1e-9):.1f} req/s);"
            f" status {dict(sorted(self.web_status.items()))};"
            f" p50 {pct(lat, 0.5):.0f} ms, p95 {pct(lat, 0.95):.0f} ms, p99 {pct(lat, 0.99):.0f} ms",
            f"abusive client: status {dict(sorted(self.abusive_status.items()))}"
            f" (limit {self.rate_limit}/minute)",
            f"whatsapp: {self.wa_posted} messages posted, acks {dict(self.wa_ack_status)},"
            f" ack p50 {pct(self.wa_ack_ms, 0.5):.0f} ms, p95 {pct(self.wa_ack_ms, 0.95):.0f} ms;"
            f" inbound states {self.wa_inbound_states}; read receipts per message"
            f" {sorted(set(self.wa_reads.values())) or '-'}; replies sent {self.wa_sent},"
            f" stored parts sent {self.wa_stored_parts}, unsent {self.wa_unsent_parts};"
            f" all handled {self.wa_drain_s:.1f} s after the start",
            f"server RSS after the run: {self.rss_mb:.0f} MB",
        ]
        if self.problems:
            lines.append("PROBLEMS: " + "; ".join(self.problems[:10]))
        return "\n".join(lines)


async def web_client(
    i: int,
    url: str,
    deadline: float,
    result: LoadResult,
    think: tuple[float, float],
    rng: random.Random,
) -> None:
    transport = httpx.AsyncHTTPTransport(local_address=f"127.0.0.{10 + i}")
    async with httpx.AsyncClient(base_url=url, timeout=120, transport=transport) as http:
        n = 0
        session: str | None = None  # issued by the server; a new one per conversation
        while time.monotonic() < deadline:
            if n % len(CONVERSATION) == 0:
                session = None
            body = {"message": CONVERSATION[n % len(CONVERSATION)], "session_id": session}
            start = time.perf_counter()
            try:
                response = await http.post("/v1/chat", json=body)
                status = response.status_code
                if status == 200:
                    session = response.json()["session_id"]
            except httpx.HTTPError as exc:
                status = 0
                result.web_errors.append(f"client {i}: {type(exc).__name__}")
            result.web_latencies_ms.append((time.perf_counter() - start) * 1000)
            result.web_status[status] = result.web_status.get(status, 0) + 1
            if status != 200 and len(result.web_errors) < 20:
                result.web_errors.append(f"client {i}: HTTP {status}")
            n += 1
            await asyncio.sleep(rng.uniform(*think))


async def abusive_client(url: str, requests: int, result: LoadResult, deadline: float) -> None:
    transport = httpx.AsyncHTTPTransport(local_address="127.0.0.250")
    async with httpx.AsyncClient(base_url=url, timeout=120, transport=transport) as http:
        sent = 0

        async def one() -> None:
            nonlocal sent
            while sent < requests and time.monotonic() < deadline:
                sent += 1
                body = {"message": "hola", "session_id": f"abuso-{uuid.uuid4().hex[:12]}"}
                try:
                    status = (await http.post("/v1/chat", json=body)).status_code
                except httpx.HTTPError:
                    status = 0
                result.abusive_status[status] = result.abusive_status.get(status, 0) + 1

        await asyncio.gather(*(one() for _ in range(4)))


def wa_messages(users: int, total: int, run: str) -> list[tuple[str, str, str]]:
    """(wamid, sender, text): `total` messages spread over `users`, interleaved by round."""
    senders = [f"52155{run_digits(run, u)}" for u in range(users)]
    out = []
    for n in range(total):
        u = n % users
        out.append((f"wamid.CARGA.{run}.{n}", senders[u], WA_TEXTS[(n // users) % len(WA_TEXTS)]))
    return out


def run_digits(run: str, u: int) -> str:
    return f"{(int(run, 16) + u * 7919) % 10**8:08d}"


async def whatsapp_burst(
    url: str, messages: list[tuple[str, str, str]], result: LoadResult, concurrency: int = 10
) -> None:
    queue = list(messages)
    async with httpx.AsyncClient(base_url=url, timeout=120) as http:

        async def poster() -> None:
            while queue:
                wamid, sender, text = queue.pop(0)
                body, headers = signed(envelope(text_update(wamid, sender, text)))
                start = time.perf_counter()
                try:
                    status = (
                        await http.post("/webhooks/whatsapp", content=body, headers=headers)
                    ).status_code
                except httpx.HTTPError:
                    status = 0
                result.wa_ack_ms.append((time.perf_counter() - start) * 1000)
                result.wa_ack_status[status] = result.wa_ack_status.get(status, 0) + 1
                result.wa_posted += 1

        await asyncio.gather(*(poster() for _ in range(concurrency)))


async def _outbound(store_kind: str, where: str, prefix: str) -> tuple[list[Any], Any]:
    configure_session_key(APP_SECRET)  # as the server: the store keys messages by this hash
    if store_kind == "redis":
        from api.whatsapp.store_redis import RedisWhatsAppStore

        store: Any = RedisWhatsAppStore.from_url(where, prefix=prefix + "wa:")
    else:
        from api.whatsapp.store_sqlite import SqliteWhatsAppStore

        store = SqliteWhatsAppStore(Path(where))
        await store.setup()
    return await store.outbound(), store


async def read_store(
    store_kind: str, where: str, prefix: str, wamids: list[str]
) -> tuple[list[Any], dict[str, str | None]]:
    outbound, store = await _outbound(store_kind, where, prefix)
    try:
        states = {w: await store.inbound_state(w) for w in wamids}
    finally:
        await store.close()
    return outbound, states


def run_load(
    *,
    data_dir: Path,
    knowledge_dir: Path,
    workdir: Path,
    seconds: float = 60,
    clients: int = 50,
    wa_messages_n: int = 200,
    wa_users: int = 40,
    rate_limit: int = 90,
    abusive: int | None = None,
    workers: int = 1,
    redis_url: str | None = None,
    think: tuple[float, float] = (0.5, 1.5),
    drain_timeout: float = 180,
    seed: int = 7,
) -> LoadResult:
    """One bounded load run; returns what it measured (and `problems`, empty when all held)."""
    result = LoadResult(rate_limit=rate_limit)
    abusive = rate_limit + 60 if abusive is None else abusive
    run = uuid.uuid4().hex[:8]
    prefix = f"carga-{run}:"
    messages = wa_messages(wa_users, wa_messages_n, run)
    with GraphStandIn() as graph:
        env = clean_env(
            MIPYME_DATA_DIR=data_dir,
            MIPYME_KNOWLEDGE_DIR=knowledge_dir,
            MIPYME_LLM="offline",
            MIPYME_RATE_LIMIT=f"{rate_limit}/minute",
            REDIS_URL=redis_url,
            MIPYME_REDIS_PREFIX=prefix if redis_url else None,
            **whatsapp_env(graph.url),
        )
        server = ServeProcess(env, workdir, workers=workers).start()
        try:
            for message in CONVERSATION[:4]:  # warm-up, from an address no client uses
                httpx.post(f"{server.url}/v1/chat", json={"message": message}, timeout=120)
            rng = random.Random(seed)

            started = time.monotonic()
            wanted = {m[0] for m in messages}

            async def web_phase() -> None:
                deadline = started + seconds
                await asyncio.gather(
                    *(
                        web_client(
                            i, server.url, deadline, result, think, random.Random(rng.random())
                        )
                        for i in range(clients)
                    ),
                    abusive_client(server.url, abusive, result, deadline + 30),
                )
                result.seconds = time.monotonic() - started

            async def all_handled() -> None:
                """When the last WhatsApp message got its read receipt (bounded wait)."""
                deadline = started + seconds + drain_timeout
                while time.monotonic() < deadline:
                    if wanted <= {b.get("message_id") for b in graph.reads}:
                        result.wa_drain_s = time.monotonic() - started
                        return
                    await asyncio.sleep(0.25)

            async def drive() -> None:
                await asyncio.gather(
                    web_phase(), whatsapp_burst(server.url, messages, result), all_handled()
                )

            asyncio.run(drive())
            time.sleep(3.0)  # > 2 worker poll intervals: late duplicates would show now
            result.rss_mb = server.rss_mb()
        finally:
            server.stop()
        where = redis_url or str(data_dir / "whatsapp.sqlite3")
        outbound, states = asyncio.run(
            read_store("redis" if redis_url else "sqlite", where, prefix, [m[0] for m in messages])
        )
        if redis_url:
            _cleanup_redis(redis_url, prefix)
        _check(result, graph, messages, outbound, states)
    return result


def _cleanup_redis(url: str, prefix: str) -> None:
    import redis

    client = redis.Redis.from_url(url)
    for key in client.scan_iter(f"{prefix}*", count=1000):
        client.delete(key)
    client.close()


def _check(
    result: LoadResult,
    graph: Any,
    messages: list[tuple[str, str, str]],
    outbound: list[Any],
    states: dict[str, str | None],
) -> None:
    p = result.problems
    bad_web = {s: n for s, n in result.web_status.items() if s != 200}
    if bad_web:
        p.append(f"web clients got non-200 answers: {bad_web} {result.web_errors[:5]}")
    if set(result.abusive_status) - {200, 429}:
        p.append(f"abusive client got {result.abusive_status}")
    if result.abusive_status.get(200, 0) != result.rate_limit:
        p.append(
            f"abusive client got {result.abusive_status.get(200, 0)} successes, "
            f"limit {result.rate_limit}"
        )
    if result.wa_ack_status != {200: len(messages)}:
        p.append(f"webhook acks {result.wa_ack_status}")
    wamids = [m[0] for m in messages]
    for body in graph.reads:
        mid = body.get("message_id")
        result.wa_reads[mid] = result.wa_reads.get(mid, 0) + 1
    missing = [w for w in wamids if result.wa_reads.get(w, 0) == 0]
    twice = [w for w in wamids if result.wa_reads.get(w, 0) > 1]
    if missing:
        p.append(f"{len(missing)} WhatsApp messages never handled, e.g. {missing[:3]}")
    if twice:
        p.append(f"{len(twice)} WhatsApp messages handled twice, e.g. {twice[:3]}")
    for state in states.values():
        result.wa_inbound_states[str(state)] = result.wa_inbound_states.get(str(state), 0) + 1
    if result.wa_inbound_states != {"answered": len(messages)}:
        p.append(f"inbound states {result.wa_inbound_states}")
    ours = {normalize_phone(m[1]) for m in messages}
    keys = {wamid_hash(w): w for w in wamids}  # the store keeps only these hashes
    mine = [o for o in outbound if o.inbound_id in keys]
    result.wa_stored_parts = sum(1 for o in mine if o.state == "sent")
    result.wa_unsent_parts = sum(1 for o in mine if o.state != "sent")
    result.wa_sent = sum(1 for b in graph.sent if b.get("to") in ours)
    if result.wa_unsent_parts:
        p.append(f"{result.wa_unsent_parts} reply parts not sent")
    if result.wa_sent != result.wa_stored_parts:
        p.append(f"Graph accepted {result.wa_sent} replies for {result.wa_stored_parts} stored")
    ids = [o.wamid_hash for o in mine if o.state == "sent"]
    if len(set(ids)) != len(ids):
        p.append("two stored replies share one Graph message id")
    by_inbound: dict[str, int] = {}
    for o in mine:
        by_inbound[keys[o.inbound_id]] = by_inbound.get(keys[o.inbound_id], 0) + 1
    unanswered = [w for w in wamids if w not in by_inbound]
    if unanswered:
        p.append(f"{len(unanswered)} inbound messages without a reply, e.g. {unanswered[:3]}")
    if getattr(graph, "violations", None):
        p.append(f"Graph limits violated: {graph.violations[:3]}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--wa-messages", type=int, default=200)
    parser.add_argument("--wa-users", type=int, default=40)
    parser.add_argument("--rate-limit", type=int, default=90, help="per minute, per IP/session")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument(
        "--redis",
        default=None,
        help="REDIS_URL (needed for --workers > 1 "
        "together with CHROMA_HOST/CHROMA_PORT in the environment)",
    )
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if args.seconds > 600 or args.clients > 200 or args.wa_messages > 2000:
        parser.error("bounded: at most 600 s, 200 clients, 2000 messages")
    source = Path(os.environ.get("MIPYME_DATA_DIR", ROOT / ".data"))
    knowledge = Path(os.environ.get("MIPYME_KNOWLEDGE_DIR", ROOT / "knowledge"))
    if not (source / "chroma").is_dir():
        parser.error(f"no index in {source}: run `make ingest` first")
    with tempfile.TemporaryDirectory(prefix="mipyme-load-") as tmp:
        data = Path(tmp) / "data"
        shutil.copytree(source, data)
        result = run_load(
            data_dir=data,
            knowledge_dir=knowledge,
            workdir=Path(tmp),
            seconds=args.seconds,
            clients=args.clients,
            wa_messages_n=args.wa_messages,
            wa_users=args.wa_users,
            rate_limit=args.rate_limit,
            workers=args.workers,
            redis_url=args.redis,
        )
    if args.json:
        print(json.dumps({"summary": result.summary(), "problems": result.problems}))
    else:
        print(result.summary())
    return 1 if result.problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
