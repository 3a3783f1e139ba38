"""The keyring: AES-GCM bound to its column, blind indexes, key files and rotation."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from czrm.kit import crypto
from czrm.kit.crypto import DecryptionFailed, Keyring, KeyringError

RING = Keyring({"a": b"\x03" * 32, "b": b"\x04" * 32}, "b", b"\x05" * 32)


@pytest.fixture
def restore_keyring() -> Iterator[None]:
    before = crypto.keyring()
    yield
    crypto.reset_keyring(before)


def test_round_trip_under_the_primary_key_with_a_fresh_nonce() -> None:
    one = RING.encrypt("QQ123456C", "identifiers.value")
    two = RING.encrypt("QQ123456C", "identifiers.value")
    assert one.startswith("b$") and one != two
    assert "QQ123456C" not in one
    assert RING.decrypt(one, "identifiers.value") == "QQ123456C"
    older = Keyring({"a": b"\x03" * 32}, "a", b"\x05" * 32).encrypt("x", "c")
    assert RING.decrypt(older, "c") == "x"


def test_a_one_byte_tamper_fails_with_a_clear_error() -> None:
    token = RING.encrypt("1919-09-19", "persons.date_of_birth")
    key_id, body = token.split("$")
    flipped = body[:10] + ("A" if body[10] != "A" else "B") + body[11:]
    with pytest.raises(DecryptionFailed) as caught:
        RING.decrypt(f"{key_id}${flipped}", "persons.date_of_birth")
    assert caught.value.code == "decryption_failed"
    assert "persons.date_of_birth" in caught.value.message
    assert "altered" in caught.value.message


def test_a_value_moved_to_another_column_or_an_unknown_key_fails() -> None:
    token = RING.encrypt("1919-09-19", "persons.date_of_birth")
    with pytest.raises(DecryptionFailed):
        RING.decrypt(token, "source_records.date_of_birth")
    with pytest.raises(DecryptionFailed, match="not in the keyring"):
        RING.decrypt("zz$" + token.split("$")[1], "persons.date_of_birth")
    with pytest.raises(DecryptionFailed, match="not a czrm ciphertext"):
        RING.decrypt("1919-09-19", "persons.date_of_birth")


def test_blind_indexes_are_keyed_per_context_and_deterministic() -> None:
    assert RING.blind_index("QQ123456C", "ni_number") == RING.blind_index("QQ123456C", "ni_number")
    assert RING.blind_index("QQ123456C", "ni_number") != RING.blind_index("QQ123456C", "x")
    other = Keyring({"a": b"\x03" * 32}, "a", b"\x06" * 32)
    assert other.blind_index("QQ123456C", "ni_number") != RING.blind_index("QQ123456C", "ni_number")


def test_keys_from_the_environment_newest_last() -> None:
    key = crypto.new_key()
    ring = crypto._from_env(f"old:{crypto.new_key()},new:{key}", crypto.new_key())
    assert list(ring.keys) == ["old", "new"] and ring.primary == "new"
    with pytest.raises(KeyringError, match="CZRM_BLIND_INDEX_KEY"):
        crypto._from_env(f"a:{key}", "")
    with pytest.raises(KeyringError, match="32 bytes"):
        crypto._from_env("a:c2hvcnQ", crypto.new_key())


def test_a_key_file_is_created_once_and_rotation_keeps_old_keys(
    tmp_path: Path, restore_keyring: None
) -> None:
    path = tmp_path / "keyring.json"
    crypto.create_keyring_file(path)
    first = path.read_text()
    crypto.create_keyring_file(path)  # a second process starting at the same moment
    assert path.read_text() == first
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    ring = crypto._from_file(path)
    assert ring.primary == "k1"
    sealed = ring.encrypt("secret", "t.c")
    crypto.reset_keyring(ring)
    rotated = crypto.rotate_file_keyring()
    assert rotated.primary == "k2" and list(rotated.keys) == ["k1", "k2"]
    on_disk = json.loads(path.read_text())
    assert on_disk["primary"] == "k2" and len(on_disk["keys"]) == 2
    assert crypto._from_file(path).decrypt(sealed, "t.c") == "secret"


def test_a_broken_key_file_names_itself(tmp_path: Path) -> None:
    path = tmp_path / "keyring.json"
    path.write_text("{not json")
    with pytest.raises(KeyringError, match=str(path)):
        crypto._from_file(path)


def test_a_keyring_round_trips_through_its_environment_form() -> None:
    env = RING.as_env()
    again = crypto._from_env(env["CZRM_ENCRYPTION_KEYS"], env["CZRM_BLIND_INDEX_KEY"])
    assert again.primary == "b" and again.keys == RING.keys and again.index_key == RING.index_key
