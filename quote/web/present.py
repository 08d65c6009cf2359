"""Rate cards and comparisons as views in one language (for the API and the pages)."""

from __future__ import annotations

import datetime as dt

from ..core.catalog import LoadedCard
from ..core.describe import Describer, describe_line, percent, service_hours_text
from ..core.pricing import compare_moves, compare_packages
from ..core.rates import (
    FixedEnvironmentPrice,
    FlatPrice,
    IncludedPrice,
    Package,
    RateCard,
)
from ..core.request import QuoteRequest
from ..core.result import PackageRef, QuoteResult
from ..core.show import duration_text, price_text
from ..i18n import translations
from .schemas import (
    CatalogueItemView,
    Comparison,
    ComparisonEntry,
    DurationView,
    EnvironmentsView,
    PackageView,
    PointsTierView,
    PointsView,
    PriceView,
    PriorityView,
    RateCardSummary,
    RateCardView,
    ResponseTimeView,
    ServiceHoursView,
)


def _web_text(language: str, message: str, **params) -> str:
    text = translations(language, ("web", "core")).gettext(message)
    return text % params if params else text


def N_(message: str) -> str:  # noqa: N802 - gettext's marker
    return message


def price_view(price, words: Describer) -> PriceView:
    text = price_text(price, words)
    if isinstance(price, IncludedPrice):
        return PriceView(kind="included", text=text)
    if isinstance(price, FlatPrice):
        return PriceView(kind="flat", price=price.price, text=text)
    return PriceView(kind="percent", percent=price.percent, minimum=price.minimum, text=text)


def duration_view(duration, words: Describer) -> DurationView:
    return DurationView(amount=duration.amount, unit=duration.unit,
                        text=duration_text(duration, words))


def response_times(card: RateCard, package: Package, words: Describer) -> list[ResponseTimeView]:
    views = []
    for priority in card.priorities:
        resolution = package.resolution_times.get(priority.id)
        views.append(ResponseTimeView(
            priority=priority.name(words.language),
            response=duration_view(package.response_times[priority.id], words),
            resolution=duration_view(resolution, words) if resolution else None,
        ))
    return views


def package_view(card: RateCard, package: Package, language: str) -> PackageView:
    words = Describer(language, card.currency)
    env = package.environments
    extra = env.extra
    if extra is None:
        env_text = _web_text(language, N_("%(included)s included, no further ones"),
                             included=env.included)
        extra_price = extra_percent = None
    elif isinstance(extra, FixedEnvironmentPrice):
        env_text = _web_text(language, N_("%(included)s included, each further one %(price)s "
                                          "a year (at most %(maximum)s)"),
                             included=env.included, price=words.money(extra.price),
                             maximum=env.maximum)
        extra_price, extra_percent = extra.price, None
    else:
        env_text = _web_text(language, N_("%(included)s included, each further one %(percent)s "
                                          "of the annual fee a year (at most %(maximum)s)"),
                             included=env.included, percent=percent(extra.percent, language),
                             maximum=env.maximum)
        extra_price, extra_percent = None, extra.percent
    hours = package.service_hours
    return PackageView(
        id=package.id,
        name=package.name(language),
        summary=package.summary(language) if package.summary else None,
        on_site=price_view(package.on_site, words),
        on_demand=price_view(package.on_demand, words),
        environments=EnvironmentsView(included=env.included, maximum=env.maximum,
                                      extra_price=extra_price, extra_percent=extra_percent,
                                      text=env_text),
        service_hours=ServiceHoursView(
            days=hours.days, start=f"{hours.start:%H:%M}", end=f"{hours.end:%H:%M}",
            time_zone=hours.time_zone, utc_offset=hours.utc_offset,
            around_the_clock=hours.around_the_clock,
            text=service_hours_text(hours, language),
        ),
        response_times=response_times(card, package, words),
        requests_per_year=package.requests_per_year,
        services=[card.service(s).name(language) for s in package.services
                  if card.service(s) is not None],
    )


def card_summary(loaded: LoadedCard, language: str) -> RateCardSummary:
    card = loaded.card
    return RateCardSummary(
        id=card.id, version=card.version, effective_from=card.effective_from,
        name=card.name(language), vendor=card.vendor, currency=card.currency,
        example_prices=card.example_prices,
        packages=[PackageRef(id=p.id, name=p.name(language)) for p in card.packages],
    )


def card_view(loaded: LoadedCard, language: str) -> RateCardView:
    card = loaded.card
    points = None
    if card.points:
        points = PointsView(
            name=card.points.name(language), minimum=card.points.minimum,
            maximum=card.points.maximum,
            tiers=[PointsTierView(from_points=t.from_points, price=t.price)
                   for t in card.points.tiers],
            catalogue=[CatalogueItemView(id=i.id, name=i.name(language), points=i.points)
                       for i in card.points.catalogue],
        )
    label = card.priority_label(language) if card.priority_label else _web_text(
        language, N_("Priority"))
    return RateCardView(
        id=card.id, version=card.version, effective_from=card.effective_from,
        name=card.name(language), vendor=card.vendor, currency=card.currency,
        language=language, example_prices=card.example_prices,
        minimum_term_years=card.minimum_term_years, maximum_term_years=card.maximum_term_years,
        max_discount_percent=card.max_discount_percent, priority_label=label,
        priorities=[PriorityView(id=p.id, name=p.name(language),
                                 definition=p.definition(language)) for p in card.priorities],
        packages=[package_view(card, p, language) for p in card.packages],
        conditions=[c(language) for c in card.conditions],
        points=points,
    )


def comparison(request: QuoteRequest, loaded: LoadedCard, as_of: dt.date,
               language: str) -> Comparison:
    if request.kind == "top_up":
        return _moves(request, loaded, as_of, language)
    card = loaded.card
    words = Describer(language, card.currency)
    entries = []
    for package, result in compare_packages(request, loaded, as_of):
        entries.append(ComparisonEntry(
            package=PackageRef(id=package.id, name=package.name(language)),
            fits=result is not None,
            total=result.total if result is not None else None,
            service_hours=service_hours_text(package.service_hours, language),
            response_times=response_times(card, package, words),
            result=result,
        ))
    return Comparison(currency=card.currency, language=language, selected=request.package,
                      packages=entries)


def _moves(request: QuoteRequest, loaded: LoadedCard, as_of: dt.date,
           language: str) -> Comparison:
    """A top-up compares packages as moves of the whole contract, never as top-up totals."""
    card = loaded.card
    words = Describer(language, card.currency)
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
            service_hours=service_hours_text(package.service_hours, language),
            response_times=response_times(card, package, words),
        ))
    return Comparison(currency=card.currency, language=language, selected=request.package,
                      basis="moves", moved_from=start, packages=entries)


def lines_in(result: QuoteResult, loaded: LoadedCard, request: QuoteRequest,
             language: str) -> list[tuple[str, str, object]]:
    """(description, detail, line) of every line of ``result``, in ``language``."""
    card = loaded.card
    package = card.package(result.package.id)
    shown = []
    for line in result.lines:
        description, detail = describe_line(line, card, package, result.deployment,
                                            result.term.years, language)
        shown.append((description, detail, line))
    return shown
