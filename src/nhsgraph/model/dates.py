"""Partial dates ("2011", "2011-12", "2011-12-01") that keep their precision.

A partial date stands for the whole period it names: "2011-12" is every day of
December 2011. It is stored as its first day plus a precision, and compares as an
interval [first, end). Valid-time intervals are built from two partial dates:
``valid_from`` (inclusive) and ``valid_to`` (exclusive), either of which may be unknown.

For as-at queries a period is represented by its first day (so a fact valid from
"2013-04" counts from 1 April 2013); the interval helpers below also answer the
stricter questions "certainly valid" and "possibly valid".
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from enum import IntEnum

from nhsgraph.errors import BadDate, BadInterval


class Precision(IntEnum):
    YEAR = 1
    MONTH = 2
    DAY = 3


_PATTERN = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


@dataclass(frozen=True, order=True)
class PartialDate:
    """A calendar date known to a year, a month or a day."""

    first: dt.date
    precision: Precision

    @classmethod
    def parse(cls, value: "str | dt.date | PartialDate") -> "PartialDate":
        if isinstance(value, PartialDate):
            return value
        if isinstance(value, dt.datetime):
            return cls(value.date(), Precision.DAY)
        if isinstance(value, dt.date):
            return cls(value, Precision.DAY)
        if isinstance(value, int) and 1000 <= value <= 9999:
            value = str(value)
        if not isinstance(value, str):
            raise BadDate(f"not a date: {value!r}")
        text = value.strip()
        match = _PATTERN.match(text)
        if not match:
            raise BadDate(f"not a date: {value!r} (use YYYY, YYYY-MM or YYYY-MM-DD)")
        year, month, day = match.groups()
        try:
            if day is not None:
                return cls(dt.date(int(year), int(month), int(day)), Precision.DAY)
            if month is not None:
                return cls(dt.date(int(year), int(month), 1), Precision.MONTH)
            return cls(dt.date(int(year), 1, 1), Precision.YEAR)
        except ValueError as exc:
            raise BadDate(f"not a date: {value!r} ({exc})") from None

    @classmethod
    def from_stored(cls, first: dt.date | str | None, precision: int | None) -> "PartialDate | None":
        if first is None:
            return None
        if isinstance(first, str):
            first = dt.date.fromisoformat(first[:10])
        return cls(first, Precision(precision or Precision.DAY))

    @property
    def end(self) -> dt.date:
        """The day after the last day this date covers."""
        d = self.first
        if self.precision is Precision.DAY:
            return d + dt.timedelta(days=1)
        if self.precision is Precision.MONTH:
            return d.replace(day=calendar.monthrange(d.year, d.month)[1]) + dt.timedelta(days=1)
        return dt.date(d.year + 1, 1, 1)

    @property
    def last(self) -> dt.date:
        return self.end - dt.timedelta(days=1)

    def contains(self, day: dt.date) -> bool:
        return self.first <= day < self.end

    def __str__(self) -> str:
        # Kept once made: importers share one PartialDate per release day and write its
        # text into the content key of every statement dated by it.
        try:
            return self.__dict__["_text"]
        except KeyError:
            pass
        if self.precision is Precision.YEAR:
            text = f"{self.first.year:04d}"
        elif self.precision is Precision.MONTH:
            text = f"{self.first.year:04d}-{self.first.month:02d}"
        else:
            text = self.first.isoformat()
        self.__dict__["_text"] = text
        return text


def parse_optional(value) -> PartialDate | None:
    if value is None or value == "":
        return None
    return PartialDate.parse(value)


def last_before(value: "str | PartialDate | None") -> str | None:
    """The period just before an exclusive end, at its precision: the inclusive end date
    that formats such as Popolo's ``end_date`` mean ("2013-04-01" -> "2013-03-31",
    "2013-04" -> "2013-03", "2013" -> "2012")."""
    if value is None or value == "":
        return None
    p = PartialDate.parse(value)
    if p.precision is Precision.DAY:
        return (p.first - dt.timedelta(days=1)).isoformat()
    if p.precision is Precision.MONTH:
        before = p.first.replace(day=1) - dt.timedelta(days=1)
        return f"{before.year:04d}-{before.month:02d}"
    return f"{p.first.year - 1:04d}"


def as_day(value: "str | dt.date | PartialDate | None") -> dt.date | None:
    """The day a query is asked "as at": a partial date means its first day."""
    if value is None:
        return None
    return PartialDate.parse(value).first


@dataclass(frozen=True)
class Interval:
    """A valid-time interval [start, end); ``None`` means unknown (open) on that side."""

    start: PartialDate | None = None
    end: PartialDate | None = None

    def __post_init__(self) -> None:
        if self.start and self.end and self.end.first < self.start.first:
            raise BadInterval(f"interval ends ({self.end}) before it starts ({self.start})")

    @classmethod
    def of(cls, start=None, end=None) -> "Interval":
        return cls(parse_optional(start), parse_optional(end))

    # The widest reading: the earliest the fact could start, the latest it could end.
    @property
    def outer(self) -> tuple[dt.date, dt.date]:
        lo = self.start.first if self.start else dt.date.min
        hi = self.end.end if self.end else dt.date.max
        return lo, hi

    # The narrowest reading: the days on which the fact certainly held.
    @property
    def inner(self) -> tuple[dt.date, dt.date]:
        lo = self.start.end if self.start and self.start.precision is not Precision.DAY else (
            self.start.first if self.start else dt.date.min)
        hi = self.end.first if self.end else dt.date.max
        return lo, hi

    # The reading used for as-at queries: each partial date stands for its first day.
    @property
    def nominal(self) -> tuple[dt.date, dt.date]:
        lo = self.start.first if self.start else dt.date.min
        hi = self.end.first if self.end else dt.date.max
        return lo, hi

    def holds_on(self, day) -> bool:
        day = as_day(day)
        lo, hi = self.nominal
        return lo <= day < hi

    def certainly_holds_on(self, day) -> bool:
        day = as_day(day)
        lo, hi = self.inner
        return lo <= day < hi

    def possibly_holds_on(self, day) -> bool:
        day = as_day(day)
        lo, hi = self.outer
        return lo <= day < hi

    def overlaps(self, other: "Interval") -> bool:
        """True when both intervals share at least one day on the nominal reading."""
        a_lo, a_hi = self.nominal
        b_lo, b_hi = other.nominal
        return a_lo < b_hi and b_lo < a_hi

    def __str__(self) -> str:
        return f"[{self.start or '…'}, {self.end or '…'})"


def record_time(value: "str | dt.datetime | dt.date | None") -> dt.datetime | None:
    """A record time to ask "as known at": an ISO date-time (with an offset, turned into
    UTC; without one, taken as UTC), or a date (YYYY, YYYY-MM or YYYY-MM-DD), which means
    the end of the period it covers: everything recorded on 1 March is known at 2012-03-01.
    Naive UTC, as ``recorded_at`` is stored.

    Example: record_time("2012-03-01") == dt.datetime(2012, 3, 1, 23, 59, 59, 999999)
    """
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        when = value
    elif isinstance(value, str) and "T" in value.strip():
        text = value.strip()
        try:
            when = dt.datetime.fromisoformat(text[:-1] + "+00:00" if text.endswith("Z") else text)
        except ValueError:
            raise BadDate(f"not a date or date-time: {value!r} (use YYYY-MM-DD or "
                          f"YYYY-MM-DDTHH:MM[:SS][+HH:MM])") from None
    else:
        try:
            end = PartialDate.parse(value).end
        except BadDate:
            raise BadDate(f"not a date or date-time: {value!r} (use YYYY-MM-DD or "
                          f"YYYY-MM-DDTHH:MM[:SS][+HH:MM])") from None
        return dt.datetime.combine(end, dt.time()) - dt.timedelta(microseconds=1)
    if when.tzinfo is not None:
        when = when.astimezone(dt.timezone.utc).replace(tzinfo=None)
    return when
