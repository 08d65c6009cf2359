"""Lines in words: descriptions and explanations in the quote's language.

Texts come from the ``core`` catalogue; amounts, percentages and dates are
formatted by Babel for the language. The web page and the PDF call
``describe_line`` to show a line in any language, not only the request's.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import cache, lru_cache

from babel import Locale
from babel.dates import format_date, format_time, get_day_names
from babel.numbers import format_decimal, format_percent

from ..i18n import translations
from . import numbers
from .errors import N_
from .rates import WEEKDAYS, Package, RateCard, ServiceHours

LOCALES = {"en": "en_GB", "de": "de_DE", "ru": "ru_RU"}


@cache
def locale_of(language: str) -> Locale:
    """The Babel locale of a language, parsed once (parsing dominates formatting's cost)."""
    return Locale.parse(LOCALES.get(language, "en_GB"))


def money(amount: Decimal, currency: str, language: str) -> str:
    return numbers.money(amount, currency, locale_of(language))


def percent(value: Decimal, language: str) -> str:
    return format_percent(value / 100, locale=locale_of(language), decimal_quantization=False)


@lru_cache(maxsize=4096)
def day(value: dt.date, language: str) -> str:
    """A date in words ("1. Juli 2026"); the same dates recur, so each is written once."""
    return format_date(value, format="long", locale=locale_of(language))


def number(value: int | Decimal, language: str) -> str:
    if isinstance(value, int):
        return numbers.whole(value, locale_of(language))
    return format_decimal(value, locale=locale_of(language), decimal_quantization=False)


def service_hours_text(hours: ServiceHours, language: str) -> str:
    """Service hours in words: "Mon–Fri, 09:00–18:00 (Europe/Moscow, UTC+03:00)"."""
    _ = translations(language).gettext
    if hours.around_the_clock:
        return _("24 hours a day, 7 days a week (%(zone)s, %(offset)s)") % {
            "zone": hours.time_zone, "offset": hours.utc_offset}
    locale = locale_of(language)
    names = get_day_names("abbreviated", locale=locale)
    runs: list[list[int]] = []  # consecutive weekdays, written as "Mon–Fri"
    for index in (WEEKDAYS.index(d) for d in hours.days):
        if runs and runs[-1][-1] == index - 1:
            runs[-1].append(index)
        else:
            runs.append([index])
    days = ", ".join(names[r[0]] if len(r) == 1 else f"{names[r[0]]}–{names[r[-1]]}"
                     for r in runs)
    return _("%(days)s, %(start)s–%(end)s (%(zone)s, %(offset)s)") % {
        "days": days,
        "start": format_time(hours.start, "HH:mm", locale=locale),
        "end": format_time(hours.end, "HH:mm", locale=locale),
        "zone": hours.time_zone, "offset": hours.utc_offset}


DEPLOYMENTS = {"on_site": N_("on-site licenses"), "on_demand": N_("on-demand subscription")}


class Describer:
    """Formats texts for one language."""

    def __init__(self, language: str, currency: str):
        self.language = language
        self.currency = currency
        catalogue = translations(language)
        self.gettext = catalogue.gettext
        self.ngettext = catalogue.ngettext

    def _(self, message: str, **params) -> str:
        text = self.gettext(message)
        return text % params if params else text

    def money(self, amount: Decimal) -> str:
        return money(amount, self.currency, self.language)

    def years(self, count: int) -> str:
        return self.ngettext("%(num)d year", "%(num)d years", count) % {"num": count}

    def deployment(self, deployment: str) -> str:
        return self._(DEPLOYMENTS[deployment])

    # -- descriptions ---------------------------------------------------

    def support(self, package: Package, deployment: str, years: int) -> str:
        return self._("%(package)s support, %(deployment)s, %(years)s",
                      package=package.name(self.language),
                      deployment=self.deployment(deployment), years=self.years(years))

    def environments(self, count: int) -> str:
        return self.ngettext("%(num)d extra environment", "%(num)d extra environments",
                             count) % {"num": count}

    def addition(self, date: dt.date) -> str:
        return self._("Additional licenses from %(date)s", date=day(date, self.language))

    def added_environments(self, count: int, date: dt.date) -> str:
        text = self.ngettext("%(num)d additional environment from %(date)s",
                             "%(num)d additional environments from %(date)s", count)
        return text % {"num": count, "date": day(date, self.language)}

    def uplift(self, year: int) -> str:
        return self._("Price escalation, contract year %(year)s", year=year)

    def prepayment_discount(self, years: int) -> str:
        return self._("Discount for paying %(years)s in advance", years=self.years(years))

    def back_support(self, start: dt.date, end: dt.date) -> str:
        return self._("Back-support for the uncovered days %(start)s to %(end)s",
                      start=day(start, self.language), end=day(end, self.language))

    def reinstatement_fee(self) -> str:
        return self._("Reinstatement fee")

    def points(self, count: int, card: RateCard) -> str:
        assert card.points is not None
        return self._("%(account)s: %(points)s points", account=card.points.name(self.language),
                      points=number(count, self.language))

    # -- explanations ---------------------------------------------------

    def explain(self, explanation) -> str:  # noqa: C901 - one branch per kind, as documented
        e = explanation
        if e.kind == "included":
            return self._("Included in the license or subscription price")
        if e.kind == "percent_fee":
            text = self._("%(percent)s of %(base)s = %(exact)s",
                          percent=percent(e.percent, self.language), base=self.money(e.base),
                          exact=self.money(e.exact))
            if e.minimum_applied:
                text += "; " + self._("minimum %(minimum)s applies",
                                      minimum=self.money(e.minimum))
            return text + "; " + self._("%(fee)s a year × %(years)s",
                                        fee=self.money(e.annual_fee), years=self.years(e.years))
        if e.kind == "flat_fee":
            return self._("%(fee)s a year × %(years)s", fee=self.money(e.annual_fee),
                          years=self.years(e.years))
        if e.kind == "extra_environments":
            text = self.ngettext(
                "%(num)d environment beyond the %(included)d included",
                "%(num)d environments beyond the %(included)d included", e.quantity,
            ) % {"num": e.quantity, "included": e.included}
            unit = self.money(e.unit_price)
            if e.unit_percent is not None:
                unit = self._("%(price)s (%(percent)s of the annual fee %(fee)s)", price=unit,
                              percent=percent(e.unit_percent, self.language),
                              fee=self.money(e.annual_fee))
            return text + ", " + self._("each %(price)s a year × %(years)s", price=unit,
                                        years=self.years(e.years))
        if e.kind == "pro_rata":
            return self._("Annual cost %(before)s → %(after)s: difference %(difference)s "
                          "× %(parts)s", before=self.money(e.before),
                          after=self.money(e.after), difference=self.money(e.difference),
                          parts=self._periods(e.periods))
        if e.kind == "points":
            return self._("%(points)s points × %(price)s (price from %(tier)s points on)",
                          points=number(e.quantity, self.language),
                          price=self.money(e.unit_price), tier=number(e.tier_from,
                                                                      self.language))
        if e.kind == "uplift":
            return self._("Annual cost %(base)s raised by %(percent)s a year: "
                          "× (1 + %(percent)s)^%(power)s − %(base)s",
                          base=self.money(e.base), percent=percent(e.percent, self.language),
                          power=number(e.year - 1, self.language))
        if e.kind == "prepayment_discount":
            return self._("%(percent)s of %(base)s for paying %(years)s in advance",
                          percent=percent(e.percent, self.language), base=self.money(e.base),
                          years=self.years(e.years))
        if e.kind == "back_support":
            return self._("Annual cost %(cost)s × %(parts)s", cost=self.money(e.annual_cost),
                          parts=self._periods(e.periods))
        if e.kind == "reinstatement_fee":
            return self._("%(percent)s of the back-support %(base)s",
                          percent=percent(e.percent, self.language), base=self.money(e.base))
        raise AssertionError(e.kind)

    def _periods(self, periods) -> str:
        return ", ".join(
            self._("%(days)s of %(year_days)s days (contract year %(year)s)",
                   days=number(p.days, self.language),
                   year_days=number(p.year_days, self.language), year=p.year)
            for p in periods)


def describe_line(line, card: RateCard, package: Package, deployment: str, years: int,
                  language: str) -> tuple[str, str]:
    """(description, explanation) of a priced line in ``language``."""
    words = Describer(language, card.currency)
    e = line.explanation
    if line.code == "support":
        description = words.support(package, deployment, years)
    elif line.code == "environment" and line.date is None:
        description = words.environments(e.quantity)
    elif line.code == "environment":
        description = words.added_environments(e.quantity, line.date)
    elif line.code == "addition":
        description = words.addition(line.date)
    elif line.code == "uplift":
        description = words.uplift(e.year)
    elif line.code == "prepayment_discount":
        description = words.prepayment_discount(e.years)
    elif line.code == "back_support":
        description = words.back_support(e.periods[0].start, e.periods[-1].end)
    elif line.code == "reinstatement_fee":
        description = words.reinstatement_fee()
    else:
        description = words.points(e.quantity, card)
    return description, words.explain(e)

