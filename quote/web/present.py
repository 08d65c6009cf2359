"""Rate cards and comparisons as views in one language (for the API and the pages)."""

from __future__ import annotations

import datetime as dt

from ..core.catalog import LoadedCard
from ..core.describe import Describer, country_name, describe_line, percent, service_hours_text
from ..core.pricing import compare_moves, compare_packages
from ..core.rates import (
    Duration,
    FixedEnvironmentPrice,
    FlatPrice,
    IncludedPrice,
    Package,
    RateCard,
    example_figures,
)
from ..core.request import QuoteRequest
from ..core.result import PackageRef, QuoteResult
from ..core.show import price_text
from ..core.terms import channel_texts, commitment_texts, duration_text, marked
from ..core.zones import offsets_between, utc_offset_text
from ..i18n import translations
from .schemas import (
    CalendarView,
    CatalogueItemView,
    CommitmentsView,
    Comparison,
    ComparisonEntry,
    DurationView,
    EnvironmentsView,
    OutageView,
    PackageView,
    PointsTierView,
    PointsView,
    PriceView,
    PriorityView,
    RateCardSummary,
    RateCardView,
    ResponseTimeView,
    ScopedDefinitionView,
    ServiceHoursView,
)


def _web_text(language: str, message: str, **params) -> str:
    text = translations(language, ("web", "core")).gettext(message)
    return text % params if params else text


def N_(message: str) -> str:  # noqa: N802 - gettext's marker
    return message


def price_view(price, words: Describer) -> PriceView:
    """A package's price in the describer's currency, example figures named."""
    text = price_text(price, words)
    currency = words.currency
    if isinstance(price, IncludedPrice):
        return PriceView(kind="included", text=text)
    if isinstance(price, FlatPrice):
        return PriceView(kind="flat", price=price.price.of(currency), text=text,
                         examples=["price"] if price.is_example("price", currency) else [])
    return PriceView(kind="percent", percent=price.percent, minimum=price.minimum.of(currency),
                     text=text, examples=[name for name in ("percent", "minimum")
                                          if price.is_example(name, currency)])


def duration_view(duration: Duration, words: Describer) -> DurationView:
    return DurationView(amount=duration.amount, unit=duration.unit,
                        text=marked(duration_text(duration, words.language), duration.example,
                                    words.language),
                        example=duration.example)


def response_times(card: RateCard, package: Package, words: Describer) -> list[ResponseTimeView]:
    views = []
    for priority in card.priorities:
        resolution = package.resolution_times.get(priority.id)
        update = package.update_intervals.get(priority.id)
        views.append(ResponseTimeView(
            priority=priority.name(words.language),
            response=duration_view(package.response_times[priority.id], words),
            resolution=duration_view(resolution, words) if resolution else None,
            update_interval=duration_view(update, words) if update else None,
            channels=[c.name(words.language) for c in card.channels_for(package.id,
                                                                        priority.id)],
        ))
    return views


def _period(on: dt.date | None) -> tuple[dt.date, dt.date]:
    first = on or dt.date.today()
    return first, first + dt.timedelta(days=364)


def hours_text(card: RateCard, package: Package, language: str, first: dt.date,
               last: dt.date) -> str:
    hours = package.service_hours
    return marked(service_hours_text(hours, language, first, last, card.calendar),
                  hours.example, language)


def package_view(card: RateCard, package: Package, language: str,
                 currency: str | None = None, on: dt.date | None = None) -> PackageView:
    currency = currency or card.currency
    words = Describer(language, currency)
    env = package.environments
    extra = env.extra
    examples = [name for name in ("included", "maximum") if env.is_example(name)]
    included = marked(str(env.included), env.is_example("included"), language)
    if extra is None:
        env_text = _web_text(language, N_("%(included)s included, no further ones"),
                             included=included)
        extra_price = extra_percent = None
    elif isinstance(extra, FixedEnvironmentPrice):
        extra_price, extra_percent = extra.price.of(currency), None
        if extra.is_example("price", currency):
            examples.append("extra_price")
        env_text = _web_text(language, N_("%(included)s included, each further one %(price)s "
                                          "a year (at most %(maximum)s)"),
                             included=included, maximum=env.maximum,
                             price=marked(words.money(extra_price),
                                          extra.is_example("price", currency), language, True))
    else:
        extra_price, extra_percent = None, extra.percent
        if extra.is_example("percent"):
            examples.append("extra_percent")
        env_text = _web_text(language, N_("%(included)s included, each further one %(percent)s "
                                          "of the annual fee a year (at most %(maximum)s)"),
                             included=included, maximum=env.maximum,
                             percent=marked(percent(extra.percent, language),
                                            extra.is_example("percent"), language, True))
    hours = package.service_hours
    first, last = _period(on)
    offsets = offsets_between(hours.time_zone, first, last)
    shown = [offsets.standard] + ([offsets.summer] if offsets.summer is not None else []) + [
        change.after for change in offsets.changes]
    return PackageView(
        id=package.id,
        name=package.name(language),
        summary=package.summary(language) if package.summary else None,
        on_site=price_view(package.on_site, words),
        on_demand=price_view(package.on_demand, words),
        environments=EnvironmentsView(included=env.included, maximum=env.maximum,
                                      extra_price=extra_price, extra_percent=extra_percent,
                                      text=env_text, examples=examples),
        service_hours=ServiceHoursView(
            days=hours.days, start=f"{hours.start:%H:%M}", end=f"{hours.end:%H:%M}",
            time_zone=hours.time_zone,
            utc_offsets=list(dict.fromkeys(utc_offset_text(o) for o in shown)),
            around_the_clock=hours.around_the_clock, holidays=hours.holidays,
            example=hours.example, text=hours_text(card, package, language, first, last),
        ),
        response_times=response_times(card, package, words),
        requests_per_year=package.requests_per_year,
        services=[card.service(s).name(language) for s in package.services
                  if card.service(s) is not None],
        channels=channel_texts(card, package, language),
    )


def _has_example_price(card: RateCard) -> bool:
    return any(".on_site." in path or ".on_demand." in path or ".extra." in path
               or path.startswith("points.tiers.") for path in example_figures(card))


def card_summary(loaded: LoadedCard, language: str) -> RateCardSummary:
    card = loaded.card
    return RateCardSummary(
        id=card.id, version=card.version, effective_from=card.effective_from,
        name=card.name(language), vendor=card.vendor, currency=card.currency,
        currencies=card.currencies, license_value=card.license_value,
        example_prices=_has_example_price(card),
        packages=[PackageRef(id=p.id, name=p.name(language)) for p in card.packages],
    )


def _commitments(card: RateCard, words: Describer) -> CommitmentsView | None:
    commitments = card.commitments
    if commitments is None:
        return None
    language = words.language

    def view(duration: Duration | None) -> DurationView | None:
        return duration_view(duration, words) if duration is not None else None

    maintenance, outage = commitments.maintenance, commitments.outage
    return CommitmentsView(
        communication_language=commitments.communication_language,
        support_key=commitments.support_key,
        request_fields=[f(language) for f in commitments.request_fields],
        planned_maintenance_notice=view(maintenance.planned_notice) if maintenance else None,
        emergency_maintenance_notice=view(maintenance.emergency_notice) if maintenance
        else None,
        outage=OutageView(services=outage.services, slower_than=duration_view(
            outage.slower_than, words), lasting=duration_view(outage.lasting, words),
            update_interval=view(outage.update_interval), proactive=outage.proactive)
        if outage else None,
        capacity_notice=view(commitments.capacity_notice),
        texts=commitment_texts(card, language),
    )


def card_view(loaded: LoadedCard, language: str, currency: str | None = None,
              on: dt.date | None = None) -> RateCardView:
    card = loaded.card
    currency = currency or card.currency
    words = Describer(language, currency)
    points = None
    if card.points:
        points = PointsView(
            name=card.points.name(language), minimum=card.points.minimum,
            maximum=card.points.maximum, tier_pricing=card.points.tier_pricing,
            tiers=[PointsTierView(from_points=t.from_points, price=t.price.of(currency),
                                  example=t.is_example("price", currency))
                   for t in card.points.tiers],
            catalogue=[CatalogueItemView(id=i.id, name=i.name(language), points=i.points,
                                         example=i.is_example("points"))
                       for i in card.points.catalogue],
            examples=[n for n in ("minimum", "maximum", "tier_pricing")
                      if card.points.is_example(n)],
        )
    label = card.priority_label(language) if card.priority_label else _web_text(
        language, N_("Priority"))
    calendar = None
    if card.calendar:
        country = country_name(card.calendar.country, language)
        calendar = CalendarView(
            country=card.calendar.country, subdivision=card.calendar.subdivision,
            text=_web_text(language, N_("Public holidays: %(country)s"), country=country
                           + (f", {card.calendar.subdivision}" if card.calendar.subdivision
                              else "")))
    return RateCardView(
        id=card.id, version=card.version, effective_from=card.effective_from,
        name=card.name(language), vendor=card.vendor, currency=currency,
        currencies=card.currencies, language=language, license_value=card.license_value,
        example_prices=_has_example_price(card), example_figures=example_figures(card),
        minimum_term_years=card.minimum_term_years, maximum_term_years=card.maximum_term_years,
        max_discount_percent=card.max_discount_percent, priority_label=label,
        priorities=[PriorityView(
            id=p.id, name=p.name(language), definition=p.definition(language),
            scoped_definitions=[ScopedDefinitionView(scope=d.scope(language),
                                                     definition=d.definition(language))
                                for d in p.scoped_definitions])
            for p in card.priorities],
        channels=[c.name(language) for c in card.channels],
        packages=[package_view(card, p, language, currency, on) for p in card.packages],
        conditions=[c(language) for c in card.conditions],
        commitments=_commitments(card, words),
        calendar=calendar,
        points=points,
    )


def comparison(request: QuoteRequest, loaded: LoadedCard, as_of: dt.date,
               language: str, tax_basis=None) -> Comparison:
    """Every package priced for the request (taxed as the offer, ``tax_basis``), or for a
    top-up the moves of the whole contract."""
    if request.kind == "top_up":
        return _moves(request, loaded, as_of, language)
    card = loaded.card
    currency = request.currency or card.currency
    words = Describer(language, currency)
    first, last = _term(request)
    entries = []
    for package, result in compare_packages(request, loaded, as_of, tax_basis):
        entries.append(ComparisonEntry(
            package=PackageRef(id=package.id, name=package.name(language)),
            fits=result is not None,
            total=result.total if result is not None else None,
            service_hours=hours_text(card, package, language, first, last),
            response_times=response_times(card, package, words),
            example=result is not None and any(line.example for line in result.lines),
            result=result,
        ))
    return Comparison(currency=currency, language=language, selected=request.package,
                      packages=entries)


def _term(request: QuoteRequest) -> tuple[dt.date, dt.date]:
    from ..core.contract import last_day

    return request.term_start, last_day(request.term_start, request.term_years)


def _moves(request: QuoteRequest, loaded: LoadedCard, as_of: dt.date,
           language: str) -> Comparison:
    """A top-up compares packages as moves of the whole contract, never as top-up totals."""
    card = loaded.card
    currency = request.currency or card.currency
    words = Describer(language, currency)
    first, last = _term(request)
    entries = []
    start = None
    for package, move in compare_moves(request, loaded, as_of):
        if move is not None and move.periods:
            start = move.periods[0].start
        entries.append(ComparisonEntry(
            package=PackageRef(id=package.id, name=package.name(language)),
            fits=move is not None,
            annual_cost=move.annual_cost if move is not None else None,
            move=move.amount if move is not None else None,
            service_hours=hours_text(card, package, language, first, last),
            response_times=response_times(card, package, words),
        ))
    return Comparison(currency=currency, language=language, selected=request.package,
                      basis="moves", moved_from=start, packages=entries)


def lines_in(result: QuoteResult, loaded: LoadedCard, request: QuoteRequest,
             language: str) -> list[tuple[str, str, object]]:
    """(description, detail, line) of every line of ``result``, in ``language``."""
    card = loaded.card
    package = card.package(result.package.id)
    shown = []
    for line in result.lines:
        description, detail = describe_line(line, card, package, result.deployment,
                                            result.term.years, language,
                                            currency=result.currency)
        shown.append((description, detail, line))
    return shown
