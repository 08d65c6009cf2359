"""A rate card as plain text, for ``quote rates show``."""

from __future__ import annotations

from .describe import Describer, percent
from .rates import FixedEnvironmentPrice, FlatPrice, IncludedPrice, RateCard


def price_text(price, words: Describer) -> str:
    if isinstance(price, IncludedPrice):
        return words._("included")
    if isinstance(price, FlatPrice):
        return words._("%(fee)s a year", fee=words.money(price.price))
    text = percent(price.percent, words.language)
    if price.minimum:
        text += ", " + words._("at least %(minimum)s", minimum=words.money(price.minimum))
    return text


def duration_text(duration, words: Describer) -> str:
    n, unit, ngettext = duration.amount, duration.unit, words.ngettext
    # Written out call by call so that the extractor finds every plural form.
    if unit == "minutes":
        text = ngettext("%(num)d minute", "%(num)d minutes", n)
    elif unit == "hours":
        text = ngettext("%(num)d hour", "%(num)d hours", n)
    elif unit == "days":
        text = ngettext("%(num)d day", "%(num)d days", n)
    else:
        text = ngettext("%(num)d business day", "%(num)d business days", n)
    return text % {"num": n}


def card_as_text(card: RateCard, language: str) -> str:
    words = Describer(language, card.currency)
    out = [f"{card.name(language)} — {card.vendor}",
           f"{card.id} {card.version}, {card.currency}, from {card.effective_from}"
           + (" (example prices)" if card.example_prices else "")]
    for package in card.packages:
        out.append("")
        out.append(f"[{package.id}] {package.name(language)}")
        out.append(f"  on-site:   {price_text(package.on_site, words)}")
        out.append(f"  on-demand: {price_text(package.on_demand, words)}")
        env = package.environments
        extra = env.extra
        if extra is None:
            extra_text = "-"
        elif isinstance(extra, FixedEnvironmentPrice):
            extra_text = words.money(extra.price)
        else:
            extra_text = percent(extra.percent, language)
        out.append(f"  environments: {env.included} included, each further {extra_text}/year"
                   f" (max {env.maximum})")
        hours = package.service_hours
        span = "24x7" if hours.around_the_clock else (
            f"{','.join(hours.days)} {hours.start:%H:%M}-{hours.end:%H:%M}")
        out.append(f"  service hours: {span} {hours.time_zone} ({hours.utc_offset})")
        for priority in card.priorities:
            response = duration_text(package.response_times[priority.id], words)
            resolution = package.resolution_times.get(priority.id)
            line = f"  {priority.name(language)}: response {response}"
            if resolution:
                line += f", resolution {duration_text(resolution, words)}"
            out.append(line)
        if package.requests_per_year:
            out.append(f"  requests per year: {package.requests_per_year}")
    if card.points:
        out.append("")
        out.append(card.points.name(language))
        for tier in card.points.tiers:
            out.append(f"  from {tier.from_points} points: {words.money(tier.price)} per point")
    return "\n".join(out)
