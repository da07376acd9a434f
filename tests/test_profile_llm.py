"""Structured-output profile extraction through the real langchain-openai client and a local server."""

from __future__ import annotations

from pathlib import Path

from langchain_openai import ChatOpenAI

from assistant.knowledge.reader import read_knowledge
from assistant.schemas import BusinessProfile
from assistant.understanding.profile import ProfileExtractor
from assistant.understanding.profile_llm import LLMProfileExtractor
from tests.fake_openai import FakeOpenAI
from tests.helpers import UvicornThread, free_port

# Sectors come only from knowledge/sectors.yaml.
SECTORS = list(read_knowledge(Path(__file__).resolve().parents[1] / "knowledge").sectors.values())


def _llm(url: str) -> ChatOpenAI:
    return ChatOpenAI(
        model="gpt-4o-mini", api_key="sk-test", base_url=url, max_retries=0, timeout=5
    )  # type: ignore[arg-type]


def test_llm_fills_what_the_rules_missed_and_rules_win() -> None:
    rules = ProfileExtractor(SECTORS)
    fake = FakeOpenAI(
        structured={
            "sector": "turismo",
            "employees": 7,
            "state": "Yucatán",
            "goals": ["marketing"],
            "weekly_hours": 2,
            "role": "owner",
        }
    )
    with UvicornThread(fake.app()) as server:
        extractor = LLMProfileExtractor(_llm(f"{server.url}/v1"), list(rules.sectors.values()))
        message = "estoy en Oaxaca y rento unas habitaciones a visitantes"
        update, ok = extractor.refine(rules.update(BusinessProfile(), message), message)
    assert ok
    profile = update.profile
    assert profile.state == "Oaxaca"  # the rules read it; the LLM's "Yucatán" does not override
    assert profile.sector == "turismo" and profile.activity == "servicios"
    assert profile.employees == 7 and profile.size == "micro"
    assert profile.weekly_hours == 2 and profile.role == "owner"
    sent = [r for r in fake.requests if "response_format" in r]
    assert sent and "rento unas habitaciones" in str(sent[0]["messages"])


def test_invalid_values_are_ignored() -> None:
    rules = ProfileExtractor(SECTORS)
    fake = FakeOpenAI(structured={"sector": "nave-espacial", "state": "Texas", "goals": []})
    with UvicornThread(fake.app()) as server:
        extractor = LLMProfileExtractor(_llm(f"{server.url}/v1"), list(rules.sectors.values()))
        update, _ = extractor.refine(
            rules.update(BusinessProfile(), "hola qué tal"), "hola qué tal"
        )
    assert update.profile.sector is None and update.profile.state is None


def test_provider_failure_keeps_the_rules_reading() -> None:
    rules = ProfileExtractor(SECTORS)
    extractor = LLMProfileExtractor(
        _llm(f"http://127.0.0.1:{free_port()}/v1"), list(rules.sectors.values())
    )
    message = "tengo una fonda en Puebla"
    update, ok = extractor.refine(rules.update(BusinessProfile(), message), message)
    assert not ok
    assert update.profile.sector == "restaurante" and update.profile.state == "Puebla"
