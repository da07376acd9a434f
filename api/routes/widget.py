"""The embeddable widget script and the demo page."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse

STATIC = Path(__file__).resolve().parent.parent / "static"

router = APIRouter(include_in_schema=False)


@router.get("/widget.js")
def widget_js() -> FileResponse:
    """The widget, loaded with one `<script src=".../widget.js">` tag."""
    return FileResponse(
        STATIC / "widget.js",
        media_type="application/javascript",
        headers={"Cache-Control": "public, max-age=300"},
    )


@router.get("/")
def index() -> FileResponse:
    """A demo page that embeds the widget."""
    return FileResponse(STATIC / "index.html", media_type="text/html")
