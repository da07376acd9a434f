"""The embeddable widget in a real browser, against the live app (or the stub server).

Assertions are about structure and behaviour, not canned strings, so they hold for both.
"""

from __future__ import annotations

import gzip
import json
import re
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

STATIC = Path(__file__).resolve().parents[2] / "api" / "static"
WIDGET = STATIC / "widget.js"
# Sector, goal and state, but not the weekly hours: the real assistant recommends courses
# and still has a diagnosis question to ask, so the answer carries quick replies.
QUESTION = (
    "Tengo una tienda de abarrotes en Oaxaca con 3 empleados. Quiero usar IA para controlar "
    "mi inventario y vender más por WhatsApp. ¿Qué cursos me recomiendas?"
)
SESSION_ID = re.compile(r"^[A-Za-z0-9_.:@+-]{1,128}$")
XSS = "<img src=x onerror=alert(1)>"
ANSWER_TIMEOUT = 45_000

INPUT = "mipyme-chat textarea"
LAUNCHER = "mipyme-chat .launcher"
PANEL = "mipyme-chat .panel"

# JS helpers evaluated in the page (the widget lives in an open shadow root).
ROOT_JS = "document.querySelector('mipyme-chat').shadowRoot"
ACTIVE_JS = """() => {
  let a = document.activeElement;
  while (a && a.shadowRoot && a.shadowRoot.activeElement) a = a.shadowRoot.activeElement;
  return a ? {tag: a.tagName, cls: String(a.className || ''), label: a.getAttribute('aria-label'),
              text: (a.textContent || '').trim()} : null;
}"""
SLOW_STREAM_JS = """
(() => {
  const realFetch = window.fetch;
  window.fetch = async (...args) => {
    const res = await realFetch(...args);
    if (!String(args[0]).includes('/v1/chat/stream') || !res.body) return res;
    const reader = res.body.getReader();
    const slow = new ReadableStream({
      async pull(ctrl) {
        const {done, value} = await reader.read();
        if (done) { ctrl.close(); return; }
        for (let i = 0; i < value.length; i += 64) {
          ctrl.enqueue(value.slice(i, i + 64));
          await new Promise(r => setTimeout(r, 8));
        }
      }
    });
    return new Response(slow, {status: res.status, statusText: res.statusText, headers: res.headers});
  };
})();
"""
STORAGE_JS = "() => Object.keys(localStorage).filter(k => k.startsWith('mipyme-ia:'))"


# --------------------------------------------------------------------------- helpers


def open_widget(page: Any, base_url: str) -> None:
    page.goto(base_url + "/")
    page.locator(LAUNCHER).click()
    page.locator(PANEL).wait_for(state="visible")


def finished_turns(page: Any) -> int:
    """Completed answers (feedback row) plus error bubbles in the log."""
    return page.evaluate(f"() => {ROOT_JS}.querySelectorAll('.fb, .err').length")


def wait_turn(page: Any, before: int) -> None:
    page.wait_for_function(
        f"n => {ROOT_JS}.querySelectorAll('.fb, .err').length > n",
        arg=before,
        timeout=ANSWER_TIMEOUT,
    )


def ask(page: Any, text: str) -> None:
    """Type a question, press Enter and wait until the answer (or an error) is complete."""
    before = finished_turns(page)
    page.locator(INPUT).fill(text)
    page.locator(INPUT).press("Enter")
    wait_turn(page, before)


def last_answer(page: Any) -> Any:
    return page.locator("mipyme-chat .msg.bot").last


def active(page: Any) -> dict[str, Any] | None:
    return page.evaluate(ACTIVE_JS)


def sse(event: str, data: Any) -> str:
    return f"event: {event}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


def chat_response(answer: str, **extra: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "session_id": "sesion-prueba",
        "message_id": "m1",
        "answer": answer,
        "mode": "offline",
        "profile": {},
        "recommendations": {"training_path": [], "use_cases": [], "programs": []},
        "sources": [],
        "follow_up": [],
    }
    base.update(extra)
    return base


# --------------------------------------------------------------------------- static checks


def test_widget_gzipped_size_within_budget() -> None:
    size = len(gzip.compress(WIDGET.read_bytes(), compresslevel=9))
    assert size <= 30 * 1024, f"widget.js pesa {size} bytes comprimido"


def test_widget_source_has_no_html_sinks_or_external_resources() -> None:
    source = WIDGET.read_text(encoding="utf-8")
    assert not re.search(
        r"\.(innerHTML|outerHTML)\s*[+]?=|insertAdjacentHTML\(|document\.write\(", source
    )
    assert not re.search(r"@import|fonts\.googleapis|cdn\.|unpkg|jsdelivr", source)
    html = (STATIC / "index.html").read_text(encoding="utf-8")
    assert not re.search(
        r"""<(script|link|img|iframe|source)\b[^>]*\b(src|href)=["']https?://""", html
    ), "the demo page loads nothing external"
    assert len(re.findall(r"<script\b", html)) == 1


# --------------------------------------------------------------------------- browser tests


@pytest.mark.browser
def test_streamed_answer_with_course_cards_and_citations(
    new_page: Any, widget_server_url: str, shot: Any
) -> None:
    page = new_page()
    # A slow rural connection: the stream arrives 64 bytes at a time, whatever the server does.
    page.add_init_script(SLOW_STREAM_JS)
    open_widget(page, widget_server_url)
    assert active(page)["tag"] == "TEXTAREA", "opening the chat focuses the input"

    # Spanish UI labels.
    assert page.locator(INPUT).get_attribute("placeholder") == "Escribe tu pregunta…"
    assert page.get_by_role("button", name="Enviar").count() == 1
    assert page.get_by_role("button", name="Cerrar", exact=True).count() == 1
    assert page.get_by_role("button", name="Borrar mis datos").count() == 1
    log = page.locator("mipyme-chat [role=log]")
    assert log.get_attribute("aria-live") == "polite"
    shot(page, "open")

    # Record how the answer bubble grows while the turn streams in (-1 = typing indicator).
    page.evaluate(f"""() => {{
      const root = {ROOT_JS};
      window.__samples = [];
      new MutationObserver(() => {{
        const bots = root.querySelectorAll('.msg.bot');
        const b = bots[bots.length - 1].querySelector('.bubble');
        window.__samples.push(b.querySelector('.typing') ? -1 : b.textContent.length);
      }}).observe(root.querySelector('.log'), {{subtree: true, childList: true, characterData: true}});
    }}""")
    ask(page, QUESTION)

    samples = page.evaluate("window.__samples")
    after_typing = samples[samples.index(-1) :]
    lengths = [n for n in after_typing if n > 0]
    assert -1 in samples, "a typing indicator shows before the first words"
    assert lengths and lengths[-1] > 20, "the streamed answer is not empty"
    assert len(set(lengths)) >= 2, f"the answer grows while it streams: {lengths}"

    answer = last_answer(page)
    assert answer.locator(".err").count() == 0
    assert answer.locator(".bubble").inner_text().strip()

    # Course cards: title, provider, hours or "duración no confirmada", Spanish level, link.
    cards = answer.locator(".card")
    assert cards.count() >= 1
    for i in range(cards.count()):
        card = cards.nth(i)
        assert card.locator("h4").inner_text().strip()
        tags = card.locator(".tag").all_inner_texts()
        assert any(
            re.search(r"\d+(\.\d)? (h|min)$", t) or t == "Duración no confirmada" for t in tags
        ), tags
        assert {"Básico", "Intermedio", "Avanzado"} & set(tags), tags
        link = card.locator("a")
        assert link.get_attribute("href").startswith("https://")
        assert link.get_attribute("target") == "_blank"
        assert "noopener" in link.get_attribute("rel")
        assert link.get_attribute("aria-label").startswith("Ver curso")

    # Numbered citation chips that open the source (the programs cite theirs).
    ask(page, "Apoyos en mi estado")
    chips = page.evaluate(f"""() => [...{ROOT_JS}.querySelectorAll('.msg.bot:last-of-type .cite, .msg.bot .cite')]
        .map(c => ({{text: c.textContent, href: c.closest('a') && c.closest('a').href,
                     target: c.closest('a') && c.closest('a').target}}))""")
    linked = [c for c in chips if c["href"]]
    assert linked, chips
    assert all(re.fullmatch(r"\d+", c["text"]) for c in chips)
    assert all(
        c["href"].startswith(("http://", "https://")) and c["target"] == "_blank" for c in linked
    )

    # Follow-up questions become quick replies; the session id is kept for the next visit.
    assert page.locator("mipyme-chat .quick .chip").count() >= 1
    assert any(k.endswith(":session") for k in page.evaluate(STORAGE_JS))
    shot(page, "answer")
    last_answer(page).locator(".x").scroll_into_view_if_needed()
    shot(page, "cards")
    page.evaluate(
        f"() => {{ const log = {ROOT_JS}.querySelector('.log'); log.scrollTop = log.scrollHeight; }}"
    )
    shot(page, "bottom")


@pytest.mark.browser
def test_keyboard_only(new_page: Any, widget_server_url: str, shot: Any) -> None:
    page = new_page()
    page.goto(widget_server_url + "/")
    page.locator(LAUNCHER).wait_for()

    for _ in range(25):  # Tab through the host page until the launcher has focus
        page.keyboard.press("Tab")
        if "launcher" in (active(page) or {}).get("cls", ""):
            break
    else:
        pytest.fail("the launcher cannot be reached with Tab")
    focus_style = page.evaluate(
        f"() => getComputedStyle({ROOT_JS}.querySelector('.launcher')).outlineStyle"
    )
    assert focus_style != "none", "keyboard focus is visible"
    shot(page, "launcher-focus")

    page.keyboard.press("Enter")
    page.locator(PANEL).wait_for(state="visible")
    assert active(page)["tag"] == "TEXTAREA"
    assert page.locator(LAUNCHER).get_attribute("aria-expanded") == "true"

    before = finished_turns(page)
    page.keyboard.type(QUESTION)
    page.keyboard.press("Enter")
    wait_turn(page, before)
    assert active(page)["tag"] == "TEXTAREA", "focus stays in the input after sending"

    # Quick replies sit right before the input: (Shift+)Tab reaches one.
    for _ in range(6):
        page.keyboard.press("Shift+Tab")
        if "chip" in (active(page) or {}).get("cls", ""):
            break
    else:
        pytest.fail("no quick reply can be reached with the keyboard")
    chip_text = active(page)["text"]
    shot(page, "quick-reply-focus")

    before = finished_turns(page)
    page.keyboard.press("Enter")
    wait_turn(page, before)
    users = page.locator("mipyme-chat .msg.user").all_inner_texts()
    assert users[-1].strip() == chip_text
    shot(page, "after-quick-reply")

    page.keyboard.press("Escape")
    page.locator(PANEL).wait_for(state="hidden")
    assert "launcher" in active(page)["cls"], "Escape returns focus to the launcher"
    assert page.locator(LAUNCHER).get_attribute("aria-expanded") == "false"


@pytest.mark.browser
def test_mobile_is_full_screen(new_page: Any, widget_server_url: str, shot: Any) -> None:
    page = new_page(
        viewport={"width": 375, "height": 740},
        is_mobile=True,
        has_touch=True,
        device_scale_factor=2,
    )
    page.goto(widget_server_url + "/")
    shot(page, "closed")
    page.locator(LAUNCHER).tap()
    panel = page.locator(PANEL)
    panel.wait_for(state="visible")
    page.wait_for_function(f"() => {ROOT_JS}.querySelector('.panel').getAnimations().length === 0")
    box = panel.bounding_box()
    assert box == {"x": 0, "y": 0, "width": 375, "height": 740}, box
    assert panel.get_attribute("aria-modal") == "true"
    assert page.evaluate("document.documentElement.style.overflow") == "hidden", (
        "the page behind does not scroll"
    )
    font_size = page.evaluate(
        f"() => parseFloat(getComputedStyle({ROOT_JS}.querySelector('textarea')).fontSize)"
    )
    assert font_size >= 16, "no zoom-on-focus on iOS"
    shot(page, "open")

    ask(page, QUESTION)
    assert last_answer(page).locator(".err").count() == 0
    shot(page, "answer")
    last_answer(page).locator(".x").scroll_into_view_if_needed()
    shot(page, "cards")
    page.evaluate(
        f"() => {{ const log = {ROOT_JS}.querySelector('.log'); log.scrollTop = log.scrollHeight; }}"
    )
    shot(page, "bottom")

    # Full screen is modal: Tab cycles inside the panel.
    for _ in range(40):
        page.keyboard.press("Tab")
        assert (
            page.evaluate("document.activeElement && document.activeElement.tagName")
            == "MIPYME-CHAT"
        )
    page.get_by_role("button", name="Cerrar", exact=True).tap()
    panel.wait_for(state="hidden")
    assert page.evaluate("document.documentElement.style.overflow") != "hidden"


@pytest.mark.browser
def test_html_in_the_message_renders_as_text(
    new_page: Any, widget_server_url: str, shot: Any
) -> None:
    page = new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    open_widget(page, widget_server_url)
    ask(page, XSS)
    page.wait_for_timeout(300)

    assert page.locator("mipyme-chat .msg.user").last.inner_text().strip() == XSS
    counts = page.evaluate(f"""() => {{
      const root = {ROOT_JS};
      return {{img: root.querySelectorAll('[role=log] img').length,
               script: root.querySelectorAll('script').length,
               anyImg: root.querySelectorAll('img').length}};
    }}""")
    assert counts == {"img": 0, "script": 0, "anyImg": 0}, counts
    assert dialogs == []
    shot(page)


@pytest.mark.browser
def test_model_and_source_text_are_escaped(
    new_page: Any, widget_server_url: str, shot: Any
) -> None:
    """Hostile model output (served through a route, so it works with any server)."""
    page = new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    sources = [
        {
            "n": 1,
            "title": "<b>Fuente</b> <img src=x onerror=alert(4)>",
            "url": "javascript:alert(4)",
            "kind": "program",
            "snippet": "x",
            "published": None,
        },
        {
            "n": 2,
            "title": "Secretaría de Economía",
            "url": "https://www.gob.mx/se",
            "kind": "program",
            "snippet": "y",
            "published": "2025-03-20",
        },
    ]
    course = {
        "course_id": "c1",
        "title": "<img src=x onerror=alert(6)>Curso",
        "provider": "<i>P</i>",
        "url": "javascript:alert(7)",
        "level": "advanced",
        "duration_hours": 12,
        "cost": "gratuito",
        "languages": ["es"],
        "why": "<script>alert(8)</script>",
    }
    recs = {
        "training_path": [course],
        "use_cases": [],
        "programs": [
            {
                "id": "p",
                "title": "Programa",
                "url": "data:text/html,<script>alert(9)</script>",
                "summary": "s",
                "valid_as_of": "2025-01-01",
            }
        ],
    }
    answer = (
        "Hola <img src=x onerror=alert(2)> **negritas** [1] [2] *también* 2 * 3 * 4\n"
        "[enlace malo](javascript:alert(3)) <script>alert(5)</script> https://www.gob.mx/se."
    )
    body = (
        sse("meta", {"session_id": "sesion-prueba", "message_id": "m1", "mode": "offline"})
        + sse("sources", {"sources": sources})
        + sse(
            "recommendations",
            {"recommendations": recs, "profile": {}, "follow_up": ["<b>¿Y luego?</b>"]},
        )
        + sse("delta", {"text": answer})
        + sse(
            "done",
            chat_response(
                answer, sources=sources, recommendations=recs, follow_up=["<b>¿Y luego?</b>"]
            ),
        )
    )
    page.route(
        "**/v1/chat/stream",
        lambda route: route.fulfill(
            status=200, headers={"Content-Type": "text/event-stream"}, body=body
        ),
    )
    open_widget(page, widget_server_url)
    ask(page, "hola")

    root = f"{ROOT_JS}"
    found = page.evaluate(f"""() => {{
      const r = {root};
      const hrefs = [...r.querySelectorAll('a')].map(a => a.getAttribute('href'));
      return {{
        bad: r.querySelectorAll('img, script, b, i').length,
        hrefs,
        strong: [...r.querySelectorAll('.bubble strong')].map(s => s.textContent),
        cite1: r.querySelector('.bubble .cite').tagName,
        card: r.querySelector('.card h4').textContent,
        why: r.querySelector('.card .why').textContent,
        chip: r.querySelector('.quick .chip').textContent,
        level: [...r.querySelectorAll('.card .tag')].map(t => t.textContent),
      }};
    }}""")
    assert found["bad"] == 0
    assert all(h.startswith(("https://", "http://")) for h in found["hrefs"]), found["hrefs"]
    assert "https://www.gob.mx/se" in found["hrefs"]
    assert found["strong"] == ["negritas", "también"]
    assert found["cite1"] == "SPAN", "a source with a javascript: URL is not a link"
    assert found["card"] == "<img src=x onerror=alert(6)>Curso"
    assert found["why"] == "<script>alert(8)</script>"
    assert found["chip"] == "<b>¿Y luego?</b>"
    assert "Avanzado" in found["level"] and "12 h" in found["level"] and "Gratis" in found["level"]
    assert "<img src=x onerror=alert(2)>" in last_answer(page).locator(".bubble").inner_text()
    assert dialogs == []
    shot(page)


@pytest.mark.browser
def test_thumbs_up_posts_feedback(new_page: Any, widget_server_url: str, shot: Any) -> None:
    page = new_page()
    open_widget(page, widget_server_url)
    ask(page, QUESTION)
    answer = last_answer(page)
    up = answer.get_by_role("button", name="Sí, me sirvió")
    down = answer.get_by_role("button", name="No me sirvió")

    with page.expect_request(
        lambda r: r.url.endswith("/v1/feedback") and r.method == "POST"
    ) as info:
        up.click()
    payload = info.value.post_data_json
    assert payload["rating"] == "up"
    assert payload["message_id"]
    assert SESSION_ID.match(payload["session_id"])
    assert info.value.response().ok

    answer.get_by_text("¡Gracias!").wait_for()
    assert up.is_disabled() and down.is_disabled()
    assert up.get_attribute("aria-pressed") == "true"
    shot(page)


@pytest.mark.browser
def test_forget_my_data(new_page: Any, widget_server_url: str, shot: Any) -> None:
    page = new_page()
    open_widget(page, widget_server_url)
    ask(page, QUESTION)
    session = page.evaluate(
        "() => localStorage.getItem(Object.keys(localStorage).find(k => k.endsWith(':session')))"
    )
    session = json.loads(session)
    assert SESSION_ID.match(session)

    # The conversation survives a reload (same session, same messages).
    page.reload()
    page.locator(LAUNCHER).click()
    assert page.locator("mipyme-chat .msg.user").count() == 1

    page.get_by_role("button", name="Borrar mis datos").click()
    confirm = page.get_by_role("button", name="Sí, borrar")
    confirm.wait_for()
    assert "launcher" not in active(page)["cls"]
    shot(page, "confirm")
    with page.expect_request(lambda r: r.method == "DELETE") as info:
        confirm.click()
    assert info.value.url.endswith(f"/v1/sessions/{session}")
    assert info.value.response().ok
    page.locator("mipyme-chat .note").wait_for()
    assert page.evaluate(STORAGE_JS) == []
    assert page.locator("mipyme-chat .msg.user").count() == 0
    shot(page, "done")

    page.reload()
    page.locator(LAUNCHER).click()
    assert page.locator("mipyme-chat .msg.user").count() == 0


@pytest.mark.browser
def test_network_error_offers_retry(new_page: Any, widget_server_url: str, shot: Any) -> None:
    page = new_page()
    open_widget(page, widget_server_url)
    page.route("**/v1/chat/stream", lambda route: route.abort("internetdisconnected"))
    ask(page, QUESTION)
    error = page.locator("mipyme-chat .err")
    assert error.count() == 1
    assert re.search(r"conexi[óo]n|conectar", error.inner_text(), re.I)
    assert error.get_attribute("class") and error.locator("[role=alert]").count() == 1
    shot(page, "error")

    page.unroute("**/v1/chat/stream")
    before = page.evaluate(f"() => {ROOT_JS}.querySelectorAll('.fb').length")
    error.get_by_role("button", name="Reintentar").click()
    page.wait_for_function(
        f"n => {ROOT_JS}.querySelectorAll('.fb').length > n", arg=before, timeout=ANSWER_TIMEOUT
    )
    assert page.locator("mipyme-chat .err").count() == 0
    assert page.locator("mipyme-chat .msg.user").count() == 1, (
        "retrying does not duplicate the question"
    )
    shot(page, "retried")


@pytest.mark.browser
def test_server_errors_show_their_spanish_message(
    new_page: Any, widget_server_url: str, shot: Any
) -> None:
    page = new_page()
    open_widget(page, widget_server_url)

    # An `error` event in the middle of the stream.
    body = (
        sse("meta", {"session_id": "s1", "message_id": "m1", "mode": "offline"})
        + sse("delta", {"text": "Empiezo a respon"})
        + sse(
            "error",
            {
                "code": "respuesta_interrumpida",
                "message": "La respuesta se interrumpió. Intenta de nuevo en un momento.",
            },
        )
    )
    page.route(
        "**/v1/chat/stream",
        lambda route: route.fulfill(
            status=200, headers={"Content-Type": "text/event-stream"}, body=body
        ),
    )
    ask(page, "hola")
    assert "La respuesta se interrumpió" in page.locator("mipyme-chat .err").last.inner_text()
    page.unroute("**/v1/chat/stream")

    # 429 with a JSON error body and Retry-After.
    page.route(
        "**/v1/chat/stream",
        lambda route: route.fulfill(
            status=429,
            headers={"Content-Type": "application/json", "Retry-After": "2"},
            body=json.dumps(
                {
                    "error": {
                        "code": "demasiadas_solicitudes",
                        "message": "Demasiadas solicitudes. Espera un momento.",
                    }
                }
            ),
        ),
    )
    ask(page, "hola otra vez")
    error = page.locator("mipyme-chat .err").last
    assert "Demasiadas solicitudes" in error.inner_text()
    assert "2 s" in error.inner_text()
    retry = error.get_by_role("button", name="Reintentar")
    assert retry.is_disabled()
    shot(page)
    page.wait_for_timeout(2300)
    assert retry.is_enabled()


@pytest.mark.browser
def test_sse_parser_handles_any_chunking(new_page: Any, widget_server_url: str) -> None:
    page = new_page()
    page.goto(widget_server_url + "/")
    page.locator(LAUNCHER).wait_for()
    result = page.evaluate("""() => {
      const make = customElements.get('mipyme-chat').createSSEParser;
      const stream = ': comentario\\r\\nevent: meta\\r\\ndata: {"a":1}\\r\\n\\r\\n'
        + 'event: delta\\rdata: {"text":\\rdata: "hola"}\\r\\r'
        + 'event: delta\\ndata:{"text":"ñandú"}\\n\\n'
        + 'retry: 10\\nid: 7\\ndata\\n\\n'
        + 'data: sin evento ni línea final';
      const run = pieces => { const out = []; const p = make((n, d) => out.push([n, d]));
                              pieces.forEach(x => p.push(x)); p.end(); return JSON.stringify(out); };
      const whole = run([stream]);
      const results = [run([...stream])];
      for (let i = 1; i < stream.length; i++) results.push(run([stream.slice(0, i), stream.slice(i)]));
      return {whole: JSON.parse(whole), same: results.every(r => r === whole)};
    }""")
    assert result["whole"] == [
        ["meta", '{"a":1}'],
        ["delta", '{"text":\n"hola"}'],
        ["delta", '{"text":"ñandú"}'],
        ["message", ""],
        ["message", "sin evento ni línea final"],
    ]
    assert result["same"], "the result does not depend on how the stream is chunked"


@pytest.mark.browser
def test_one_tag_embed_theming_and_reduced_motion(
    new_page: Any, widget_server_url: str, shot: Any
) -> None:
    page = new_page(reduced_motion="reduce")
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(widget_server_url + "/")
    page.locator(LAUNCHER).wait_for()
    assert page.locator("mipyme-chat").count() == 1
    assert "Asesor IA para tu negocio" in page.locator(LAUNCHER).get_attribute("aria-label")
    assert all(u.startswith(widget_server_url) for u in requests), "no CDN, fonts or other hosts"

    page.add_style_tag(
        content="mipyme-chat { --mipyme-primary: rgb(180, 35, 107); --mipyme-radius: 6px; }"
    )
    assert (
        page.evaluate(
            f"() => getComputedStyle({ROOT_JS}.querySelector('.launcher')).backgroundColor"
        )
        == "rgb(180, 35, 107)"
    )
    page.locator(LAUNCHER).click()
    style = page.evaluate(f"""() => {{
      const s = getComputedStyle({ROOT_JS}.querySelector('.panel'));
      return {{radius: s.borderTopLeftRadius, animation: s.animationName}};
    }}""")
    assert style == {"radius": "6px", "animation": "none"}, style
    assert page.get_by_role("dialog", name="Asesor IA para tu negocio").count() == 1
    shot(page, "themed")


@pytest.fixture
def shop_site(widget_server_url: str) -> Iterator[str]:
    """Another origin (localhost vs 127.0.0.1) whose page adds the one tag under a strict CSP."""
    api = widget_server_url
    html = f"""<!doctype html><html lang="es-MX"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Abarrotes Doña Mary</title></head>
<body><h1>Abarrotes Doña Mary</h1><p>La tienda de la esquina, desde 1998.</p>
<script src="{api}/widget.js" data-api="{api}" data-title="Asesor IA de Doña Mary"
        data-primary="#b4236b" data-position="left" defer></script></body></html>""".encode()
    csp = (
        f"default-src 'self'; script-src {api}; connect-src {api}; style-src 'self'; img-src 'self'"
    )

    class Shop(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Security-Policy", csp)
            self.send_header("Content-Length", str(len(html)))
            self.end_headers()
            self.wfile.write(html)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Shop)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://localhost:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.mark.browser
def test_embeds_on_another_site_with_one_tag(
    new_page: Any, widget_server_url: str, shop_site: str, shot: Any
) -> None:
    """A shop's own site (other origin, strict CSP without inline styles) adds the one tag."""
    page = new_page()
    page.goto(shop_site + "/")
    launcher = page.locator(LAUNCHER)
    launcher.wait_for()
    assert page.locator("mipyme-chat").get_attribute("api") == widget_server_url
    assert "Asesor IA de Doña Mary" in launcher.get_attribute("aria-label")
    style = page.evaluate(f"""() => {{
      const s = getComputedStyle({ROOT_JS}.querySelector('.launcher'));
      return {{bg: s.backgroundColor, position: s.position}};
    }}""")
    assert style == {"bg": "rgb(180, 35, 107)", "position": "fixed"}, (
        "styled despite the strict CSP"
    )
    assert launcher.bounding_box()["x"] < 100, "data-position=left"

    launcher.click()
    ask(page, QUESTION)
    assert last_answer(page).locator(".err").count() == 0
    assert last_answer(page).locator(".bubble").inner_text().strip()
    shot(page)


@pytest.mark.browser
def test_nothing_appears_twice_text_summarises_cards_detail(
    new_page: Any, widget_server_url: str, shot: Any
) -> None:
    """An owner sees each idea, course and program once: the text summarises, the cards detail,
    and asking for the same path again refers to it instead of repeating its cards."""
    page = new_page()
    open_widget(page, widget_server_url)
    ask(page, "tengo una tiendita en oaxaca, somos 2 y quiero vender mas")
    ask(page, "Ver mi ruta de cursos")
    seen = page.evaluate(f"""() => {{
      const root = {ROOT_JS};
      const msgs = [...root.querySelectorAll('.msg.bot')];
      return msgs.map(m => ({{
        text: m.innerText,
        cards: [...m.querySelectorAll('.card h4, .uc summary, .pg a, .pg strong')]
          .map(e => e.textContent.trim()),
      }}));
    }}""")
    turns = [t for t in seen if t["cards"] or t["text"].strip()]
    assert len(turns) >= 2, seen
    path_turn = turns[-1]
    assert last_answer(page).locator(".card h4").count() >= 1, "the path arrives as cards"
    for turn in turns:
        for title in turn["cards"]:
            assert turn["text"].count(title) == 1, (title, turn["text"])
    shot(page, "no-duplicates")

    ask(page, "Ver mi ruta de cursos")
    again = last_answer(page)
    assert again.locator(".card h4").count() == len(path_turn["cards"]), "sent again, whole"
    assert "sigue igual" not in again.locator(".bubble").inner_text()
