"""Figures shown with one decimal (percentages, average attendance), rounded half up as people and a
spreadsheet's ROUND do: 53 women of 80 is 66.25 %, shown 66.3. Python's round() rounds half to even (66.2),
and a float may hold 66.25 as 66.249...: the arithmetic here stays in integers until the final value."""

from __future__ import annotations


def one_decimal(numerator: int, denominator: int) -> float:
    """numerator / denominator rounded half up to one decimal (for non-negative figures); 0.0 when the
    denominator is 0. In tenths: floor((20 n + d) / 2d) = floor(10 n / d + 1/2)."""
    if not denominator:
        return 0.0
    tenths = (20 * numerator + denominator) // (2 * denominator)
    return tenths / 10


def percent(part: int, whole: int) -> float:
    """part as a per cent of whole, one decimal, half up: 53 of 80 -> 66.3; 0.0 when whole is 0."""
    return one_decimal(100 * part, whole)
