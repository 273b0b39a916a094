"""How long the bot pauses before trying again: after a failed getUpdates (Telegram, Zalo), a failed send
(Telegram), and between a standby process's tries to become the scheduler leader.

Every pause is written in the code as it is in production and goes through `pause`, which multiplies it by
BACKOFF_SCALE (Settings.backoff_scale, default 1: unchanged). The fault tests run the bot with a small scale,
so they check the growing pauses without waiting whole seconds for them.
"""

from __future__ import annotations

_scale = 1.0


def set_scale(scale: float) -> None:
    """Once, at start-up, from the settings."""
    global _scale  # noqa: PLW0603  (one process-wide knob, set before any channel starts)
    _scale = scale


def pause(seconds: float) -> float:
    """`seconds` as the production pause; what this process waits instead."""
    return seconds * _scale
