// The contract entry form: the choices of the chosen rate card, and the new customer's
// fields only while no customer is chosen. The form works without this file.
(function () {
  "use strict";
  var form = document.getElementById("contract-form");
  if (!form) { return; }
  var cards = JSON.parse(document.getElementById("contract-cards-data").textContent);
  var card = document.getElementById("rate_card");
  var customer = document.getElementById("customer");
  var newCustomer = form.querySelector("[data-new-customer]");

  function setOptions(select, options) {
    var keep = select.value;
    while (select.firstChild) { select.removeChild(select.firstChild); }
    options.forEach(function (pair) {
      var option = document.createElement("option");
      option.value = pair[0];
      option.textContent = pair[1];
      select.appendChild(option);
    });
    if (options.some(function (pair) { return pair[0] === keep; })) { select.value = keep; }
  }

  function cardChanged() {
    var chosen = cards[card.value];
    if (!chosen) { return; }
    setOptions(document.getElementById("card_version"), chosen.versions);
    setOptions(document.getElementById("package"), chosen.packages);
    setOptions(document.getElementById("currency"), chosen.currencies);
  }

  function customerChanged() { newCustomer.hidden = customer.value !== ""; }

  card.addEventListener("change", cardChanged);
  customer.addEventListener("change", customerChanged);
  customerChanged();
})();
