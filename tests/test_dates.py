import datetime as dt

import pytest
from hypothesis import given, strategies as st

from nhsgraph.errors import BadDate, BadInterval
from nhsgraph.model.dates import Interval, PartialDate, Precision

days = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2035, 12, 31))


@st.composite
def partials(draw):
    d = draw(days)
    p = draw(st.sampled_from(list(Precision)))
    text = {Precision.YEAR: f"{d.year:04d}", Precision.MONTH: f"{d.year:04d}-{d.month:02d}",
            Precision.DAY: d.isoformat()}[p]
    return PartialDate.parse(text)


@given(partials())
def test_round_trip_keeps_precision(p):
    assert PartialDate.parse(str(p)) == p
    assert p.first <= p.last < p.end


@given(partials(), days)
def test_contains_agrees_with_bounds(p, d):
    assert p.contains(d) == (p.first <= d <= p.last)


@given(partials(), partials(), days)
def test_readings_nest(a, b, d):
    if b.first < a.first:
        a, b = b, a
    iv = Interval(a, b)
    # certainly ⊆ nominal ⊆ possibly
    if iv.certainly_holds_on(d):
        assert iv.holds_on(d)
    if iv.holds_on(d):
        assert iv.possibly_holds_on(d)


@given(partials(), partials(), partials(), partials())
def test_overlap_is_symmetric(a, b, c, d):
    x = Interval(*sorted([a, b], key=lambda p: p.first))
    y = Interval(*sorted([c, d], key=lambda p: p.first))
    assert x.overlaps(y) == y.overlaps(x)


@given(days, days)
def test_adjacent_intervals_do_not_overlap(a, b):
    lo, hi = sorted([a, b])
    mid = lo + (hi - lo) / 2
    first, second = Interval.of(lo, mid), Interval.of(mid, hi)
    if lo < mid < hi:
        assert not first.overlaps(second)


def test_month_covers_whole_month():
    p = PartialDate.parse("2011-12")
    assert p.contains(dt.date(2011, 12, 31)) and not p.contains(dt.date(2012, 1, 1))
    assert str(PartialDate.parse("2012-02").last) == "2012-02-29"


def test_open_interval_holds_everywhere_after_start():
    iv = Interval.of("2011", None)
    assert iv.holds_on("2030-01-01") and not iv.holds_on("2010-12-31")


@pytest.mark.parametrize("bad", ["2011-13", "2011-02-30", "11-12-01", "December 2011", "", "2011/12"])
def test_malformed_dates_are_refused(bad):
    with pytest.raises(BadDate):
        PartialDate.parse(bad)


def test_inverted_interval_is_refused():
    with pytest.raises(BadInterval):
        Interval.of("2012-01-01", "2011-01-01")
