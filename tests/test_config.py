from __future__ import annotations

import pytest

from czrm.config import DEV_SECRET, Settings, UnsafeSettings


def test_production_refuses_the_default_secret() -> None:
    with pytest.raises(UnsafeSettings, match="CZRM_SECRET_KEY"):
        Settings(environment="production", secret_key=DEV_SECRET).check()
    with pytest.raises(UnsafeSettings):
        Settings(environment="production", secret_key="short").check()
    keys = {"encryption_keys": "k1:" + "A" * 43, "blind_index_key": "B" * 43}
    Settings(environment="production", secret_key="x" * 40, **keys).check()
    Settings(environment="development").check()


def test_production_refuses_to_run_without_encryption_keys(tmp_path) -> None:
    settings = Settings(environment="production", secret_key="x" * 40, data_dir=tmp_path)
    with pytest.raises(UnsafeSettings, match="CZRM_ENCRYPTION_KEYS"):
        settings.check()
    (tmp_path / "keyring.json").write_text("{}")
    settings.check()


def test_database_url_defaults_to_sqlite_in_the_data_dir(tmp_path) -> None:
    settings = Settings(data_dir=tmp_path)
    assert settings.effective_database_url == f"sqlite:///{tmp_path / 'czrm.sqlite3'}"
    assert Settings(database_url="postgresql://x/y").effective_database_url == "postgresql://x/y"


def test_settings_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CZRM_TOKEN_TTL_HOURS", "3")
    monkeypatch.setenv("CZRM_ENVIRONMENT", "test")
    settings = Settings()
    assert (settings.token_ttl_hours, settings.environment) == (3, "test")
