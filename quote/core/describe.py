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
from babel.dates import format_date, format_time, get_day_names, get_timezone_location
from babel.numbers import format_decimal

from ..i18n import translations
from . import numbers
from .countries import country_name
from .errors import N_
from .rates import WEEKDAYS, Calendar, Package, RateCard, ServiceHours
from .zones import offsets_between, utc_offset_text

LOCALES = {"en": "en_GB", "de": "de_DE", "ru": "ru_RU"}


@cache
def locale_of(language: str) -> Locale:
    """The Babel locale of a language, parsed once (parsing dominates formatting's cost)."""
    return Locale.parse(LOCALES.get(language, "en_GB"))


def money(amount: Decimal, currency: str, language: str) -> str:
    return money_writer(currency, language)(amount)


@lru_cache(maxsize=256)
def money_writer(currency: str, language: str):
    """``money`` for one currency and language, its format worked out once."""
    return numbers.money_writer(currency, locale_of(language))


@cache
def _whole_writer(language: str):
    return numbers.whole_writer(locale_of(language))


def percent(value: Decimal, language: str) -> str:
    return numbers.percent(value, locale_of(language))


@lru_cache(maxsize=4096)
def day(value: dt.date, language: str) -> str:
    """A date in words ("1. Juli 2026"); the same dates recur, so each is written once."""
    return format_date(value, format="long", locale=locale_of(language))


def full_stop(text: str) -> str:
    """``text`` ended as a sentence: with a period, unless it ends with one already (a
    Russian date does: "с 1 января 2019 г.", never "г..")."""
    return text if text.endswith(".") else text + "."


def number(value: int | Decimal, language: str) -> str:
    if isinstance(value, int):
        return _whole_writer(language)(value)
    return format_decimal(value, locale=locale_of(language), decimal_quantization=False)


def moment(value: dt.datetime, language: str) -> str:
    """A wall-clock time with its date in words: "Monday, 28 December 2026, 12:45"."""
    _ = translations(language).gettext
    return _("%(date)s, %(time)s") % {
        "date": format_date(value, format="full", locale=locale_of(language)),
        "time": format_time(value, "HH:mm", locale=locale_of(language))}


def period_of(first: dt.date | None, last: dt.date | None) -> tuple[dt.date, dt.date]:
    """The dates a text speaks of; by default the twelve months from today."""
    first = first or dt.date.today()
    return first, last or first + dt.timedelta(days=364)


def zone_text(zone: str, language: str, first: dt.date | None = None,
              last: dt.date | None = None) -> str:
    """A time zone in words with its offset on the dates concerned: "Moscow time, UTC+3",
    "Berlin time, UTC+1 in winter, UTC+2 in summer"."""
    first, last = period_of(first, last)
    return _zone_text(zone, language, first, last)


@lru_cache(maxsize=256)
def zone_city(zone: str, language: str) -> str:
    """The city a time zone is named after, in ``language`` ("Moskau" for Europe/Moscow):
    what a page says instead of the zone's IANA id. Anything but an IANA id (a fixed
    offset such as "UTC+01:00") is returned as it is."""
    if "/" not in zone:
        return zone
    try:
        return get_timezone_location(zone, locale=locale_of(language), return_city=True)
    except LookupError:
        return zone


@lru_cache(maxsize=1024)
def _zone_text(zone: str, language: str, first: dt.date, last: dt.date) -> str:
    _ = translations(language).gettext
    city = zone_city(zone, language)
    offsets = offsets_between(zone, first, last)
    if offsets.changes:
        steps = [utc_offset_text(offsets.standard)] + [
            _("%(offset)s from %(date)s") % {"offset": utc_offset_text(change.after),
                                             "date": day(change.local_date, language)}
            for change in offsets.changes]
        return _("%(city)s time, %(offset)s") % {"city": city, "offset": ", ".join(steps)}
    if offsets.summer is not None:
        return _("%(city)s time, %(standard)s in winter, %(summer)s in summer") % {
            "city": city, "standard": utc_offset_text(offsets.standard),
            "summer": utc_offset_text(offsets.summer)}
    return _("%(city)s time, %(offset)s") % {"city": city,
                                             "offset": utc_offset_text(offsets.standard)}


def service_hours_text(hours: ServiceHours, language: str, first: dt.date | None = None,
                       last: dt.date | None = None, calendar: Calendar | None = None) -> str:
    """Service hours in words, with the time zone's offsets from ``first`` to ``last``
    (default: the twelve months from today): "Mon–Fri, 09:00–18:00 (Moscow time, UTC+3)";
    with a calendar, the public holidays the desk is closed on."""
    _ = translations(language).gettext
    zone = zone_text(hours.time_zone, language, first, last)
    if hours.around_the_clock:
        return _("24 hours a day, 7 days a week (%(zone)s)") % {"zone": zone}
    text = _days_and_hours(hours, language, zone)
    if calendar is not None and hours.holidays == "closed":
        country = country_name(calendar.country, language)
        if calendar.subdivision:
            country = f"{country}, {calendar.subdivision}"
        text += "; " + _("closed on public holidays (%(country)s)") % {"country": country}
    return text


def _days_and_hours(hours: ServiceHours, language: str, zone: str) -> str:
    """"Mon–Fri, 09:00–18:00 (Moscow time, UTC+3)"."""
    _ = translations(language).gettext
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
    return _("%(days)s, %(start)s–%(end)s (%(zone)s)") % {
        "days": days,
        "start": format_time(hours.start, "HH:mm", locale=locale),
        "end": format_time(hours.end, "HH:mm", locale=locale),
        "zone": zone}


DEPLOYMENTS = {"on_site": N_("on-site licenses"), "on_demand": N_("on-demand subscription")}

# What kind of charge a line is, in a word or two (an export's "Kind" column); "discount"
# is the offer's own discount, which exports show as a line of its own.
LINE_KINDS = {
    "support": N_("Support"),
    "environment": N_("Extra environments"),
    "addition": N_("Additional licenses"),
    "points": N_("Support points"),
    "uplift": N_("Price escalation"),
    "prepayment_discount": N_("Prepayment discount"),
    "back_support": N_("Back-support"),
    "reinstatement_fee": N_("Reinstatement fee"),
    "discount": N_("Discount"),
}


class _Texts(dict):
    """A catalogue's translations by message, each looked up in the catalogue once (the
    messages are the catalogue's, so there are only so many)."""

    __slots__ = ("gettext",)

    def __init__(self, gettext):
        super().__init__()
        self.gettext = gettext

    def __missing__(self, message: str) -> str:
        text = self[message] = self.gettext(message)
        return text


class Describer:
    """Formats texts for one language."""

    def __init__(self, language: str, currency: str):
        self.language = language
        self.currency = currency
        catalogue = translations(language)
        self.gettext = catalogue.gettext
        self.ngettext = catalogue.ngettext
        self.texts = _Texts(catalogue.gettext)  # texts[message] -> translation
        self.money = money_writer(currency, language)  # money(amount) -> text
        self.whole = _whole_writer(language)  # whole(count) -> text
        self.percent = numbers.percent_writer(locale_of(language))  # percent(19) -> "19 %"
        self._years: dict[int, str] = {}

    def _(self, message: str, **params) -> str:
        text = self.texts[message]
        return text % params if params else text

    def years(self, count: int) -> str:
        text = self._years.get(count)
        if text is None:
            text = self.ngettext("%(num)d year", "%(num)d years", count) % {"num": count}
            if 0 < count <= 100:  # terms are 1 to 10 years: a few texts, each written once
                self._years[count] = text
        return text

    def deployment(self, deployment: str) -> str:
        return self._(DEPLOYMENTS[deployment])

    def line_kind(self, code: str) -> str:
        """The kind of a line's charge in words ("Additional licenses" for ``addition``)."""
        return self._(LINE_KINDS[code])

    # -- descriptions ---------------------------------------------------

    def support(self, package: Package, deployment: str | None, years: int) -> str:
        if deployment is None:  # a card without a license value names no deployment
            return self._("%(package)s support, %(years)s",
                          package=package.name(self.language), years=self.years(years))
        return self.texts[N_("%(package)s support, %(deployment)s, %(years)s")] % {
            "package": package.name(self.language),
            "deployment": self.texts[DEPLOYMENTS[deployment]], "years": self.years(years)}

    def example_price(self) -> str:
        return self._("example price")

    def example_value(self) -> str:
        return self._("example value")

    def environments(self, count: int) -> str:
        return self.ngettext("%(num)d extra environment", "%(num)d extra environments",
                             count) % {"num": count}

    def addition(self, date: dt.date, license_value: Decimal | None = None) -> str:
        """An addition of licenses with their value ("Additional licenses worth €12,000.00
        from 1 March 2027"); without one (offers issued before it was recorded), its date."""
        if license_value is None:
            return self._("Additional licenses from %(date)s", date=day(date, self.language))
        return self.texts[N_("Additional licenses worth %(value)s from %(date)s")] % {
            "value": self.money(license_value), "date": day(date, self.language)}

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

    def discount(self, discount_percent: Decimal) -> str:
        """The offer's discount as a line: "Discount 5 %"."""
        return self._("Discount %(percent)s", percent=percent(discount_percent, self.language))

    def points(self, count: int, card: RateCard) -> str:
        assert card.points is not None
        return self._("%(account)s: %(points)s points", account=card.points.name(self.language),
                      points=number(count, self.language))

    # -- explanations ---------------------------------------------------

    def explain(self, explanation) -> str:  # noqa: C901 - one branch per kind, as documented
        e = explanation
        kind = e.kind
        texts, money = self.texts, self.money
        if kind == "pro_rata":  # the most frequent, first
            return texts[N_("Annual cost %(before)s → %(after)s: difference %(difference)s "
                            "× %(parts)s")] % {
                "before": money(e.before), "after": money(e.after),
                "difference": money(e.difference), "parts": self._periods(e.periods)}
        if kind == "included":
            return texts[N_("Included in the license or subscription price")]
        if kind == "percent_fee":
            text = texts[N_("%(percent)s of %(base)s = %(exact)s")] % {
                "percent": self.percent(e.percent), "base": money(e.base),
                "exact": money(e.exact)}
            if e.minimum_applied:
                text += "; " + texts[N_("minimum %(minimum)s applies")] % {
                    "minimum": money(e.minimum)}
            return text + "; " + texts[N_("%(fee)s a year × %(years)s")] % {
                "fee": money(e.annual_fee), "years": self.years(e.years)}
        if kind == "flat_fee":
            return texts[N_("%(fee)s a year × %(years)s")] % {"fee": money(e.annual_fee),
                                                          "years": self.years(e.years)}
        if kind == "extra_environments":
            text = self.ngettext(
                "%(num)d environment beyond the %(included)d included",
                "%(num)d environments beyond the %(included)d included", e.quantity,
            ) % {"num": e.quantity, "included": e.included}
            unit = money(e.unit_price)
            if e.unit_percent is not None:
                unit = texts[N_("%(price)s (%(percent)s of the annual fee %(fee)s)")] % {
                    "price": unit, "percent": self.percent(e.unit_percent),
                    "fee": money(e.annual_fee)}
            return text + ", " + texts[N_("each %(price)s a year × %(years)s")] % {
                "price": unit, "years": self.years(e.years)}
        if e.kind == "points":
            return self._points(e)
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

    def line_description(self, line, card: RateCard, package: Package, deployment: str,
                         years: int) -> str:
        """The description of a priced line (``line_description``)."""
        code = line.code
        e = line.explanation
        if code == "addition":
            return self.addition(line.date, e.added_license_value)
        if code == "environment":
            if line.date is None:
                return self.environments(e.quantity)
            return self.added_environments(e.quantity, line.date)
        if code == "support":
            return self.support(package, deployment if card.license_value else None, years)
        if code == "uplift":
            return self.uplift(e.year)
        if code == "prepayment_discount":
            return self.prepayment_discount(e.years)
        if code == "back_support":
            return self.back_support(e.periods[0].start, e.periods[-1].end)
        if code == "reinstatement_fee":
            return self.reinstatement_fee()
        return self.points(e.quantity, card)

    def _points(self, e) -> str:
        if e.bands is not None:
            parts = " + ".join(
                self.ngettext("%(num)s point × %(price)s", "%(num)s points × %(price)s",
                              band.quantity) % {"num": number(band.quantity, self.language),
                                                "price": self.money(band.unit_price)}
                for band in e.bands)
            return parts + " " + self._("(graduated: each point at the price of its band)")
        text = self._("%(points)s points × %(price)s (price from %(tier)s points on)",
                      points=number(e.quantity, self.language),
                      price=self.money(e.unit_price), tier=number(e.tier_from, self.language))
        if e.cheaper_quantity is not None:
            text += "; " + self.ngettext(
                "%(num)s point costs %(amount)s, less than these %(these)s",
                "%(num)s points cost %(amount)s, less than these %(these)s",
                e.cheaper_quantity) % {"num": number(e.cheaper_quantity, self.language),
                                       "amount": self.money(e.cheaper_amount),
                                       "these": number(e.quantity, self.language)}
        return text

    def _periods(self, periods) -> str:
        language = self.language
        if len(periods) == 1:
            (p,) = periods
            return _period(p.days, p.year_days, p.year, language)
        return ", ".join([_period(p.days, p.year_days, p.year, language) for p in periods])


@lru_cache(maxsize=4096)
def _period(days: int, year_days: int, year: int, language: str) -> str:
    """"167 of 365 days (contract year 1)": the same few recur, so each is written once."""
    _ = translations(language).gettext
    return _("%(days)s of %(year_days)s days (contract year %(year)s)") % {
        "days": number(days, language), "year_days": number(year_days, language), "year": year}


@lru_cache(maxsize=64)
def describer(language: str, currency: str) -> Describer:
    """The ``Describer`` of a language and currency, made once (it keeps no state)."""
    return Describer(language, currency)


def describe_line(line, card: RateCard, package: Package, deployment: str, years: int,
                  language: str, *, currency: str | None = None) -> tuple[str, str]:
    """(description, explanation) of a priced line in ``language``; amounts in ``currency``
    (the quote's; default: the card's first)."""
    words = describer(language, currency or card.currency)
    return (words.line_description(line, card, package, deployment, years),
            words.explain(line.explanation))


def line_description(line, card: RateCard, package: Package, deployment: str, years: int,
                     language: str, *, currency: str | None = None) -> str:
    """The description of a priced line in ``language`` (``describe_line`` without the
    explanation)."""
    return describer(language, currency or card.currency).line_description(
        line, card, package, deployment, years)
