"""Load, bounded to ~20 s: 50 web clients on /v1/chat (each from its own loopback address) and a
WhatsApp burst of 200 signed messages from 40 users, against `mipyme-ia serve` (real uvicorn).
The full 60-second run is `bench/load.py`; both share `bench.load.run_load`.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bench.load import run_load
from tests.helpers import FIXTURE_KNOWLEDGE


@pytest.mark.slow
def test_fifty_web_clients_and_a_whatsapp_burst_of_two_hundred(
    indexed_dir: Path, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    shutil.copytree(indexed_dir, data)
    result = run_load(
        data_dir=data,
        knowledge_dir=FIXTURE_KNOWLEDGE,
        workdir=tmp_path,
        seconds=12,
        clients=50,
        wa_messages_n=200,
        wa_users=40,
        rate_limit=60,
        abusive=90,
        drain_timeout=120,
    )
    print("\n" + result.summary())
    # No error beyond the abusive client's intended 429s; exactly one limit's worth got through.
    assert result.web_status.get(200, 0) > 50 and set(result.web_status) == {200}, result.summary()
    assert result.abusive_status == {200: 60, 429: 30}, result.summary()
    # Every WhatsApp message answered exactly once, eventually.
    assert result.wa_inbound_states == {"answered": 200}, result.summary()
    assert set(result.wa_reads.values()) == {1} and len(result.wa_reads) >= 200
    assert result.wa_sent == result.wa_stored_parts >= 200 and result.wa_unsent_parts == 0
    assert not result.problems, result.summary()
