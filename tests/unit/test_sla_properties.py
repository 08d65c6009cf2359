"""Properties of the service-level clock over generated requests, every card and package.

A deadline is never before the request; it never lies in closed hours unless
the package is 24x7; and a later request never has an earlier deadline.
Request times are drawn from 2024 to 2030, half of them within a few hours of
a summer time switch of the package's zone.
"""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quote.core.catalog import load_rates
from quote.core.rates import Duration
from quote.core.sla import clock, deadlines
from quote.core.zones import transitions

BOOK = load_rates()
CARDS = {card_id: BOOK.latest(card_id).card for card_id in BOOK.ids()}
CASES = [(card_id, package.id, priority.id) for card_id, card in CARDS.items()
         for package in card.packages for priority in card.priorities]
PROPERTY = settings(max_examples=300, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])
FIRST, LAST = dt.datetime(2024, 1, 1, tzinfo=dt.UTC), dt.datetime(2030, 12, 31, tzinfo=dt.UTC)
SWITCHES = sorted({t.instant for zone in ("Europe/Berlin", "Europe/Moscow")
                   for t in transitions(zone, FIRST.date(), LAST.date())})

anywhere = st.integers(0, int((LAST - FIRST).total_seconds())).map(
    lambda s: FIRST + dt.timedelta(seconds=s))
near_a_switch = st.tuples(st.sampled_from(SWITCHES), st.integers(-4 * 3600, 4 * 3600)).map(
    lambda pair: pair[0] + dt.timedelta(seconds=pair[1]))
instants = st.one_of(anywhere, near_a_switch)


def found(case, requested):
    card_id, package_id, priority = case
    card = CARDS[card_id]
    return deadlines(card, card.package(package_id), priority, requested)


def each(result):
    return [d for d in (result.response, result.resolution) if d is not None]


@PROPERTY
@given(case=st.sampled_from(CASES), requested=instants)
def test_a_deadline_is_never_before_the_request(case, requested):
    for deadline in each(found(case, requested)):
        assert requested <= deadline.starts <= deadline.due


@PROPERTY
@given(case=st.sampled_from(CASES), requested=instants)
def test_a_deadline_is_never_in_closed_hours_unless_the_package_is_24x7(case, requested):
    card_id, package_id, _ = case
    card = CARDS[card_id]
    package = card.package(package_id)
    service = clock(card, package)
    for deadline in each(found(case, requested)):
        assert service.is_open(deadline.starts)
        if not package.service_hours.around_the_clock:
            assert service.is_open(deadline.due), deadline


@PROPERTY
@given(case=st.sampled_from(CASES), requested=instants,
       later=st.one_of(st.integers(0, 120), st.integers(0, 14 * 24 * 3600)))
def test_a_later_request_never_has_an_earlier_deadline(case, requested, later):
    first = found(case, requested)
    second = found(case, requested + dt.timedelta(seconds=later))
    for one, two in zip(each(first), each(second), strict=True):
        assert one.due <= two.due


AROUND_THE_CLOCK = [(card_id, package.id) for card_id, card in CARDS.items()
                    for package in card.packages if package.service_hours.around_the_clock]
TIMES = [Duration.model_validate(text) for text in ("1d", "2d", "1bd", "3bd", "4h", "30min")]


@PROPERTY
@given(case=st.sampled_from(AROUND_THE_CLOCK), time=st.sampled_from(TIMES),
       switch=st.sampled_from(SWITCHES), offset=st.integers(-3600, 3600),
       later=st.integers(0, 7200))
def test_a_later_request_in_the_hour_a_switch_repeats_or_skips(case, time, switch, offset,
                                                               later):
    # times in days count in wall-clock time: the hour that happens twice (and the one
    # skipped) must not make a deadline run backwards
    card_id, package_id = case
    card = CARDS[card_id]
    service = clock(card, card.package(package_id))
    requested = switch + dt.timedelta(seconds=offset)
    first = service.deadline(requested, time)[1]
    second = service.deadline(requested + dt.timedelta(seconds=later), time)[1]
    assert requested <= first <= second
