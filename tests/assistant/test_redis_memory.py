"""Conversation memory on the real Redis: shared by separately built assistants, bounded by tokens."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import redis

from assistant.errors import NotFound
from assistant.factory import build_assistant
from assistant.memory.redis_store import RedisSessionStore
from assistant.retrieval.tokens import count_tokens
from assistant.service import Assistant
from tests.assistant.support import check_response, load_corpus
from tests.helpers import FIXTURE_KNOWLEDGE, REDIS_URL, make_settings

pytestmark = pytest.mark.asyncio(loop_scope="module")


@pytest.fixture(scope="module")
def redis_client() -> redis.Redis:
    client = redis.Redis.from_url(REDIS_URL, decode_responses=True, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.RedisError:
        pytest.skip(f"Redis no responde en {REDIS_URL}")
    return client


@pytest.fixture(scope="module")
def data_copy(indexed_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("redis-memory") / "data"
    shutil.copytree(indexed_dir, target)
    return target


def on_redis(data: Path, prefix: str, history_tokens: int = 3000) -> Assistant:
    """An assistant whose sessions live in the real Redis under `prefix`."""
    settings = make_settings(
        data,
        REDIS_URL=REDIS_URL,
        MIPYME_REDIS_PREFIX=prefix,
        MIPYME_HISTORY_TOKENS=history_tokens,
        OPENAI_API_KEY=None,
        OPENAI_BASE_URL=None,
        CHROMA_HOST=None,
    )
    assistant = build_assistant(settings)
    assert isinstance(assistant.memory, RedisSessionStore)
    return assistant


async def test_profile_survives_into_another_assistant_on_the_same_redis(
    data_copy: Path, redis_prefix: str, redis_client: redis.Redis
) -> None:
    corpus = load_corpus(FIXTURE_KNOWLEDGE)
    first = on_redis(data_copy, redis_prefix)
    sid = "persona-redis-1"
    r1 = await first.respond(sid, "Tengo una fonda en Oaxaca, somos 4")
    r2 = await first.respond(sid, "tengo 3 horas a la semana para aprender")
    check_response(corpus, r2)
    assert (r2.profile.sector, r2.profile.state, r2.profile.weekly_hours) == (
        "restaurante",
        "Oaxaca",
        3.0,
    )
    assert r2.profile.employees == r1.profile.employees == 4
    first.memory.close()

    # Another worker (a new assistant, a new Redis connection) continues the conversation.
    second = on_redis(data_copy, redis_prefix)
    assert second.profile(sid) == r2.profile
    history = second.memory.get(sid).history  # type: ignore[union-attr]
    assert [t.role for t in history] == ["user", "assistant"] * 2
    assert history[0].text == "Tengo una fonda en Oaxaca, somos 4"
    r3 = await second.respond(sid, "quiero vender más")
    assert (r3.profile.state, r3.profile.weekly_hours, r3.profile.goals) == (
        "Oaxaca",
        3.0,
        ["sell_more"],
    )
    r4 = await second.respond(sid, "Apoyos en mi estado")
    assert r4.recommendations.programs  # what was shown before is known to the other worker
    again = await second.respond(sid, "Apoyos en mi estado")
    assert not again.recommendations.programs and "siguen siendo" in again.answer
    assert redis_client.exists(f"{redis_prefix}session:{sid}:profile")

    # Forgetting on one worker forgets everywhere.
    second.forget(sid)
    assert not redis_client.keys(f"{redis_prefix}session:{sid}:*")
    third = on_redis(data_copy, redis_prefix)
    with pytest.raises(NotFound):
        third.profile(sid)
    for assistant in (second, third):
        assistant.memory.close()


async def test_history_is_bounded_by_tokens(data_copy: Path, redis_prefix: str) -> None:
    budget = 140
    assistant = on_redis(data_copy, redis_prefix, history_tokens=budget)
    sid = "persona-redis-2"
    said: list[str] = []
    for message in ["Hola", "Tengo una fonda en Oaxaca", "gracias", "muchas gracias", "mi perfil"]:
        r = await assistant.respond(sid, message)
        said += [message, r.answer]
        history = assistant.memory.get(sid).history  # type: ignore[union-attr]
        texts = [t.text for t in history]
        tokens = sum(count_tokens(t) for t in texts)
        # The newest turns that fit, and always at least the last exchange.
        assert texts == said[-len(texts) :]
        assert len(texts) >= 2 and len(texts) % 2 == 0
        assert tokens <= budget or len(texts) == 2, (len(texts), tokens)
    # The long diagnosis answer (far over the budget) has been dropped, the short turns kept.
    assert count_tokens(said[3]) > budget
    assert said[3] not in texts and texts[0] == "gracias" and len(texts) == 6
    # The profile is not part of the history: it is kept whole.
    assert assistant.profile(sid).state == "Oaxaca"
    assistant.memory.close()
