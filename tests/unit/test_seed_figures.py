"""Every figure the rate cards take from the vendors' documents, checked against them.

The seed documents (000 OTRS, 001 maxence, 002 and 003 Open-Xchange, 004
bpm'online) are quoted in the comments; their numbers are written out here,
so a card that drifts from its source fails. Figures the seeds do not give are
example values and must be marked as such (the last tests).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from quote.core.catalog import load_rates
from quote.core.rates import FlatPrice, PercentPrice, example_figures

BOOK = load_rates()
BPM = BOOK.latest("bpmonline").card
OTRS = BOOK.latest("otrs").card
MAXENCE = BOOK.latest("maxence").card
OX = BOOK.latest("open-xchange").card


def times(package, table="response_times") -> dict[str, str]:
    return {priority: time.short for priority, time in getattr(package, table).items()}


# -- 004 bpm'online ---------------------------------------------------------------


@pytest.mark.parametrize(("package", "on_site", "on_demand"), [
    # "On-site, % от стоимости лицензий: 15% | 20%, но не менее 500 евро | 25%, но не менее
    # 10 000 евро"; "On-demand: Включена в стоимость подписки | 10%, но не менее 500 евро |
    # 15%, но не менее 10 000 евро"
    ("basic", ("15", "0"), None),
    ("business", ("20", "500.00"), ("10", "500.00")),
    ("premium", ("25", "10000.00"), ("15", "10000.00")),
])
def test_bpmonline_prices_in_euros(package, on_site, on_demand):
    found = BPM.package(package)
    assert isinstance(found.on_site, PercentPrice)
    assert (found.on_site.percent, found.on_site.minimum.of("EUR")) == (
        Decimal(on_site[0]), Decimal(on_site[1]))
    if on_demand is None:
        assert found.on_demand.kind == "included"
    else:
        assert (found.on_demand.percent, found.on_demand.minimum.of("EUR")) == (
            Decimal(on_demand[0]), Decimal(on_demand[1]))
    for price in (found.on_site, found.on_demand):  # the vendor's figures: not examples
        if isinstance(price, PercentPrice):
            assert not price.is_example("percent")
            assert not price.is_example("minimum", "EUR")
            assert BPM.currencies[0] == "EUR"


@pytest.mark.parametrize(("package", "days", "hours", "response", "resolution"), [
    # "Время предоставления (UTC +03:00, Москва): 9:00 – 18:00 (Пн. – Пт.) | 9:00 – 18:00
    # (Пн. – Вс.) | 24х7"; "Максимальное время реакции (инциденты с первым приоритетом):
    # 4 часа | 1 час | 30 минут"; "(2-4 приоритет): 8 часов | 4 часа | 2 часа"
    ("basic", ["mon", "tue", "wed", "thu", "fri"], (9, 18),
     {"1": "4h", "2": "8h", "3": "8h", "4": "8h"}, {}),
    ("business", ["mon", "tue", "wed", "thu", "fri", "sat", "sun"], (9, 18),
     {"1": "1h", "2": "4h", "3": "4h", "4": "4h"}, {}),
    # "Гарантированное время разрешения: 2 часа | 2 рабочих дня | 10 рабочих дней |
    # 20 рабочих дней"
    ("premium", None, None, {"1": "30min", "2": "2h", "3": "2h", "4": "2h"},
     {"1": "2h", "2": "2bd", "3": "10bd", "4": "20bd"}),
])
def test_bpmonline_service_hours_and_times(package, days, hours, response, resolution):
    found = BPM.package(package)
    service = found.service_hours
    assert service.time_zone == "Europe/Moscow"  # UTC+03:00 all year since 2014
    if days is None:
        assert service.around_the_clock
    else:
        assert service.days == days
        assert (service.start, service.end) == (dt.time(hours[0]), dt.time(hours[1]))
        assert not service.example
    assert times(found) == response
    assert times(found, "resolution_times") == resolution
    assert not any(t.example for t in found.response_times.values())


def test_bpmonline_priorities_are_the_vendors():
    assert [p.id for p in BPM.priorities] == ["1", "2", "3", "4"]
    # "Система полностью неработоспособна. В случае инцидентов 1-го приоритета рекомендуется
    # использовать online каналы коммуникаций со службой поддержки."
    assert BPM.priority("1").definition.ru.startswith("Система полностью неработоспособна.")
    assert BPM.priority("4").definition.ru == \
        "Ошибка ПО, не влияющая на выполнение его функций."
    online = next(c for c in BPM.channels if c.id == "online")
    assert online.packages == ["business", "premium"]  # "Online поддержка: - + +"


@pytest.mark.parametrize(("service", "included"), [
    # the services matrix: + included, - not, for Basic, Business, Premium
    ("online_support", "-++"), ("offline_support", "+++"), ("development_advice", "-++"),
    ("priority_management", "--+"), ("success_manager", "--+"),
    ("unlimited_requests", "+++"), ("installation_advice", "+++"),
    ("functional_advice", "+++"), ("customisation_advice", "+++"), ("defect_intake", "+++"),
    ("new_versions", "+++"), ("portal_access", "+++"), ("knowledge_base", "+++"),
])
def test_bpmonline_services_matrix(service, included):
    marks = "".join("+" if service in BPM.package(p).services else "-"
                    for p in ("basic", "business", "premium"))
    assert marks == included


def test_bpmonline_conditions():
    # "Пакеты технической поддержки приобретаются на срок не менее одного года"
    assert BPM.minimum_term_years == 1
    assert BPM.calendar.country == "RU"  # business days: the Russian calendar


# -- 000 OTRS ------------------------------------------------------------------------


def test_otrs_impact_levels_contacts_and_environments():
    # "Level 3 - Critical Impact", "Level 2 - Medium Impact", "Level 1 - Low Impact"
    assert [(p.id, p.name.en) for p in OTRS.priorities] == [
        ("3", "Level 3 – Critical impact"), ("2", "Level 2 – Medium impact"),
        ("1", "Level 1 – Low impact")]
    # "Subscription plans include support for 1 application database."
    assert {p.environments.included for p in OTRS.packages} == {1}
    assert not any(p.environments.is_example("included") for p in OTRS.packages)
    # "Professional and Enterprise Subscription customers additionally have exclusive phone
    # access to support."
    phone = next(c for c in OTRS.channels if c.id == "phone")
    assert phone.packages == ["professional", "enterprise"]
    # "You may appoint two (2) employees as contacts"
    assert OTRS.service("support_contacts").name.en == "Two named support contacts"
    assert not OTRS.license_value


# -- 001 maxence ---------------------------------------------------------------------


def test_maxence_priorities_quotas_and_critical_response_times():
    # "Kritisch", "Hoch", "Mittel", "Niedrig"
    assert [p.name.de for p in MAXENCE.priorities] == ["Kritisch", "Hoch", "Mittel", "Niedrig"]
    basic, professional = MAXENCE.package("basic"), MAXENCE.package("professional")
    # "Supportvertrag für die Dauer von einem Jahr. ... 30 Service Anfragen ... Kritische
    # Support-Anfragen werden innerhalb 4 Std. beantwortet"
    assert (basic.requests_per_year, basic.response_times["critical"].short) == (30, "4h")
    # "... 60 Service Anfragen ... innerhalb 2 Std. beantwortet (innerhalb der erweiterten
    # Servicezeiten)"
    assert (professional.requests_per_year,
            professional.response_times["critical"].short) == (60, "2h")
    assert not basic.response_times["critical"].example
    assert not professional.response_times["critical"].example
    assert MAXENCE.maximum_term_years == 1
    assert MAXENCE.points is not None and not MAXENCE.license_value


# -- 002 and 003 Open-Xchange ------------------------------------------------------------


def test_open_xchange_severities_with_both_sets_of_definitions():
    # 002: "Severity 1 – High", "Severity 2 - Medium", "Severity 3 - Low", "Severity 4 -
    # Trivial"
    assert [(p.id, p.name.en) for p in OX.priorities] == [
        ("1", "Severity 1 – High"), ("2", "Severity 2 – Medium"), ("3", "Severity 3 – Low"),
        ("4", "Severity 4 – Trivial")]
    one, two, three, four = OX.priorities
    # 002, German: "Bezeichnet eine Störung katastrophalen Ausmaßes ..."
    assert one.definition.de.startswith("Eine Störung katastrophalen Ausmaßes")
    assert "produktbegleitenden Dokumentation" in three.definition.de
    # 003: "Shall mean Incidents that are defined as a complete outage ..."
    for priority in OX.priorities:
        (scoped,) = priority.scoped_definitions
        assert scoped.scope.en == "OX Cloud operations"
    assert "complete outage" in one.scoped_definitions[0].definition.en
    assert "security or general threat" in one.scoped_definitions[0].definition.en
    assert "majority of the users" in two.scoped_definitions[0].definition.en
    assert "test or pre-production environment" in three.scoped_definitions[0].definition.en
    assert "documentation and translation errors" in four.scoped_definitions[0].definition.en


def test_open_xchange_commitments():
    commitments = OX.commitments
    # 003: "All formal communication needs to be in English to allow 24/7 coverage."
    assert commitments.communication_language == "en"
    # 003: "the Customer gets a dedicated support key ... This License Key controls the SLA"
    assert commitments.support_key
    assert commitments.request_fields[0].en == "Support key"
    # 003: "Planned maintenance will be announced three business days in advance";
    # "Emergency maintenance will be communicated within 4 hours of the scheduled time."
    assert commitments.maintenance.planned_notice.short == "3bd"
    assert commitments.maintenance.emergency_notice.short == "4h"
    assert commitments.maintenance.announce_start_and_end
    # 003: "Web-Mail / HTTP, SMTP, IMAP, POP3: > 30s response for a period of 15min or more";
    # "keep the Customer up to date on the progress on an hourly basis"
    outage = commitments.outage
    assert outage.services == ["Web-Mail / HTTP", "SMTP", "IMAP", "POP3"]
    assert (outage.slower_than.short, outage.lasting.short) == ("30s", "15min")
    assert outage.update_interval.short == "1h"
    assert outage.proactive
    # 003: "discussed with Open-Xchange at least 15 business days before the event"
    assert commitments.capacity_notice.short == "15bd"
    for time in (commitments.maintenance.planned_notice, outage.slower_than,
                 commitments.capacity_notice):
        assert not time.example


def test_open_xchange_phone_only_for_severity_1_and_2():
    # 003: "Only in case of Severity 1 and Severity 2 issues, OX's Support can also be
    # alarmed via phone after submitting a ticket"
    for package in OX.packages:
        assert [c.id for c in OX.channels_for(package.id, "1")] == ["email", "phone"]
        assert [c.id for c in OX.channels_for(package.id, "2")] == ["email", "phone"]
        assert [c.id for c in OX.channels_for(package.id, "3")] == ["email"]
        assert [c.id for c in OX.channels_for(package.id, "4")] == ["email"]


def test_open_xchange_response_times_by_severity_and_service_level():
    # 002: "Die Reaktionszeit ... hängt sowohl von der gewählten Severity der Anfrage als auch
    # von einem "Service Level Agreement" (SLA) ... ab" - the figures are examples.
    table = {p.id: times(p) for p in OX.packages}
    assert table == {
        "basic": {"1": "4h", "2": "8h", "3": "2bd", "4": "5bd"},
        "standard": {"1": "2h", "2": "4h", "3": "1bd", "4": "3bd"},
        "premium": {"1": "30min", "2": "2h", "3": "8h", "4": "2bd"},
    }
    for package in OX.packages:
        assert all(t.example for t in package.response_times.values())
    # 003: the support department is "available 24/7/365"; severity 1 is an outage, with
    # hourly updates
    premium = OX.package("premium")
    assert premium.service_hours.around_the_clock
    assert premium.update_intervals["1"].short == "1h"
    assert not premium.update_intervals["1"].example


# -- what the seeds do not give is marked ----------------------------------------------


def test_figures_no_seed_gives_are_marked_as_examples():
    bpm = set(example_figures(BPM))
    assert "packages.premium.environments.extra.percent" in bpm  # the invented add-on
    assert "packages.business.on_site.minimum.RUB" in bpm
    assert "packages.business.on_site.minimum.EUR" not in bpm
    assert {"max_discount_percent", "reinstatement.fee_percent",
            "renewal.uplift_percent"} <= bpm
    for card in (OTRS, MAXENCE, OX):
        marked = set(example_figures(card))
        for package in card.packages:
            for deployment in ("on_site", "on_demand"):
                price = package.price(deployment)
                if isinstance(price, FlatPrice):
                    assert f"packages.{package.id}.{deployment}.price" in marked
                elif isinstance(price, PercentPrice):
                    assert f"packages.{package.id}.{deployment}.percent" in marked
    assert "points.tiers.0.price" in example_figures(MAXENCE)
