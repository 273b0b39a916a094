"""Invite and link codes are short enough to read out over the phone (8 letters, ABCD-EFGH); what makes guessing
them useless is the limit on wrong codes, which a person meets long before a guess could come right."""

from __future__ import annotations

from datetime import timedelta

from bot.config import Settings
from storage.accounts import LINK_CODE_LENGTH, LINK_VALID_MINUTES
from storage.clubs import _CODE_ALPHABET, INVITE_CODE_LENGTH
from storage.limits import WRONG_CODE_WINDOW, WRONG_CODES_PER_HOUR

# Far more codes open at once than the bot will ever see: several thousand clubs, each with an invite or two
# waiting, the reviewers' invites and the link codes of half an hour.
OPEN_CODES = 10_000
# A chance a person may be left with: one in a hundred thousand, for all their tries over a code's whole life.
NEGLIGIBLE = 1e-5


def tries_within(validity: timedelta) -> int:
    """The most codes one person can type while a code stays valid: the limit, window after window."""
    windows = -(-validity // WRONG_CODE_WINDOW)  # a window begun counts whole
    return WRONG_CODES_PER_HOUR * windows


def chance_of_any(tries: int, length: int) -> float:
    """The chance that one of `tries` guesses is any one of the open codes, each of `length` letters."""
    return tries * OPEN_CODES / len(_CODE_ALPHABET) ** length


def test_within_an_invite_s_week_a_person_s_guesses_find_an_open_invite_with_a_negligible_chance():
    validity = timedelta(days=Settings.from_env({}).invite_valid_days)
    assert tries_within(validity) == 5 * 24 * 7 == 840
    assert len(_CODE_ALPHABET) ** INVITE_CODE_LENGTH == 31**8 == 852_891_037_441
    assert chance_of_any(tries_within(validity), INVITE_CODE_LENGTH) < NEGLIGIBLE


def test_a_link_code_s_half_hour_leaves_a_guesser_even_less():
    tries = tries_within(timedelta(minutes=LINK_VALID_MINUTES))
    assert tries == WRONG_CODES_PER_HOUR and LINK_CODE_LENGTH == INVITE_CODE_LENGTH
    assert chance_of_any(tries, LINK_CODE_LENGTH) < NEGLIGIBLE / 100


def test_the_same_argument_fails_without_the_limit():
    """Unlimited, a script typing a hundred codes a second for the week would likely find an open invite."""
    unlimited = 100 * int(timedelta(days=7).total_seconds())
    assert chance_of_any(unlimited, INVITE_CODE_LENGTH) > 0.5
