"""The service-level clock on fixed cases, each worked out by hand."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from quote.cli import main
from quote.core.calendar import BusinessDays
from quote.core.catalog import load_rates
from quote.core.errors import QuoteInputError
from quote.core.rates import WEEKDAYS, Duration, ServiceHours
from quote.core.sla import ServiceClock, answer, deadlines, examples, parse_sla_request

BOOK = load_rates()
TODAY = dt.date(2026, 11, 22)


def due(card_id: str, package: str, priority: str, requested: str) -> tuple[str, str | None]:
    """(response deadline, resolution deadline) in UTC, written as "2026-03-16T09:45Z"."""
    card = BOOK.latest(card_id).card
    found = deadlines(card, card.package(package), priority, dt.datetime.fromisoformat(requested))

    def written(deadline):
        if deadline is None:
            return None
        return deadline.due.strftime("%Y-%m-%dT%H:%MZ")

    return written(found.response), written(found.resolution)


@pytest.mark.parametrize(("case", "card", "package", "priority", "requested", "response",
                          "resolution"), [
    # bpm'online Basic, Mon-Fri 09:00-18:00 Moscow time, priority 1 within 4 hours: 15 minutes
    # on Friday, then 3 h 45 min from Monday 09:00, so Monday 12:45 Moscow time
    ("across a weekend", "bpmonline", "basic", "1", "2026-03-13T17:45+03:00",
     "2026-03-16T09:45Z", None),
    # the Friday before: Monday 9 March 2026 is a Russian holiday (8 March was a Sunday),
    # so the 3 h 45 min run from Tuesday 09:00: Tuesday 12:45 Moscow time
    ("across a holiday", "bpmonline", "basic", "1", "2026-03-06T17:45+03:00",
     "2026-03-10T09:45Z", None),
    # Business works Mon-Sun: 15 minutes on Friday, 45 on Saturday from 09:00
    ("a desk open at weekends", "bpmonline", "business", "1", "2026-03-13T17:45+03:00",
     "2026-03-14T06:45Z", None),
    # Saturday 1 November 2025 was a working day in Russia: Basic is open then
    ("a Saturday worked instead", "bpmonline", "basic", "1", "2025-10-31T17:30+03:00",
     "2025-11-01T09:30Z", None),
    # OTRS Basic, Mon-Fri 08:00-17:00 Berlin: on 24 December at 17:45 the window has closed
    # (the next one counts); 25 and 26 December are holidays, so Monday 28th 08:00 + 4 h
    ("outside the window, then holidays", "otrs", "basic", "3", "2026-12-24T17:45+01:00",
     "2026-12-28T11:00Z", None),
    # bpm'online Premium is 24x7: 30 minutes and 2 hours of real time, holiday or not
    ("24x7", "bpmonline", "premium", "1", "2026-01-03T03:00+03:00",
     "2026-01-03T00:30Z", "2026-01-03T02:00Z"),
    # priority 2: resolution in 2 business days, counted from the next business day when
    # the request comes on a day off: 3-11 January are days off or the weekend, so Monday
    # 12th and Tuesday 13th, due at the end of Tuesday (midnight, Moscow time)
    ("business days from a holiday", "bpmonline", "premium", "2", "2026-01-03T03:00+03:00",
     "2026-01-03T02:00Z", "2026-01-13T21:00Z"),
    # on a business day the same local time two business days later: Thursday 24 December
    # 19:45 Moscow time -> Monday 28th 19:45 (25th is no holiday in Russia)
    ("business days over a weekend", "bpmonline", "premium", "2", "2026-12-24T17:45+01:00",
     "2026-12-24T18:45Z", "2026-12-28T16:45Z"),
    # ten business days from Thursday 24 December: 31 December and 1-8 January are days off
    ("business days over the new year", "bpmonline", "premium", "3", "2026-12-24T17:45+01:00",
     "2026-12-24T18:45Z", "2027-01-18T16:45Z"),
    # OTRS Enterprise is 24x7 in Berlin: 8 hours over the night the clocks go forward are 8
    # real hours (07:00 summer time instead of 06:00)
    ("summer time starts (hours)", "otrs", "enterprise", "3", "2026-03-28T22:00+01:00",
     "2026-03-28T21:30Z", "2026-03-29T05:00Z"),
    # one business day from Friday 10:00 winter time is Monday 10:00 summer time: the local
    # time is kept, so the deadline is 71 hours later, not 72
    ("summer time starts (business days)", "otrs", "enterprise", "1", "2026-03-27T10:00+01:00",
     "2026-03-30T08:00Z", None),
    # Open-Xchange Standard, Mon-Fri 08:00-20:00 Berlin: 30 minutes on Friday 23 October
    # (summer time), the rest from Monday 08:00 winter time: 11:30 = 10:30 UTC
    ("summer time ends", "open-xchange", "standard", "2", "2026-10-23T19:30+02:00",
     "2026-10-26T10:30Z", None),
    # maxence Professional works Mon-Sat 08:00-20:00: a critical request at 19:00 on Friday
    # gets 1 hour on Friday and 1 on Saturday morning
    ("critical over a Friday evening", "maxence", "professional", "critical",
     "2026-06-12T19:00+02:00", "2026-06-13T07:00Z", None),
])
def test_deadlines(case, card, package, priority, requested, response, resolution):
    assert due(card, package, priority, requested) == (response, resolution), case


def test_the_clock_starts_at_the_next_window():
    card = BOOK.latest("otrs").card
    found = deadlines(card, card.package("basic"), "3",
                      dt.datetime.fromisoformat("2026-12-24T17:45+01:00"))
    assert found.response.starts == dt.datetime(2026, 12, 28, 7, tzinfo=dt.UTC)  # 08:00 CET


def test_a_business_day_deadline_outside_the_hours_moves_to_the_next_window():
    # OTRS Quick Start, Mon-Fri 08:00-17:00 Berlin, level 2 within 2 business days: a request
    # on Monday 16:59 is due Wednesday 16:59; one on Saturday counts from Monday 08:00
    assert due("otrs", "quick_start", "2", "2026-06-15T16:59+02:00")[0] == "2026-06-17T14:59Z"
    assert due("otrs", "quick_start", "2", "2026-06-13T12:00+02:00")[0] == "2026-06-17T06:00Z"


def test_examples_on_the_first_friday_of_the_term():
    card = BOOK.latest("bpmonline").card
    found = examples(card, card.package("basic"), dt.date(2026, 3, 2), "en")
    assert [e.priority for e in found] == ["Priority 1", "Priority 2", "Priority 3",
                                           "Priority 4"]
    # Friday 6 March 2026, 17:45 Moscow time; Monday 9 March is a holiday
    assert found[0].requested == dt.datetime(2026, 3, 6, 14, 45, tzinfo=dt.UTC)
    assert found[0].deadlines.response.due == dt.datetime(2026, 3, 10, 9, 45, tzinfo=dt.UTC)
    # priorities 2-4: 8 hours, 15 minutes on Friday, 7 h 45 min on Tuesday
    assert found[1].deadlines.response.due == dt.datetime(2026, 3, 10, 13, 45, tzinfo=dt.UTC)


def test_the_answer_in_words_and_in_the_customers_time():
    request = parse_sla_request({
        "rate_card": "bpmonline", "package": "basic", "priority": "1",
        "requested_at": "2026-03-06T15:45+01:00", "time_zone": "Europe/Berlin",
        "language": "de"})
    found = answer(request, BOOK, TODAY)
    assert found.response.due == dt.datetime(2026, 3, 10, 9, 45, tzinfo=dt.UTC)
    assert found.response.due_local.isoformat() == "2026-03-10T10:45:00+01:00"
    assert found.response.due_service.isoformat() == "2026-03-10T12:45:00+03:00"
    assert found.response.text == "Dienstag, 10. März 2026, 12:45 Uhr (Ortszeit Moskau, UTC+3)"
    assert found.response.time.text == "4 Stunden"
    assert found.time_zone == "Europe/Berlin" and found.resolution is None
    # without a zone, the customer's time keeps the offset the request was given with
    plain = answer(parse_sla_request({**request.model_dump(mode="json"), "time_zone": None}),
                   BOOK, TODAY)
    assert plain.time_zone == "UTC+1"
    assert plain.response.due_local.isoformat() == "2026-03-10T10:45:00+01:00"


@pytest.mark.parametrize(("change", "field"), [
    ({"requested_at": "2026-12-24T17:45"}, "requested_at"),  # no offset
    ({"requested_at": "2026-02-30T17:45+01:00"}, "requested_at"),
    ({"requested_at": "1999-12-31T23:00+00:00"}, "requested_at"),
    ({"requested_at": 1766594700}, "requested_at"),
    ({"time_zone": "Mars/Olympus"}, "time_zone"),
    ({"priority": "9"}, "priority"),
    ({"package": "gold"}, "package"),
    ({"rate_card": "nope"}, "rate_card"),
    ({"rate_card_version": "1999.1"}, "rate_card_version"),
    ({"colour": "red"}, "colour"),
    ({"language": "fr"}, "language"),
])
def test_bad_input_is_refused_per_field(change, field):
    data = {"rate_card": "otrs", "package": "basic", "priority": "3",
            "requested_at": "2026-12-24T17:45+01:00", **change}
    with pytest.raises(QuoteInputError) as caught:
        answer(parse_sla_request(data), BOOK, TODAY)
    assert [error.field for error in caught.value.errors] == [field]


def test_quote_sla_on_the_command_line(capsys):
    assert main(["sla", "otrs", "basic", "3", "2026-12-24T17:45+01:00"]) == 0
    out = capsys.readouterr().out
    assert "Response within 4 hours" in out
    assert "2026-12-28T11:00:00Z" in out
    assert "Monday, 28 December 2026, 12:00 (Berlin time, UTC+1)" in out
    assert main(["sla", "bpmonline", "premium", "2", "2026-12-24T17:45+01:00", "--json",
                 "--zone", "Europe/Berlin", "--lang", "ru"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["resolution"]["due"] == "2026-12-28T16:45:00Z"
    assert data["resolution"]["due_local"] == "2026-12-28T17:45:00+01:00"
    assert data["resolution"]["time"]["text"] == "2 рабочих дня"
    assert main(["sla", "otrs", "basic", "3", "2026-12-24T17:45"]) == 1
    assert '"field": "requested_at"' in capsys.readouterr().err


def test_quote_sla_names_the_customer_s_zone_by_its_city_in_the_language(capsys):
    assert main(["sla", "bpmonline", "premium", "2", "2026-12-24T17:45+01:00",
                 "--zone", "Europe/Moscow", "--lang", "de"]) == 0
    out = capsys.readouterr().out
    assert "(Moskau): 2026-12-24T21:45:00+03:00" in out
    assert "Europe/Moscow" not in out


def test_days_from_the_hour_that_happens_twice():
    # 25 October 2026, Berlin: 02:00-03:00 happens twice. Days count in wall-clock time, so
    # a request at 02:59 summer time (00:59 UTC) is due a day later at 02:59 (winter time);
    # one two minutes later, at 02:01 winter time, must not be due earlier: the repeated
    # hour's second pass counts as 03:00.
    hours = ServiceHours(days=list(WEEKDAYS), start=dt.time(0), end=dt.time(0),
                         around_the_clock=True, time_zone="Europe/Berlin")
    service = ServiceClock(hours, BusinessDays("DE"))
    one_day = Duration.model_validate("1d")
    first = service.deadline(dt.datetime(2026, 10, 25, 0, 59, tzinfo=dt.UTC), one_day)[1]
    second = service.deadline(dt.datetime(2026, 10, 25, 1, 1, tzinfo=dt.UTC), one_day)[1]
    assert first == dt.datetime(2026, 10, 26, 1, 59, tzinfo=dt.UTC)
    assert second == dt.datetime(2026, 10, 26, 2, 0, tzinfo=dt.UTC)
    # and a day from 02:30 on the night the clocks go forward is 02:30 the next day
    spring = service.deadline(dt.datetime(2026, 3, 28, 1, 30, tzinfo=dt.UTC), one_day)[1]
    assert spring == dt.datetime(2026, 3, 29, 1, 0, tzinfo=dt.UTC)  # 02:30 does not exist
