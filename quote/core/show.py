"""A rate card as plain text in one language, for ``quote rates show``."""

from __future__ import annotations

import datetime as dt

from ..i18n import translations
from .describe import Describer, country_name, day, number, percent, service_hours_text
from .rates import (
    FixedEnvironmentPrice,
    FlatPrice,
    IncludedPrice,
    RateCard,
    example_figures,
)
from .terms import channel_texts, commitment_texts, level_terms, marked
from .terms import duration_text as _duration_text


def amounts_text(amounts, figures, name: str, card: RateCard, words: Describer) -> str:
    """An amount in each of the card's currencies, example ones marked."""
    texts = []
    for currency in card.currencies:
        text = Describer(words.language, currency).money(amounts.of(currency))
        texts.append(marked(text, figures.is_example(name, currency), words.language,
                            price=True))
    return ", ".join(texts)


def price_text(price, words: Describer, card: RateCard | None = None) -> str:
    """A package's price in words: in the describer's currency, or with ``card`` in each
    of the card's currencies."""
    language = words.language
    if isinstance(price, IncludedPrice):
        return words._("included")
    if isinstance(price, FlatPrice):
        amount = (amounts_text(price.price, price, "price", card, words) if card
                  else marked(words.money(price.price.of(words.currency)),
                              price.is_example("price", words.currency), language, True))
        return words._("%(fee)s a year", fee=amount)
    text = marked(percent(price.percent, language), price.is_example("percent"), language,
                  price=True)
    if any(price.minimum.root.values()):
        minimum = (amounts_text(price.minimum, price, "minimum", card, words) if card
                   else marked(words.money(price.minimum.of(words.currency)),
                               price.is_example("minimum", words.currency), language, True))
        text += ", " + words._("at least %(minimum)s", minimum=minimum)
    return text


def duration_text(duration, words: Describer) -> str:
    return _duration_text(duration, words.language)


def card_as_text(card: RateCard, language: str, on: dt.date | None = None) -> str:
    """The card in words: its packages, prices, service levels and commitments."""
    on = on or dt.date.today()
    last = on + dt.timedelta(days=364)
    words = Describer(language, card.currency)
    _ = translations(language).gettext
    out = [f"{card.name(language)} — {card.vendor}",
           _("%(id)s, version %(version)s, in force from %(date)s") % {
               "id": card.id, "version": card.version, "date": day(card.effective_from,
                                                                   language)},
           _("Currencies: %(currencies)s") % {"currencies": ", ".join(card.currencies)}]
    if card.calendar:
        country = country_name(card.calendar.country, language)
        if card.calendar.subdivision:
            country = f"{country}, {card.calendar.subdivision}"
        out.append(_("Business days: Monday to Friday, except public holidays (%(country)s)")
                   % {"country": country})
    if not card.license_value:
        out.append(_("Prices do not depend on a license value."))
    out.append(marked(_("Discount up to %(percent)s") % {
        "percent": percent(card.max_discount_percent, language)},
        card.is_example("max_discount_percent"), language))
    for package in card.packages:
        out.append("")
        out.append(f"[{package.id}] {package.name(language)}")
        if card.license_value:
            out.append("  " + _("On-site licenses: %(price)s") % {
                "price": price_text(package.on_site, words, card)})
            out.append("  " + _("On-demand subscription: %(price)s") % {
                "price": price_text(package.on_demand, words, card)})
        else:
            out.append("  " + _("Price: %(price)s") % {
                "price": price_text(package.on_site, words, card)})
        out.append("  " + _("Environments: %(text)s") % {
            "text": environments_text(package, card, words)})
        hours = package.service_hours
        out.append("  " + _("Service hours: %(hours)s") % {"hours": marked(
            service_hours_text(hours, language, on, last, card.calendar), hours.example,
            language)})
        if package.requests_per_year:
            out.append("  " + _("Requests per year: %(count)s") % {
                "count": number(package.requests_per_year, language)})
        for terms in level_terms(card, package, language):
            times = [_("response %(time)s") % {"time": terms.response}]
            if terms.resolution:
                times.append(_("resolution %(time)s") % {"time": terms.resolution})
            if terms.update_interval:
                times.append(_("updates at least every %(time)s") % {
                    "time": terms.update_interval})
            out.append(f"  {terms.name}: {', '.join(times)}")
        channels = channel_texts(card, package, language)
        if channels:
            out.append("  " + _("Channels:"))
            out.extend(f"    - {text}" for text in channels)
    out.append("")
    label = card.priority_label(language) if card.priority_label else _("Priority")
    out.append(label + ":")
    for priority in card.priorities:
        out.append(f"  {priority.name(language)}: {priority.definition(language)}")
        for scoped in priority.scoped_definitions:
            out.append(f"    {scoped.scope(language)}: {scoped.definition(language)}")
    commitments = commitment_texts(card, language)
    if commitments:
        out.append("")
        out.append(_("Commitments:"))
        out.extend(f"  - {text}" for text in commitments)
    if card.points:
        points = card.points
        out.append("")
        out.append(points.name(language) + " (" + marked(
            _("graduated: each point at the price of its band")
            if points.tier_pricing == "graduated"
            else _("volume: every point at the price of the quantity's tier"),
            points.is_example("tier_pricing"), language) + ")")
        for tier in points.tiers:
            out.append("  " + _("from %(points)s points: %(price)s per point") % {
                "points": number(tier.from_points, language),
                "price": amounts_text(tier.price, tier, "price", card, words)})
        for item in points.catalogue:
            out.append(f"  {item.name(language)}: " + marked(
                _("%(points)s points") % {"points": number(item.points, language)},
                item.is_example("points"), language))
    examples = example_figures(card)
    if examples:
        out.append("")
        out.append(_("Example values (not the vendor's): %(count)s figures, marked as such")
                   % {"count": number(len(examples), language)})
    return "\n".join(out)


def environments_text(package, card: RateCard, words: Describer) -> str:
    language = words.language
    _ = translations(language).gettext
    env = package.environments
    included = marked(number(env.included, language), env.is_example("included"), language)
    extra = env.extra
    if extra is None:
        return _("%(included)s included, no further ones") % {"included": included}
    if isinstance(extra, FixedEnvironmentPrice):
        price = amounts_text(extra.price, extra, "price", card, words)
    else:
        price = _("%(percent)s of the annual fee") % {"percent": marked(
            percent(extra.percent, language), extra.is_example("percent"), language, True)}
    return _("%(included)s included, each further one %(price)s a year (at most "
             "%(maximum)s)") % {"included": included, "price": price,
                                "maximum": number(env.maximum, language)}
