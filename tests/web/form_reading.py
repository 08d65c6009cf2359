"""Reading a page's form back as a browser would send it (inputs, checked boxes, selects),
and a field's label, value and error message as the page shows them."""

from __future__ import annotations

import re
from html.parser import HTMLParser


def text_of(response) -> str:
    return response.get_data(as_text=True)


def error_of(page: str, field_id: str) -> str:
    match = re.search(rf'<p class="error" id="{re.escape(field_id)}-error"[^>]*>([^<]*)</p>', page)
    assert match, f"no error element for {field_id}"
    return match.group(1)


def label_of(page: str, field_id: str) -> str:
    match = re.search(rf'<label for="{re.escape(field_id)}">([^<]*)</label>', page)
    assert match, f"no label for {field_id}"
    return match.group(1)


def value_of(page: str, field_id: str) -> str:
    match = re.search(rf'<input[^>]*id="{re.escape(field_id)}"[^>]*>', page)
    assert match, f"no input {field_id}"
    value = re.search(r'value="([^"]*)"', match.group(0))
    return value.group(1) if value else ""


class _FormFields(HTMLParser):
    def __init__(self, form_id: str):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.select: str | None = None
        self.first_option: str | None = None
        self.fields: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form":
            self.inside = attributes.get("id") == self.form_id
        if not self.inside:
            return
        name = attributes.get("name")
        if tag == "input" and name:
            kind = attributes.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in attributes:
                    self.fields[name] = attributes.get("value", "y")
            elif kind not in ("submit", "button"):
                self.fields[name] = attributes.get("value", "")
        elif tag == "select" and name:
            self.select, self.first_option = name, None
        elif tag == "option" and self.select:
            if self.first_option is None:
                self.first_option = attributes.get("value", "")
            if "selected" in attributes:
                self.fields[self.select] = attributes.get("value", "")

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        if tag == "select" and self.select:
            self.fields.setdefault(self.select, self.first_option or "")
            self.select = None


def form_fields(html: str, form_id: str = "quote-form") -> dict[str, str]:
    parser = _FormFields(form_id)
    parser.feed(html)
    return parser.fields
