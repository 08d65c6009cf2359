"""Whatever a careless or hostile client types, the answer is a 4xx naming the field,
never a server error."""

from __future__ import annotations

import pytest

HUGE = "1" * 29
TINY = "0." + "0" * 28 + "1"


@pytest.mark.parametrize("text", [HUGE, TINY])
@pytest.mark.parametrize("field", ["license_value", "discount_percent", "tax_percent",
                                   "additions-0-license_value"])
@pytest.mark.parametrize("path", ["/", "/preview", "/request", "/offers/issue"])
def test_an_amount_no_contract_can_have_is_refused_on_every_form_path(
        sign_in, form_data, path, field, text):
    client = sign_in("sales")
    data = form_data(**{field: text})
    if field.startswith("additions"):
        data["additions-0-date"] = "2026-06-01"
    response = client.post(path, data=data)
    if path == "/preview":  # the live preview answers with the problems to show
        assert response.status_code == 200
        assert any("at most" in message for messages in response.json["problems"].values()
                   for message in messages)
    else:
        assert response.status_code == 422
        assert "at most" in response.get_data(as_text=True)


def test_thousands_of_wrong_fields_get_a_short_answer(client):
    body = {"rate_card": "bpmonline", "package": "business", "deployment": "on_site",
            "license_value": "1000", "term_start": "2026-01-01"}
    body.update({f"x{n}": 0 for n in range(5000)})  # about 40 KB, under the body limit
    response = client.post("/api/v1/quotes/preview", json=body)
    assert response.status_code == 422
    errors = response.json["errors"]
    assert len(errors) == 21
    assert errors[-1] == {"field": "", "message": "4980 further errors are not listed"}
    assert len(response.get_data()) < 4096
