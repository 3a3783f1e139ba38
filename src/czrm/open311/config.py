"""Open311 settings (``CZRM_OPEN311_*``): rate limits and upload limits."""

from __future__ import annotations

from functools import lru_cache

from pydantic_settings import BaseSettings, SettingsConfigDict


class Open311Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CZRM_OPEN311_", extra="ignore")

    # POSTs per minute; 0 switches a limit off.
    rate_per_key: int = 120
    rate_per_address: int = 30
    max_media_bytes: int = 10 * 1024 * 1024
    max_media_files: int = 4
    max_form_bytes: int = 256 * 1024
    # How far back GET requests looks when the caller gives no dates.
    default_days: int = 90
    max_page_size: int = 1000


@lru_cache(maxsize=1)
def get_open311_settings() -> Open311Settings:
    return Open311Settings()
