"""Typed dependency aliases: routes receive what the lifespan built, never build it."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Request

from api.metrics import Metrics
from assistant.service import Assistant
from assistant.settings import Settings


def get_settings_dep(request: Request) -> Settings:
    return request.app.state.settings  # type: ignore[no-any-return]


def get_assistant(request: Request) -> Assistant:
    return request.app.state.assistant  # type: ignore[no-any-return]


def get_metrics(request: Request) -> Metrics:
    return request.app.state.metrics  # type: ignore[no-any-return]


def get_state(request: Request) -> Any:
    return request.app.state


SettingsDep = Annotated[Settings, Depends(get_settings_dep)]
AssistantDep = Annotated[Assistant, Depends(get_assistant)]
MetricsDep = Annotated[Metrics, Depends(get_metrics)]
StateDep = Annotated[Any, Depends(get_state)]
