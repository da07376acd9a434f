"""The one typed settings object; the only place that reads the environment."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from assistant.limits import MAX_BODY_BYTES


class Settings(BaseSettings):
    """Configuration read from environment variables and `.env` (names in docs/deployment.md)."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore", populate_by_name=True)

    data_dir: Path = Field(Path(".data"), alias="MIPYME_DATA_DIR")
    knowledge_dir: Path = Field(Path("knowledge"), alias="MIPYME_KNOWLEDGE_DIR")
    embeddings: Literal["local", "openai"] = Field("local", alias="MIPYME_EMBEDDINGS")
    llm: Literal["offline", "openai"] | None = Field(None, alias="MIPYME_LLM")
    openai_api_key: SecretStr | None = Field(None, alias="OPENAI_API_KEY")
    openai_base_url: str | None = Field(None, alias="OPENAI_BASE_URL")
    openai_model: str = Field("gpt-4o-mini", alias="MIPYME_OPENAI_MODEL")
    openai_embedding_model: str = Field(
        "text-embedding-3-small", alias="MIPYME_OPENAI_EMBEDDING_MODEL"
    )
    llm_timeout_s: float = Field(20.0, alias="MIPYME_LLM_TIMEOUT", gt=0)
    chroma_host: str | None = Field(None, alias="CHROMA_HOST")
    chroma_port: int = Field(8000, alias="CHROMA_PORT")
    redis_url: str | None = Field(None, alias="REDIS_URL")
    redis_prefix: str = Field("mipyme:", alias="MIPYME_REDIS_PREFIX")
    admin_token: SecretStr | None = Field(None, alias="MIPYME_ADMIN_TOKEN")
    cors_origins: str = Field("*", alias="MIPYME_CORS_ORIGINS")
    # Comma-separated bearer keys for the OpenAI-compatible endpoint; unset = open.
    api_keys: SecretStr | None = Field(None, alias="MIPYME_API_KEYS")
    # Comma-separated proxy addresses or CIDRs whose X-Forwarded-For we believe; unset = none.
    trusted_proxies: str = Field("", alias="MIPYME_TRUSTED_PROXIES")
    rate_limit: str = Field("30/minute", alias="MIPYME_RATE_LIMIT")
    max_body_bytes: int = Field(MAX_BODY_BYTES, alias="MIPYME_MAX_BODY_BYTES")
    history_tokens: int = Field(1500, alias="MIPYME_HISTORY_TOKENS")
    handoff_contact: str = Field(
        "Escríbenos a contacto@mipyme-ia.mx o acude al centro de atención de la Secretaría de "
        "Economía de tu estado (https://www.gob.mx/se).",
        alias="MIPYME_HANDOFF_CONTACT",
    )
    whatsapp_verify_token: SecretStr | None = Field(None, alias="WHATSAPP_VERIFY_TOKEN")
    whatsapp_app_secret: SecretStr | None = Field(None, alias="WHATSAPP_APP_SECRET")
    whatsapp_access_token: SecretStr | None = Field(None, alias="WHATSAPP_ACCESS_TOKEN")
    whatsapp_phone_number_id: str | None = Field(None, alias="WHATSAPP_PHONE_NUMBER_ID")
    whatsapp_graph_url: str = Field("https://graph.facebook.com/v23.0", alias="WHATSAPP_GRAPH_URL")

    @model_validator(mode="after")
    def _default_llm(self) -> Settings:
        # The LLM composer is the default only when a key is configured.
        if self.llm is None:
            self.llm = "openai" if self.openai_api_key else "offline"
        return self

    @property
    def chroma_dir(self) -> Path:
        return self.data_dir / "chroma"

    @property
    def sqlite_path(self) -> Path:
        return self.data_dir / "mipyme.sqlite3"

    @property
    def record_manager_url(self) -> str:
        return f"sqlite:///{(self.data_dir / 'ingest_records.sqlite3').resolve()}"

    @property
    def whatsapp_enabled(self) -> bool:
        return bool(
            self.whatsapp_verify_token
            and self.whatsapp_app_secret
            and self.whatsapp_access_token
            and self.whatsapp_phone_number_id
        )

    @property
    def api_key_list(self) -> list[str]:
        raw = self.api_keys.get_secret_value() if self.api_keys else ""
        return [k.strip() for k in raw.split(",") if k.strip()]

    @property
    def trusted_proxy_list(self) -> list[str]:
        return [p.strip() for p in self.trusted_proxies.split(",") if p.strip()]

    @property
    def cors_origin_list(self) -> list[str]:
        return [o.strip() for o in self.cors_origins.split(",") if o.strip()]


@lru_cache
def get_settings() -> Settings:
    """Settings from the process environment, read once."""
    return Settings()
