"""Dates as readers expect them: only as precise as the source states them."""

from __future__ import annotations

import datetime as dt

from django.utils.formats import date_format


def precise_date(value: dt.date | None, precision: str | None = "day") -> str:
    """'29 March 2022' / '2022年3月29日'; a month or a year alone where that is all we know."""
    if value is None:
        return ""
    if precision == "year":
        return date_format(value, "Y")
    if precision == "month":
        return date_format(value, "YEAR_MONTH_FORMAT")
    return date_format(value, "DATE_FORMAT")
