"""A card's service-level terms in words: per priority, the channels, the commitments.

``quote rates show``, the offer page, the PDF and the API's card views all
write the terms through these functions, in the language asked for; figures
the card marks as examples say so.
"""

from __future__ import annotations

from dataclasses import dataclass

from babel import Locale

from ..i18n import translations
from .describe import locale_of
from .rates import Duration, Package, RateCard


def _gettext(language: str):
    return translations(language).gettext


def duration_text(duration: Duration, language: str) -> str:
    """"4 hours", "2 business days", in ``language`` with its plural forms."""
    ngettext = translations(language).ngettext
    n, unit = duration.amount, duration.unit
    # Written out call by call so that the extractor finds every plural form.
    if unit == "seconds":
        text = ngettext("%(num)d second", "%(num)d seconds", n)
    elif unit == "minutes":
        text = ngettext("%(num)d minute", "%(num)d minutes", n)
    elif unit == "hours":
        text = ngettext("%(num)d hour", "%(num)d hours", n)
    elif unit == "days":
        text = ngettext("%(num)d day", "%(num)d days", n)
    else:
        text = ngettext("%(num)d business day", "%(num)d business days", n)
    return text % {"num": n}


def marked(text: str, example: bool, language: str, price: bool = False) -> str:
    """``text`` followed by "(example value)" or "(example price)" where it is one."""
    if not example:
        return text
    _ = _gettext(language)
    mark = _("example price") if price else _("example value")
    return f"{text} ({mark})"


def time_text(duration: Duration, language: str) -> str:
    return marked(duration_text(duration, language), duration.example, language)


@dataclass(frozen=True)
class LevelTerms:
    """What one priority (severity, impact level) gets in one package, in words."""

    id: str
    name: str
    definition: str
    scoped_definitions: list[tuple[str, str]]  # (scope, definition)
    response: str
    resolution: str | None
    update_interval: str | None
    channels: list[str]
    example: bool  # one of its times is an example value


def level_terms(card: RateCard, package: Package, language: str) -> list[LevelTerms]:
    terms = []
    for priority in card.priorities:
        response = package.response_times[priority.id]
        resolution = package.resolution_times.get(priority.id)
        update = package.update_intervals.get(priority.id)
        terms.append(LevelTerms(
            id=priority.id, name=priority.name(language),
            definition=priority.definition(language),
            scoped_definitions=[(d.scope(language), d.definition(language))
                                for d in priority.scoped_definitions],
            response=time_text(response, language),
            resolution=time_text(resolution, language) if resolution else None,
            update_interval=time_text(update, language) if update else None,
            channels=[c.name(language) for c in card.channels_for(package.id, priority.id)],
            example=any(t.example for t in (response, resolution, update) if t is not None),
        ))
    return terms


def channel_texts(card: RateCard, package: Package, language: str) -> list[str]:
    """The channels the package offers: "Phone (…): Severity 1, Severity 2 only; note"."""
    _ = _gettext(language)
    texts = []
    for channel in card.channels_for(package.id):
        text = channel.name(language)
        if channel.priorities is not None:
            names = ", ".join(p.name(language) for p in card.priorities
                              if p.id in channel.priorities)
            text = _("%(channel)s: %(priorities)s only") % {"channel": text,
                                                             "priorities": names}
        if channel.note:
            text += " – " + channel.note(language)
        texts.append(text)
    return texts


def language_name(code: str, language: str) -> str:
    name = locale_of(language).languages.get(code)
    return name or Locale.parse(code).get_display_name(locale_of(language)) or code


def commitment_texts(card: RateCard, language: str) -> list[str]:
    """The card's commitments beyond response times, one sentence each."""
    commitments = card.commitments
    if commitments is None:
        return []
    _ = _gettext(language)
    texts = []
    if commitments.communication_language:
        texts.append(_("All formal communication is in %(language)s.") % {
            "language": language_name(commitments.communication_language, language)})
    if commitments.support_key:
        texts.append(_("Every request quotes the customer's support key, which selects the "
                       "customer's service level in the vendor's ticket system."))
    if commitments.request_fields:
        texts.append(_("A request contains: %(fields)s.") % {
            "fields": "; ".join(f(language) for f in commitments.request_fields)})
    maintenance = commitments.maintenance
    if maintenance is not None:
        texts.append(_("Planned maintenance is announced at least %(notice)s ahead, with the "
                       "planned time and the expected impact.") % {
            "notice": time_text(maintenance.planned_notice, language)})
        if maintenance.emergency_notice is not None:
            texts.append(_("Emergency maintenance is communicated within %(notice)s of the "
                           "scheduled time.") % {
                "notice": time_text(maintenance.emergency_notice, language)})
        if maintenance.announce_start_and_end:
            texts.append(_("The start and the end of maintenance are announced by e-mail, "
                           "with whether it succeeded."))
    outage = commitments.outage
    if outage is not None:
        texts.append(_("An outage is a response slower than %(slower)s for %(lasting)s or "
                       "more on %(services)s.") % {
            "slower": time_text(outage.slower_than, language),
            "lasting": time_text(outage.lasting, language),
            "services": ", ".join(outage.services)})
        if outage.proactive:
            texts.append(_("An outage the vendor detects is reported to the customer "
                           "without being asked, with its impact and the expected time to "
                           "restoration."))
        if outage.update_interval is not None:
            texts.append(_("While an outage lasts, the customer gets an update at least "
                           "every %(interval)s.") % {
                "interval": time_text(outage.update_interval, language)})
    if commitments.capacity_notice is not None:
        texts.append(_("Capacity needs beyond normal growth are agreed at least %(notice)s "
                       "ahead.") % {"notice": time_text(commitments.capacity_notice,
                                                       language)})
    return texts
