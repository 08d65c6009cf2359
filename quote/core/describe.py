"""Lines in words: descriptions and explanations in the quote's language.

Texts come from the ``core`` catalogue; amounts, percentages and dates are
formatted by Babel for the language. The web page and the PDF call
``describe_line`` to show a line in any language, not only the request's.
"""

from __future__ import annotations

import datetime as dt
import re
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


_PLACEHOLDER = re.compile(r"%\((\w+)\)([sd])")


class _Reordered:
    """A translation naming its values in another order than its message does: filled
    from the message's order (see ``positional``)."""

    __slots__ = ("template", "order")

    def __init__(self, template: str, order: tuple[int, ...]):
        self.template = template
        self.order = order

    def __mod__(self, values: tuple) -> str:
        return self.template % tuple([values[index] for index in self.order])


class _Named:
    """A translation ``positional`` leaves as it is: filled by name, as gettext's texts are."""

    __slots__ = ("text", "names")

    def __init__(self, text: str, names: list[str]):
        self.text = text
        self.names = names

    def __mod__(self, values: tuple) -> str:
        return self.text % dict(zip(self.names, values, strict=True))


def positional(message: str | tuple[str, ...], translation: str
               ) -> str | _Reordered | _Named:
    """``translation`` of ``message`` as a template that ``%`` fills from a tuple of values
    in the order in which ``message`` first names them (or the order of the names given
    instead of a message): ``positional("%(fee)s a year × %(years)s", ...) % (fee,
    years)``, the same text as ``translation % {"fee": fee, "years": years}``. Filling a
    tuple costs a fraction of filling a dictionary. A translation that names the values in
    another order (or one twice) is filled through ``_Reordered``; one with a literal "%"
    or another conversion than ``s`` and ``d``, by name."""
    names = list(message) if isinstance(message, tuple) else list(
        dict.fromkeys(name for name, _ in _PLACEHOLDER.findall(message)))
    used = [name for name, _ in _PLACEHOLDER.findall(translation)]
    if translation.count("%") != len(used) or not set(used) <= set(names):
        return _Named(translation, names)
    template = _PLACEHOLDER.sub(r"%\2", translation)
    if used == names:
        return template
    return _Reordered(template, tuple(names.index(name) for name in used))


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


class _Templates(dict):
    """A catalogue's translations by message as ``positional`` templates, each made once."""

    __slots__ = ("texts",)

    def __init__(self, texts: _Texts):
        super().__init__()
        self.texts = texts

    def __missing__(self, message: str) -> str | _Reordered | _Named:
        template = self[message] = positional(message, self.texts[message])
        return template


# The messages of the descriptions and explanations, filled through ``Describer.formats``
# (a tuple of values in the order each message names them).
_SUPPORT = N_("%(package)s support, %(deployment)s, %(years)s")
_ADDITION_WORTH = N_("Additional licenses worth %(value)s from %(date)s")
_PRO_RATA = N_("Annual cost %(before)s → %(after)s: difference %(difference)s × %(parts)s")
_PERCENT_FEE = N_("%(percent)s of %(base)s = %(exact)s")
_MINIMUM = N_("minimum %(minimum)s applies")
_A_YEAR = N_("%(fee)s a year × %(years)s")
_UNIT_PERCENT = N_("%(price)s (%(percent)s of the annual fee %(fee)s)")
_EACH = N_("each %(price)s a year × %(years)s")
_INCLUDED = N_("Included in the license or subscription price")
_PERIOD = N_("%(days)s of %(year_days)s days (contract year %(year)s)")

_CACHED = 4096  # at most so many texts per kind and describer (days, periods, counts)


class Describer:
    """Formats texts for one language."""

    def __init__(self, language: str, currency: str):
        self.language = language
        self.currency = currency
        catalogue = translations(language)
        self.gettext = catalogue.gettext
        self.ngettext = catalogue.ngettext
        self.texts = _Texts(catalogue.gettext)  # texts[message] -> translation
        self.formats = _Templates(self.texts)  # formats[message] % (values, ...) -> text
        self.money = money_writer(currency, language)  # money(amount) -> text
        self.whole = _whole_writer(language)  # whole(count) -> text
        self.percent_writer = numbers.percent_writer(locale_of(language))
        # Texts of values that recur (terms' years, card percentages, dates of a year,
        # parts of contract years), each written once per describer.
        self._years: dict[int, str] = {}
        self._percents: dict[str, str] = {}
        self._days: dict[dt.date, str] = {}
        self._periods_of: dict[tuple[int, int, int], str] = {}
        self._plurals: dict[tuple[str, int], str | _Reordered | _Named] = {}

    def _(self, message: str, **params) -> str:
        text = self.texts[message]
        return text % params if params else text

    def percent(self, value: Decimal) -> str:
        """A percentage given as "19" for 19 % in words ("19 %")."""
        key = str(value)  # the text keys it: 7.5 and 7.50 are equal numbers
        text = self._percents.get(key)
        if text is None:
            text = self.percent_writer(value)
            if len(self._percents) < _CACHED:
                self._percents[key] = text
        return text

    def day(self, value: dt.date) -> str:
        """A date in words ("1. Juli 2026")."""
        text = self._days.get(value)
        if text is None:
            text = day(value, self.language)
            if len(self._days) < _CACHED:
                self._days[value] = text
        return text

    def years(self, count: int) -> str:
        text = self._years.get(count)
        if text is None:
            text = self.ngettext("%(num)d year", "%(num)d years", count) % {"num": count}
            if 0 < count <= 100:  # terms are 1 to 10 years: a few texts, each written once
                self._years[count] = text
        return text

    def _plural(self, kind: str, count: int, translation: str, names: tuple[str, ...]
                ) -> str | _Reordered | _Named:
        """The ``positional`` template of a plural message's form for ``count`` (its
        ``translation``), kept by ``kind`` and count: the counts are small and few."""
        template = positional(names, translation)
        if len(self._plurals) < _CACHED:
            self._plurals[kind, count] = template
        return template

    def deployment(self, deployment: str) -> str:
        return self.texts[DEPLOYMENTS[deployment]]

    def line_kind(self, code: str) -> str:
        """The kind of a line's charge in words ("Additional licenses" for ``addition``)."""
        return self.texts[LINE_KINDS[code]]

    # -- descriptions ---------------------------------------------------

    def support(self, package: Package, deployment: str | None, years: int) -> str:
        if deployment is None:  # a card without a license value names no deployment
            return self._("%(package)s support, %(years)s",
                          package=package.name(self.language), years=self.years(years))
        return self.formats[_SUPPORT] % (package.name(self.language),
                                         self.texts[DEPLOYMENTS[deployment]],
                                         self.years(years))

    def example_price(self) -> str:
        return self.texts["example price"]

    def example_value(self) -> str:
        return self.texts["example value"]

    def environments(self, count: int) -> str:
        template = self._plurals.get(("environments", count))
        if template is None:
            template = self._plural("environments", count, self.ngettext(
                "%(num)d extra environment", "%(num)d extra environments", count), ("num",))
        return template % (count,)

    def addition(self, date: dt.date, license_value: Decimal | None = None) -> str:
        """An addition of licenses with their value ("Additional licenses worth €12,000.00
        from 1 March 2027"); without one (offers issued before it was recorded), its date."""
        if license_value is None:
            return self._("Additional licenses from %(date)s", date=self.day(date))
        return self.formats[_ADDITION_WORTH] % (self.money(license_value),
                                                self.day(date))

    def added_environments(self, count: int, date: dt.date) -> str:
        template = self._plurals.get(("added environments", count))
        if template is None:
            template = self._plural("added environments", count, self.ngettext(
                "%(num)d additional environment from %(date)s",
                "%(num)d additional environments from %(date)s", count), ("num", "date"))
        return template % (count, self.day(date))

    def uplift(self, year: int) -> str:
        return self._("Price escalation, contract year %(year)s", year=year)

    def prepayment_discount(self, years: int) -> str:
        return self._("Discount for paying %(years)s in advance", years=self.years(years))

    def back_support(self, start: dt.date, end: dt.date) -> str:
        return self._("Back-support for the uncovered days %(start)s to %(end)s",
                      start=self.day(start), end=self.day(end))

    def reinstatement_fee(self) -> str:
        return self._("Reinstatement fee")

    def discount(self, discount_percent: Decimal) -> str:
        """The offer's discount as a line: "Discount 5 %"."""
        return self._("Discount %(percent)s", percent=self.percent(discount_percent))

    def points(self, count: int, card: RateCard) -> str:
        assert card.points is not None
        return self._("%(account)s: %(points)s points", account=card.points.name(self.language),
                      points=number(count, self.language))

    # -- explanations ---------------------------------------------------

    def explain(self, explanation) -> str:  # noqa: C901 - one branch per kind, as documented
        e = explanation
        # its fields, read from the model's dictionary (``Explanation`` is a pydantic model,
        # whose ``__getattr__`` keeps Python from speeding up reads by name)
        f = e.__dict__
        kind = f["kind"]
        formats, money = self.formats, self.money
        if kind == "pro_rata":  # the most frequent, first
            return formats[_PRO_RATA] % (money(f["before"]), money(f["after"]),
                                         money(f["difference"]), self._periods(f["periods"]))
        if kind == "included":
            return self.texts[_INCLUDED]
        if kind == "percent_fee":
            percent, years, exact, fee = f["percent"], f["years"], f["exact"], f["annual_fee"]
            exact_text = money(exact)
            text = formats[_PERCENT_FEE] % (self.percent(percent),
                                            money(f["base"]), exact_text)
            if f["minimum_applied"]:
                text += "; " + formats[_MINIMUM] % (money(f["minimum"]),)
            # the fee is the exact share rounded: mostly the same figure, written once
            fee_text = exact_text if fee == exact and fee.is_signed() == exact.is_signed() \
                else money(fee)
            return text + "; " + formats[_A_YEAR] % (
                fee_text, self.years(years))
        if kind == "flat_fee":
            years = f["years"]
            return formats[_A_YEAR] % (money(f["annual_fee"]),
                                       self.years(years))
        if kind == "extra_environments":
            quantity, percent, years = f["quantity"], f["unit_percent"], f["years"]
            template = self._plurals.get(("beyond", quantity))
            if template is None:
                template = self._plural("beyond", quantity, self.ngettext(
                    "%(num)d environment beyond the %(included)d included",
                    "%(num)d environments beyond the %(included)d included", quantity),
                    ("num", "included"))
            text = template % (quantity, f["included"])
            unit = money(f["unit_price"])
            if percent is not None:
                unit = formats[_UNIT_PERCENT] % (
                    unit, self.percent(percent),
                    money(f["annual_fee"]))
            return text + ", " + formats[_EACH] % (
                unit, self.years(years))
        if kind == "points":
            return self._points(e)
        if kind == "uplift":
            return self._("Annual cost %(base)s raised by %(percent)s a year: "
                          "× (1 + %(percent)s)^%(power)s − %(base)s",
                          base=money(e.base), percent=self.percent(e.percent),
                          power=number(e.year - 1, self.language))
        if kind == "prepayment_discount":
            return self._("%(percent)s of %(base)s for paying %(years)s in advance",
                          percent=self.percent(e.percent), base=money(e.base),
                          years=self.years(e.years))
        if kind == "back_support":
            return self._("Annual cost %(cost)s × %(parts)s", cost=money(e.annual_cost),
                          parts=self._periods(e.periods))
        if kind == "reinstatement_fee":
            return self._("%(percent)s of the back-support %(base)s",
                          percent=self.percent(e.percent), base=money(e.base))
        raise AssertionError(kind)

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
        """"167 of 365 days (contract year 1), 366 of 366 days (contract year 2)"."""
        texts = self._periods_of
        parts = []
        for period in periods:
            f = period.__dict__  # its fields (see ``explain``)
            key = (f["days"], f["year_days"], f["year"])
            parts.append(texts.get(key) or self._period(key))
        return parts[0] if len(parts) == 1 else ", ".join(parts)

    def _period(self, key: tuple[int, int, int]) -> str:
        """"167 of 365 days (contract year 1)": the same few recur, so each is written once."""
        days, year_days, year = key
        text = self.formats[_PERIOD] % (self.whole(days), self.whole(year_days), year)
        if len(self._periods_of) < _CACHED:
            self._periods_of[key] = text
        return text


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
