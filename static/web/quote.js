// Live preview and addition rows for the quote form. The form works without this file.
(function () {
  "use strict";
  var form = document.getElementById("quote-form");
  if (!form) { return; }
  var result = document.getElementById("result");
  var rows = document.getElementById("addition-rows");
  var addButton = document.getElementById("add-row");
  var cards = JSON.parse(document.getElementById("cards-data").textContent);
  var cardSelect = document.getElementById("rate_card");
  var packageSelect = document.getElementById("package");
  var currencySelect = document.getElementById("currency");
  var pointsField = form.querySelector("[data-points-field]");
  var timer = null;
  var sequence = 0;

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
    var card = cards[cardSelect.value];
    if (!card) { return; }
    setOptions(packageSelect, card.packages);
    setOptions(currencySelect, card.currencies.map(function (code) { return [code, code]; }));
    pointsField.hidden = !card.points;
    if (!card.points) { pointsField.querySelector("input").value = ""; }
    showLicenseFields(card);
  }

  // A card whose prices depend on no license value asks for none.
  function showLicenseFields(card) {
    form.querySelectorAll("[data-license-field]").forEach(function (box) {
      box.hidden = !card.license_value;
    });
  }

  function rowIndex(row) {
    var input = row.querySelector("input");
    var match = /^additions-(\d+)-/.exec(input.id);
    return match ? parseInt(match[1], 10) : 0;
  }

  function renumber() {
    var all = rows.querySelectorAll("[data-row]");
    all.forEach(function (row, position) {
      var legend = row.querySelector("legend");
      legend.textContent = legend.textContent.replace(/\d+\s*$/, String(position + 1));
      var remove = row.querySelector("[data-remove-row]");
      remove.hidden = all.length < 2;
      remove.setAttribute("aria-label",
                          remove.getAttribute("aria-label").replace(/\d+/, String(position + 1)));
    });
  }

  function addRow() {
    var all = rows.querySelectorAll("[data-row]");
    var last = all[all.length - 1];
    var next = 0;
    all.forEach(function (row) { next = Math.max(next, rowIndex(row) + 1); });
    var copy = last.cloneNode(true);
    copy.querySelectorAll("[id], [name], [for], [aria-describedby], [data-field]").forEach(function (el) {
      ["id", "name", "for", "aria-describedby", "data-field"].forEach(function (attr) {
        var value = el.getAttribute(attr);
        if (value) { el.setAttribute(attr, value.replace(/additions-\d+-/g, "additions-" + next + "-")); }
      });
    });
    copy.querySelectorAll("input").forEach(function (input) {
      input.value = "";
      input.setAttribute("aria-invalid", "false");
    });
    copy.querySelectorAll(".error").forEach(function (p) { p.textContent = ""; p.hidden = true; });
    copy.querySelectorAll(".has-error").forEach(function (el) { el.classList.remove("has-error"); });
    rows.appendChild(copy);
    renumber();
    copy.querySelector("input").focus();
  }

  function showProblems(problems, general) {
    form.querySelectorAll("[data-field]").forEach(function (box) {
      var id = box.getAttribute("data-field");
      var messages = problems[id] || [];
      var error = document.getElementById(id + "-error");
      var input = document.getElementById(id);
      box.classList.toggle("has-error", messages.length > 0);
      if (error) { error.textContent = messages.join(" "); error.hidden = messages.length === 0; }
      if (input) { input.setAttribute("aria-invalid", messages.length ? "true" : "false"); }
    });
    var additions = document.getElementById("additions-error");
    var listProblems = problems.additions || [];
    additions.textContent = listProblems.join(" ");
    additions.hidden = listProblems.length === 0;
    var box = document.getElementById("general-problems");
    while (box.firstChild) { box.removeChild(box.firstChild); }
    general.forEach(function (message) {
      var p = document.createElement("p");
      p.textContent = message;
      box.appendChild(p);
    });
    box.hidden = general.length === 0;
  }

  function preview() {
    var mine = ++sequence;
    var body = new FormData(form);
    result.setAttribute("aria-busy", "true");
    fetch(form.getAttribute("data-preview-url"), {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "Accept": "application/json" }
    }).then(function (response) {
      if (!response.ok) { throw new Error(response.status); }
      return response.json();
    }).then(function (data) {
      if (mine !== sequence) { return; }
      showProblems(data.problems, data.general);
      if (data.html) {
        result.innerHTML = data.html;
        result.classList.remove("stale");
      } else {
        result.classList.add("stale");
      }
      showSummary();
    }).catch(function () {
      if (mine === sequence) { result.classList.add("stale"); showSummary(); }
    }).finally(function () {
      if (mine === sequence) { result.removeAttribute("aria-busy"); }
    });
  }

  // The bar that keeps the total in sight on narrow screens follows the result's total.
  var summary = document.getElementById("summary-bar");
  function showSummary() {
    var total = result.querySelector("#total");
    summary.hidden = !total;
    if (!total) { return; }
    document.getElementById("summary-amount").textContent = total.textContent;
    document.getElementById("summary-label").textContent =
      total.closest("tr").querySelector("th").textContent;
    summary.classList.toggle("stale", result.classList.contains("stale"));
  }

  // The additions' date pickers offer the days of the term only (the server checks again).
  var termStart = document.getElementById("term_start");
  var termYears = document.getElementById("term_years");
  function lastDay(start, years) {
    var month = start.getUTCMonth();
    var anniversary = new Date(Date.UTC(start.getUTCFullYear() + years, month, start.getUTCDate()));
    if (anniversary.getUTCMonth() !== month) {  // 29 February in a common year: 28 February
      anniversary = new Date(Date.UTC(start.getUTCFullYear() + years, month, 28));
    }
    anniversary.setUTCDate(anniversary.getUTCDate() - 1);
    return anniversary;
  }
  function limitDates() {
    var start = /^\d{4}-\d{2}-\d{2}$/.test(termStart.value) ? new Date(termStart.value + "T00:00:00Z") : null;
    var years = /^\d{1,3}$/.test(termYears.value.trim()) ? parseInt(termYears.value, 10) : 0;
    var valid = start && !isNaN(start.getTime()) && years >= 1 && years <= 100;
    rows.querySelectorAll("input[type=date]").forEach(function (input) {
      if (valid) {
        input.min = termStart.value;
        input.max = lastDay(start, years).toISOString().slice(0, 10);
      } else {
        input.removeAttribute("min");
        input.removeAttribute("max");
      }
    });
  }
  termStart.addEventListener("input", limitDates);
  termYears.addEventListener("input", limitDates);

  function schedule() {
    window.clearTimeout(timer);
    timer = window.setTimeout(preview, 350);
  }

  // Parts of the form that only one kind of offer uses show with that kind.
  var kindSelect = document.getElementById("kind");
  var separate = form.querySelector("[data-field='separate_term']");
  function kindChanged() {
    var kind = kindSelect ? kindSelect.value : "new";
    form.querySelectorAll("[data-kind]").forEach(function (part) {
      part.hidden = part.getAttribute("data-kind") !== kind;
    });
    if (separate) { separate.hidden = kind !== "top_up"; }
  }
  if (kindSelect) { kindSelect.addEventListener("change", kindChanged); }
  kindChanged();

  cardSelect.addEventListener("change", cardChanged);
  form.addEventListener("input", schedule);
  form.addEventListener("change", schedule);
  addButton.hidden = false;
  addButton.addEventListener("click", function () { addRow(); schedule(); });
  rows.addEventListener("click", function (event) {
    var button = event.target.closest("[data-remove-row]");
    if (!button) { return; }
    var all = rows.querySelectorAll("[data-row]");
    if (all.length < 2) { return; }
    button.closest("[data-row]").remove();
    renumber();
    addButton.focus();
    schedule();
  });
  // Without JavaScript the page offers a few blank rows; with it, rows come on
  // demand: keep the first row and every row that holds something.
  rows.querySelectorAll("[data-row]").forEach(function (row, position) {
    var blank = Array.prototype.every.call(row.querySelectorAll("input"), function (input) {
      return !input.value;
    });
    if (position > 0 && blank) { row.remove(); }
  });
  renumber();

  // Switching the language keeps everything typed: the form is sent along.
  document.querySelectorAll("nav.languages a[data-lang]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      var flag = document.createElement("input");
      flag.type = "hidden";
      flag.name = "switch";
      flag.value = "1";
      form.appendChild(flag);
      form.setAttribute("action", link.href);
      form.submit();
    });
  });

  var card = cards[cardSelect.value];
  if (card) { pointsField.hidden = !card.points; showLicenseFields(card); }
  if (form.querySelector("#license_value").value || (card && !card.license_value)) {
    schedule();
  }
})();
