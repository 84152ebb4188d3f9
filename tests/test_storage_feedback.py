"""Signed feedback buttons and salted voter hashes (no discord involved)."""

from __future__ import annotations

import os
import stat
import threading

import pytest

from bot.storage.feedback import SECRET_FILE, Ballot, FeedbackKeys, load_secret
from bot.storage.records import DOWN, UP

KEYS = FeedbackKeys(b"a test secret of enough length")
ANSWER = "0123456789abcdef"


def test_a_button_id_carries_its_ballot_back():
    for vote in (UP, DOWN):
        custom_id = KEYS.custom_id(Ballot(vote, ANSWER))
        assert len(custom_id) <= 100  # Discord's limit for a custom_id
        assert KEYS.read(custom_id) == Ballot(vote, ANSWER)


@pytest.mark.parametrize(
    "forge",
    [
        lambda cid: cid.replace(":up:", ":down:"),  # the vote changed, signature kept
        lambda cid: cid.replace(ANSWER, "fedcba9876543210"),  # another answer
        lambda cid: cid[:-1] + ("A" if cid[-1] != "A" else "B"),  # the signature changed
        lambda cid: cid.rsplit(":", 1)[0],  # no signature
        lambda cid: "kc:vote:up:../../etc:xxxxxxxxxxxxxxxx",
        lambda cid: "kc:vote:",
        lambda cid: "something:else",
    ],
)
def test_a_forged_or_altered_id_is_refused(forge):
    assert KEYS.read(forge(KEYS.custom_id(Ballot(UP, ANSWER)))) is None


def test_ids_from_another_secret_are_refused():
    other = FeedbackKeys(b"another secret, also long enough")
    assert other.read(KEYS.custom_id(Ballot(UP, ANSWER))) is None


def test_a_voter_is_a_stable_salted_hash_never_the_id():
    user = 123456789012345678
    voter = KEYS.voter(user)
    assert voter == KEYS.voter(user)
    assert voter != KEYS.voter(user + 1)
    assert str(user) not in voter
    assert voter != FeedbackKeys(b"another secret, also long enough").voter(user)


def test_a_configured_secret_wins(tmp_path):
    assert load_secret("from the settings, long", tmp_path) == b"from the settings, long"
    assert not (tmp_path / SECRET_FILE).exists()


def test_a_secret_file_is_made_once_readable_by_the_owner_only(tmp_path):
    first = load_secret(None, tmp_path / "data")
    path = tmp_path / "data" / SECRET_FILE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_secret(None, tmp_path / "data") == first
    assert len(first) >= 32


def test_processes_racing_to_make_the_secret_end_with_one(tmp_path):
    """Several starting at once: every one of them reads the same secret."""
    results: list[bytes] = []
    barrier = threading.Barrier(8)

    def start() -> None:
        barrier.wait()
        results.append(load_secret(None, tmp_path))

    threads = [threading.Thread(target=start) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(results)) == 1
    assert sorted(os.listdir(tmp_path)) == [SECRET_FILE]  # no drafts left behind


def test_an_unusable_secret_file_is_an_error_naming_it(tmp_path):
    (tmp_path / SECRET_FILE).write_text("short\n")
    with pytest.raises(ValueError, match=SECRET_FILE):
        load_secret(None, tmp_path)
