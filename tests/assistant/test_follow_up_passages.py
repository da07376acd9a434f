"""A bare follow-up on the subject just answered is made whole with that subject and looked for in
the passages on it: the sentence that states the aspect asked and that the owner hasn't read."""

from __future__ import annotations

from assistant.answering.follow_ups import _asked, states_asked


def test_what_a_bare_follow_up_asks() -> None:
    assert _asked("y cuantos aceptan como maximo?") == {"count"}
    assert _asked("en cuantos dias me contestan") == {"time"}
    assert _asked("y eso q cuesta") == {"cost"}
    assert _asked("ok gracias") == set()


def test_an_age_range_is_no_time_and_a_limit_is_a_number() -> None:
    assert not states_asked("¿cuanto se tardan?", "Reciben chavos de 18 a 29 años.")
    assert states_asked("¿cuanto se tardan?", "Te contestan en unos 15 días hábiles.")
    assert states_asked("¿cuantos puedo tener?", "Cada taller recibe hasta 3 personas.")
