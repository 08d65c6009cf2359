"""Input errors of the pricing core: one entry per field, with a reason.

A message's parameters are plain values; a date stays a ``datetime.date`` until
the message is shown, so that whoever shows it writes the date as the rest of
its page does ("1. Januar 2027"). ``message`` (the English text of logs and of
the command line's JSON) writes dates as ISO ``YYYY-MM-DD``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field


def N_(message: str) -> str:  # noqa: N802 - gettext's conventional marker name
    """Mark a message for translation; it is translated where it is shown."""
    return message


@dataclass(frozen=True)
class FieldError:
    """What is wrong with one field. ``field`` is a dotted path: ``additions.0.date``."""

    field: str
    template: str
    params: dict = field(default_factory=dict)

    @property
    def message(self) -> str:
        return self.template % self.shown_params() if self.params else self.template

    def translated(self, gettext, format_date: Callable[[dt.date], str] | None = None) -> str:
        """The message in ``gettext``'s language, its dates written by ``format_date``
        (default: ISO)."""
        text = gettext(self.template)
        return text % self.shown_params(format_date) if self.params else text

    def shown_params(self, format_date: Callable[[dt.date], str] | None = None) -> dict:
        """The parameters as text: dates by ``format_date`` (default: ISO)."""
        write = format_date or dt.date.isoformat
        return {name: write(value) if isinstance(value, dt.date) else value
                for name, value in self.params.items()}

    def as_dict(self) -> dict:
        return {"field": self.field, "message": self.message}


MAX_LISTED_ERRORS = 20


class QuoteInputError(ValueError):
    """The request cannot be priced; ``errors`` says why, field by field.

    At most ``MAX_LISTED_ERRORS`` are listed; a last entry counts the rest, so
    that a body of thousands of wrong fields gets an answer of bounded size.
    """

    def __init__(self, errors: list[FieldError]):
        if len(errors) > MAX_LISTED_ERRORS:
            rest = len(errors) - MAX_LISTED_ERRORS
            errors = [*errors[:MAX_LISTED_ERRORS],
                      FieldError("", N_("%(count)s further errors are not listed"),
                                 {"count": rest})]
        self.errors = errors
        super().__init__("; ".join(f"{e.field}: {e.message}" for e in errors))
