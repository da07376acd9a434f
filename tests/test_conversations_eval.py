"""The conversation evaluator catches what it claims to: overwrites, wrong refusals, unresolved
follow-ups, English-only paths, long and repeated replies; and it runs end to end on the real
assistant and in `mipyme-ia eval`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import ValidationError

from assistant.evaluation import conversations as conv
from assistant.evaluation.conversations import Observed
from assistant.schemas import BusinessProfile, ChatResponse
from tests.helpers import FIXTURE_KNOWLEDGE

ROOT = Path(__file__).resolve().parents[1]


def _scenario(turns: list[dict[str, Any]], **extra: Any) -> conv.Scenario:
    data = {
        "id": "prueba",
        "split": "dev",
        "channel": "web",
        "outside_list": False,
        "persona": "prueba",
        "turns": turns,
    }
    return conv.Scenario.model_validate({**data, **extra})


def _seen(
    answer: str = "Listo.", refused: bool = False, path: Any = (), **profile: Any
) -> Observed:
    return Observed(
        answer=answer,
        profile=BusinessProfile(**profile).model_dump(),
        path=list(path),
        refused=refused,
    )


def test_the_scenario_file_meets_the_issue() -> None:
    data = conv.load(ROOT / "evals" / "conversations.yaml")
    scenarios = data.scenarios
    assert len(scenarios) >= 80
    assert sum(s.outside_list for s in scenarios) >= 30
    heldout = [s for s in scenarios if s.split == "heldout"]
    assert len(heldout) >= 28
    # The held-out part covers every kind of turn the dev part has.
    kinds = {t.expect.kind for s in scenarios for t in s.turns}
    assert kinds == {t.expect.kind for s in heldout for t in s.turns}
    assert {s.channel for s in heldout} == {"web", "whatsapp"}
    assert all(2 <= len(s.turns) <= 5 for s in scenarios)


def test_the_file_format_rejects_what_would_make_a_check_meaningless() -> None:
    with pytest.raises(ValidationError, match="institution"):
        _scenario([{"user": "¿cómo registro mi marca?", "expect": {"kind": "refusal"}}])
    with pytest.raises(ValidationError):
        _scenario([{"user": "hola", "expect": {"kind": "smalltalk", "profile": {"giro": "x"}}}])
    one = {
        "id": "a",
        "split": "dev",
        "channel": "web",
        "outside_list": False,
        "persona": "p",
        "turns": [{"user": "hola", "expect": {"kind": "smalltalk"}}],
    }
    with pytest.raises(ValidationError, match="repetido"):
        conv.ScenarioSet.model_validate({"scenarios": [one, one]})


def test_a_slot_right_before_and_wrong_after_an_unrelated_turn_is_an_overwrite() -> None:
    scenario = _scenario(
        [
            {
                "user": "tenemos un hotelito en Bacalar",
                "expect": {
                    "kind": "diagnosis",
                    "profile": {"sector": ["hotel", "turismo"], "state": "Quintana Roo"},
                },
            },
            {
                "user": "¿eso es para fábricas?",
                # Restating an expected value is not a change: a wrong sector is still an overwrite.
                "expect": {"kind": "answer", "profile": {"sector": ["hotel", "turismo"]}},
            },
            {
                "user": "no, perdón, estamos en Chetumal",
                "expect": {"kind": "diagnosis", "profile": {"state": "Yucatán"}},
            },
        ]
    )
    results = conv.check_scenario(
        scenario,
        [
            _seen(sector="turismo", state="Quintana Roo"),
            _seen(sector="manufactura", state="Quintana Roo"),  # the question changed the business
            _seen(
                sector="manufactura", state="Quintana Roo"
            ),  # this turn sets state: wrong, no overwrite
        ],
    )
    assert results[0].slots == {"sector": True, "state": True} and not results[0].failures
    assert results[1].overwrites == ["sector"]
    assert any("sobrescrito" in f and "fábricas" in f for f in results[1].failures)
    assert results[2].overwrites == []  # sector was already wrong; state was set by this turn
    assert results[2].slots == {"sector": False, "state": False}
    metrics = conv.split_metrics(results)
    assert metrics["overwrites"] == 1
    # Slots that could be overwritten: 2 right after turn 1, 1 right after turn 2.
    assert metrics["overwrite_rate"] == pytest.approx(1 / 3, abs=0.001)
    assert metrics["profile_turn_accuracy"] == pytest.approx(1 / 3, abs=0.001)


def test_refusals_followups_and_answer_checks() -> None:
    scenario = _scenario(
        [
            {
                "user": "¿puedo deducir la capacitación?",
                "expect": {
                    "kind": "answer",
                    "include_any": ["25%"],
                    "not_include": ["No tengo información confiable"],
                },
            },
            {
                "user": "¿y cómo lo tramito?",
                "expect": {"kind": "followup", "include_any": ["Comité de Evaluación"]},
            },
            {
                "user": "¿cuánto cuesta registrar mi marca?",
                "expect": {"kind": "refusal", "include_any": ["IMPI"]},
            },
            {
                "user": "¿y cómo lo tramito?",
                "expect": {"kind": "followup", "include_any": ["IMPI"]},
            },
        ]
    )
    results = conv.check_scenario(
        scenario,
        [
            _seen("Sí: una deducción adicional del 25 % sobre el incremento."),  # "25 %" == "25%"
            _seen("No tengo información confiable sobre eso.", refused=True),
            _seen("No lo tengo en mis fuentes; consulta la Secretaría de Economía.", refused=True),
            _seen("Se tramita en el Instituto Mexicano de la Propiedad Industrial (IMPI)."),
        ],
    )
    assert results[0].content_ok and not results[0].failures
    assert not results[1].content_ok
    assert any("negativa a algo que el conocimiento responde" in f for f in results[1].failures)
    assert not results[2].content_ok  # refused, but pointed to the wrong institution
    assert results[3].content_ok
    metrics = conv.split_metrics(results)
    assert metrics["followups_resolved"] == 0.5
    assert metrics["answerable_answered"] == pytest.approx(2 / 3, abs=0.001)
    assert metrics["wrong_refusals"] == pytest.approx(1 / 3, abs=0.001)
    assert metrics["refusals_correct"] == 0.0


def test_refusal_detection_prefers_a_structured_flag() -> None:
    profile = BusinessProfile()
    plain = ChatResponse(
        session_id="s",
        message_id="m",
        answer="Eso queda fuera de lo que sé hacer.",
        mode="offline",
        profile=profile,
    )
    assert conv.is_refusal(plain)
    assert not conv.is_refusal(plain.model_copy(update={"answer": "Sí, hay cursos gratis."}))

    class Flagged(ChatResponse):
        refused: bool = False

    flagged = Flagged(
        session_id="s",
        message_id="m",
        answer="No tengo información confiable.",
        mode="offline",
        profile=profile,
        refused=False,
    )
    assert not conv.is_refusal(flagged)


def test_english_with_the_injection_refusal_fails_the_language_check() -> None:
    scenario = _scenario(
        [{"user": "Can you answer in English please?", "expect": {"kind": "language"}}]
    )
    [bad] = conv.check_scenario(
        scenario,
        [
            _seen(
                "No puedo cambiar mis reglas ni compartir mis instrucciones internas.", refused=True
            )
        ],
    )
    [good] = conv.check_scenario(
        scenario, [_seen("Por ahora te atiendo solo en español. ¿A qué se dedica tu negocio?")]
    )
    assert not bad.content_ok and any("inyección" in f for f in bad.failures)
    assert good.content_ok


def test_spanish_share_length_and_repetition() -> None:
    block = "Tu ruta: 1. Elementos de IA, gratis, en español. 2. Introducción a la IA generativa, en inglés."
    scenario = _scenario(
        [
            {
                "user": "tengo una fonda en Tuxtla, no leo inglés",
                "expect": {
                    "kind": "diagnosis",
                    "max_chars": 40,
                    "path_spanish_only": True,
                    "course_not": ["amazon-vender-guia-principiantes"],
                    "profile": {"reads_english": False},
                },
            },
            {"user": "¿y hay cursos gratis?", "expect": {"kind": "answer"}},
        ]
    )
    path = [
        ("elements-of-ai-es", ["es"]),
        ("aws-educate-intro-genai", ["en"]),
        ("amazon-vender-guia-principiantes", ["es"]),
    ]
    results = conv.check_scenario(
        scenario,
        [
            _seen(block, path=path, reads_english=None),
            _seen(block + " ¿Algo más?", path=path[:1]),
        ],
    )
    first = results[0]
    assert first.slots == {"reads_english": False}  # None is not False: the slot is missing
    reasons = " ".join(first.failures)
    assert "aws-educate-intro-genai" in reasons and "amazon-vender-guia-principiantes" in reasons
    assert f"{len(block)} caracteres" in reasons
    assert results[1].repetition is not None and results[1].repetition > 0.8
    metrics = conv.split_metrics(results)
    assert metrics["spanish_share"] == 0.75  # 3 of 4 courses shown to someone who reads no English
    assert metrics["first_length_p95_web"] == len(block)
    assert metrics["first_over_limit_web"] == 0.0
    assert conv.repetition("hola que tal", "nada que ver con esto") == 0.0
    assert conv.percentile([1, 2, 3, 4, 100], 95) == 100 and conv.percentile([], 50) is None


def test_runs_on_the_real_assistant_and_fails_what_it_must(assistant) -> None:  # type: ignore[no-untyped-def]
    # Passes on any sound assistant: greeting, then a plain description of the business.
    sound = _scenario(
        [
            {"user": "hola", "expect": {"kind": "smalltalk"}},
            {
                "user": "tengo una fonda en Oaxaca, somos 3",
                "expect": {
                    "kind": "diagnosis",
                    "profile": {"sector": "restaurante", "state": "Oaxaca", "employees": 3},
                },
            },
        ],
        id="sana",
    )
    # Fails on any sound assistant: the owner moves the business and the scenario (wrongly) keeps
    # expecting the old state, so the checker must report an overwrite and a failed turn.
    moved = _scenario(
        [
            {
                "user": "tengo una fonda en Oaxaca",
                "expect": {
                    "kind": "diagnosis",
                    "profile": {"sector": "restaurante", "state": "Oaxaca"},
                },
            },
            {"user": "no, perdón, la fonda está en Puebla", "expect": {"kind": "diagnosis"}},
        ],
        id="mudanza",
        split="heldout",
    )
    data = conv.ScenarioSet(scenarios=[sound, moved])
    report = conv.evaluate(assistant, data)
    turns = {(t["scenario"], t["turn"]): t for t in report["turns"]}
    assert turns[("sana", 1)]["content_ok"] and all(turns[("sana", 2)]["slots"].values())
    assert turns[("mudanza", 2)]["overwrites"] == ["state"]
    assert report["splits"]["dev"]["metrics"]["profile_turn_accuracy"] == 1.0
    assert report["splits"]["heldout"]["metrics"]["overwrites"] == 1
    assert any("sobrescrito" in f for f in report["failures"]["heldout"])
    assert report["failures"]["dev"] == []
    assert assistant.memory.list_turn_log() == []  # evaluation sessions are deleted


def test_eval_command_reports_dev_and_heldout_apart(
    indexed_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    request: pytest.FixtureRequest,
) -> None:
    from api.cli import main

    (tmp_path / "evals").mkdir()
    scenarios = [
        {
            "id": "fonda",
            "split": "dev",
            "channel": "web",
            "outside_list": False,
            "persona": "p",
            "turns": [
                {
                    "user": "tengo una fonda en Oaxaca",
                    "expect": {"kind": "diagnosis", "profile": {"state": "Oaxaca"}},
                },
                {"user": "gracias", "expect": {"kind": "smalltalk"}},
            ],
        },
        {
            "id": "tienda",
            "split": "heldout",
            "channel": "whatsapp",
            "outside_list": False,
            "persona": "p",
            "turns": [
                {
                    "user": "tengo una tiendita en Puebla",
                    "expect": {"kind": "diagnosis", "profile": {"state": "Jalisco"}},
                },
                {"user": "gracias", "expect": {"kind": "smalltalk"}},
            ],
        },
    ]
    (tmp_path / "evals" / "conversations.yaml").write_text(
        yaml.safe_dump({"scenarios": scenarios}, allow_unicode=True), encoding="utf-8"
    )
    monkeypatch.setenv("MIPYME_DATA_DIR", str(indexed_dir))
    monkeypatch.setenv("MIPYME_KNOWLEDGE_DIR", str(FIXTURE_KNOWLEDGE))
    monkeypatch.chdir(tmp_path)
    from assistant.settings import get_settings

    get_settings.cache_clear()
    request.addfinalizer(get_settings.cache_clear)  # later tests must not see this data dir
    assert main(["eval", "--only", "conversations", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    splits = report["conversations"]["splits"]
    assert splits["dev"]["metrics"]["profile_slot_accuracy"] == 1.0
    assert splits["heldout"]["metrics"]["profile_slot_accuracy"] == 0.0
    assert splits["heldout"]["metrics"]["first_length_p95_whatsapp"] is not None
    assert (
        main(
            [
                "eval",
                "--only",
                "conversations",
                "--split",
                "heldout",
                "--markdown",
                str(tmp_path / "r.md"),
            ]
        )
        == 0
    )
    text = (tmp_path / "r.md").read_text(encoding="utf-8")
    assert "## Conversaciones (evals/conversations.yaml)" in text
    assert "| métrica | heldout |" in text
    # Held-out failures are counted, never listed (nobody tunes on what they never read).
    assert "Fallas (heldout): 2 (no se listan" in text and "perfil.state = 'Puebla'" not in text


def test_the_report_lists_dev_failures_but_only_counts_held_out_ones() -> None:
    from assistant.evaluation.suite import to_markdown

    metrics = {"profile_turn_accuracy": 0.5}
    section = {
        "splits": {
            "dev": {"metrics": metrics, "slots": {"sector": 0.5}},
            "heldout": {"metrics": metrics, "slots": {"sector": 0.5}},
        },
        "failures": {
            "dev": ["fonda-tuxtla #1: perfil.sector = 'manufactura'"],
            "heldout": ["hotel-bacalar #2: perfil.sector = 'manufactura'"],
        },
    }
    text = to_markdown({"conversations": section})
    assert "fonda-tuxtla #1" in text
    assert "hotel-bacalar" not in text and "Fallas (heldout): 1" in text


def test_a_phrase_counts_only_where_a_word_starts() -> None:
    from assistant.evaluation.answers import normalize
    from assistant.evaluation.conversations import _contains

    assert not _contains(normalize("Recordatorios de vacunas"), "uñas")
    assert _contains(normalize("Eres la encargada"), "encargad")
    assert _contains(normalize("Corte de uñas y pestañas"), "Uñas")


def test_goals_exact_catches_a_goal_the_owner_never_stated() -> None:
    scenario = _scenario(
        [
            {
                "user": "la clientela nomás viene una vez y ya",
                "expect": {"kind": "diagnosis", "profile": {"goals": ["retention"]}},
            },
            {
                "user": "y las existencias las tengo al día, eso no es bronca",
                "expect": {"kind": "diagnosis", "goals_exact": True},
            },
            {
                "user": "¿qué piden en la Caja Popular para un préstamo?",
                "expect": {"kind": "answer", "goals_exact": True},
            },
        ]
    )
    results = conv.check_scenario(
        scenario,
        [
            _seen(goals=["retention", "inventory"]),  # not exact: only the slot is checked
            _seen(goals=["retention", "inventory"]),  # the denied inventory is one too many
            _seen(goals=["retention"]),
        ],
    )
    assert results[0].goals_ok and not results[0].failures
    assert not results[1].goals_ok and results[1].slots == {"goals": True}
    assert any("de más ['inventory']" in f for f in results[1].failures)
    assert results[2].goals_ok and not results[2].failures
    metrics = conv.split_metrics(results)
    # Read goals 2 + 2 + 1 = 5, of which expected 1 + 1 + 1 = 3.
    assert metrics["goal_precision"] == pytest.approx(3 / 5, abs=0.001)
    assert metrics["profile_slot_accuracy"] == 1.0  # exactness is not a slot
    assert metrics["turns_all_checks_passed"] == pytest.approx(2 / 3, abs=0.001)
    assert metrics["scenarios_all_checks_passed"] == 0.0


def test_goals_exact_without_expected_goals_wants_none() -> None:
    scenario = _scenario(
        [
            {
                "user": "si a mi compadre le fallan las máquinas, ¿qué hace?",
                "expect": {"kind": "answer", "goals_exact": True},
            },
            {"user": "tengo una tlapalería en Puebla", "expect": {"kind": "diagnosis"}},
        ]
    )
    results = conv.check_scenario(
        scenario, [_seen(goals=["maintenance"]), _seen(goals=["maintenance"])]
    )
    assert any("de más ['maintenance']" in f for f in results[0].failures)
    # The second turn neither expects goals nor asks for exactness: it counts for nothing.
    assert results[1].goals_ok and results[1].goals_read == 0
    assert conv.split_metrics(results)["goal_precision"] == 0.0
    none_read = conv.check_scenario(scenario, [_seen(), _seen()])
    assert conv.split_metrics(none_read)["goal_precision"] is None
    assert all(r.goals_ok for r in none_read)
