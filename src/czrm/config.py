"""Settings, read once from the environment (``CZRM_*``) with safe defaults.

Production mode refuses to start with the development secret: the secret key
signs staff sessions and derives token digests, so a known value is a breach.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

DEV_SECRET = "czrm-development-secret-not-for-production"  # noqa: S105 - refused in production


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CZRM_", extra="ignore")

    environment: Literal["development", "test", "production"] = "development"
    data_dir: Path = Field(default=Path("var"))
    database_url: str = ""
    secret_key: str = DEV_SECRET
    # PostgreSQL guards: a request never waits on a lock or a query for ever.
    pg_lock_timeout_ms: int = 5_000
    pg_statement_timeout_ms: int = 30_000
    db_pool_size: int = 10
    # Test each pooled connection with a round trip before use; off, a connection
    # the server dropped fails its request once (503) and the pool is renewed.
    db_pool_pre_ping: bool = True
    token_ttl_hours: int = 12
    log_level: str = "info"
    # Outgoing mail (kit.mail): a relay the council runs, or a local one in development.
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 8025
    smtp_starttls: bool = False
    smtp_username: str = ""
    smtp_password: str = ""
    smtp_timeout_s: float = 10.0
    mail_from: str = "Northmere City Council <no-reply@northmere.example>"
    public_base_url: str = "http://127.0.0.1:8000"
    # Messages to citizens: "smtp" sends e-mail through the relay above (other
    # channels need a provider configured per council); "file" writes every
    # message under data_dir/outbox instead (development and the demo).
    comms_sink: Literal["smtp", "file"] = "smtp"
    # Inbound e-mail: larger messages are refused (552); attachments are kept
    # up to this size each, and only images and PDFs.
    mail_max_bytes: int = 10_000_000
    mail_attachment_max_bytes: int = 5_000_000
    # Encryption at rest (kit.crypto): "id:base64key,..." newest last, and the blind index
    # key; when unset, keyring.json in data_dir (generated on first start outside production).
    encryption_keys: str = ""
    blind_index_key: str = ""
    # Web pages (portal and console).
    session_max_age_hours: int = 12
    # The council the portal serves when several share one database (a slug).
    portal_jurisdiction: str = ""
    # Base map tiles, e.g. https://tile.openstreetmap.org/{z}/{x}/{y}.png; empty shows
    # the council's wards only. The page works without tiles (address and postcode).
    map_tile_url: str = ""
    map_tile_attribution: str = ""
    portal_sign_in_link_minutes: int = 30

    @property
    def effective_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'czrm.sqlite3').resolve()}"

    def check(self) -> None:
        """Raise if the settings are unsafe for the chosen environment."""
        if self.environment == "production":
            if self.secret_key == DEV_SECRET or len(self.secret_key) < 32:
                raise UnsafeSettings(
                    "CZRM_SECRET_KEY must be set to a random value of at least 32 characters "
                    "in production"
                )
            if not self.encryption_keys and not (self.data_dir / "keyring.json").exists():
                raise UnsafeSettings(
                    "set CZRM_ENCRYPTION_KEYS and CZRM_BLIND_INDEX_KEY, or put keyring.json in "
                    "CZRM_DATA_DIR: production never generates its own keys"
                )


class UnsafeSettings(RuntimeError):
    pass


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    settings = Settings()
    settings.check()
    return settings
