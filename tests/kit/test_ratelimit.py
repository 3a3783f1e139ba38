"""The limiter counts once for every process that shares its file."""

from __future__ import annotations

from pathlib import Path

import pytest

from czrm.kit import ratelimit
from czrm.kit.ratelimit import WINDOW_SECONDS, FixedWindowLimiter


def test_two_processes_sharing_the_file_count_together(tmp_path: Path) -> None:
    # Two limiters on one file are two web processes on one machine.
    first, second = FixedWindowLimiter(), FixedWindowLimiter()
    first.use(tmp_path / "limits.sqlite3")
    second.use(tmp_path / "limits.sqlite3")
    assert [first.hit("key", "o311_abc", 3), second.hit("key", "o311_abc", 3)] == [None, None]
    assert first.hit("key", "o311_abc", 3) is None
    wait = second.hit("key", "o311_abc", 3)  # the fourth call, whichever process takes it
    assert wait is not None and 1.0 <= wait <= WINDOW_SECONDS
    # Other keys and scopes have counts of their own.
    assert first.hit("key", "o311_other", 3) is None
    assert first.hit("address", "o311_abc", 3) is None


def test_a_new_window_forgives_and_zero_means_no_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    limiter = FixedWindowLimiter(tmp_path / "limits.sqlite3")
    now = [1_000_000.0]
    monkeypatch.setattr(ratelimit.time, "time", lambda: now[0])
    assert limiter.hit("user", "amelia", 1) is None
    now[0] += 20
    assert limiter.hit("user", "amelia", 1) == pytest.approx(WINDOW_SECONDS - 20)
    now[0] += WINDOW_SECONDS
    assert limiter.hit("user", "amelia", 1) is None
    assert all(limiter.hit("user", "amelia", 0) is None for _ in range(5))


def test_keys_are_kept_as_digests_only(tmp_path: Path) -> None:
    path = tmp_path / "limits.sqlite3"
    FixedWindowLimiter(path).hit("portal-link:email", "someone@example.org", 5)
    assert b"someone" not in path.read_bytes() + (tmp_path / "limits.sqlite3-wal").read_bytes()


def test_a_file_that_cannot_be_opened_leaves_counting_in_memory(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    limiter = FixedWindowLimiter(blocker / "limits.sqlite3")
    assert limiter.hit("key", "k", 1) is None
    assert limiter.hit("key", "k", 1) is not None
    assert "counted per process" in caplog.text
    limiter.reset()
    assert limiter.hit("key", "k", 1) is None
