// Live preview and addition rows for the quote form. The form works without this file.
(function () {
  "use strict";
  var form = document.getElementById("quote-form");
  if (!form) { return; }
  var result = document.getElementById("result");
  var resultBody = document.getElementById("result-body");
  var staleNote = document.getElementById("stale-note");
  var status = document.getElementById("form-status");
  var summary = document.getElementById("error-summary");
  var announced = "";
  // The fields the user has been at: only their problems are shown while typing (and
  // those the server found when the form was sent).
  var touched = {};
  form.querySelectorAll("[aria-invalid=true]").forEach(function (input) {
    touched[input.id] = true;
  });
  var rows = document.getElementById("addition-rows");
  var addButton = document.getElementById("add-row");
  var cards = JSON.parse(document.getElementById("cards-data").textContent);
  var cardSelect = document.getElementById("rate_card");
  var packageSelect = document.getElementById("package");
  var currencySelect = document.getElementById("currency");
  var pointsField = form.querySelector("[data-points-field]");
  var timer = null;
  var sequence = 0;
  var inFlight = null;

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

  // One polite status region speaks for the form, and says a thing once.
  function announce(text) {
    if (text === announced) { return; }
    announced = text;
    status.textContent = text;
  }

  // While the entries are wrong, the figures shown are those of the previous input:
  // the page says so in words, not only by dimming them.
  function markStale(stale) {
    var figures = stale && resultBody.querySelector("#total") !== null;
    result.classList.toggle("stale", figures);
    staleNote.hidden = !figures;
    return figures;
  }

  // ``typing``: the id of the field the user paused in, still focused. What more
  // typing could still make right there ("12.", "12 0") is not an error yet.
  function preview(typing) {
    var mine = ++sequence;
    var body = new FormData(form);
    body.append("touched", Object.keys(touched).join(" "));
    result.setAttribute("aria-busy", "true");
    inFlight = window.AbortController ? new AbortController() : null;
    fetch(form.getAttribute("data-preview-url"), {
      method: "POST", body: body, credentials: "same-origin",
      signal: inFlight ? inFlight.signal : undefined,
      headers: { "Accept": "application/json" }
    }).then(function (response) {
      if (!response.ok) { throw new Error(response.status); }
      return response.json();
    }).then(function (data) {
      if (mine !== sequence) { return; }
      if (typing && document.activeElement && document.activeElement.id === typing &&
          data.unfinished.indexOf(typing) >= 0) { return; }
      showProblems(data.problems, data.general);
      if (data.html) {
        resultBody.innerHTML = data.html;
        markStale(false);
        // a new price is said when the user leaves the field, not at every pause
        if (!typing) { announce(data.status); }
      } else {
        announce(data.status + (markStale(true) ? " " + staleNote.textContent : ""));
      }
      showSummary();
    }).catch(function () {
      if (mine === sequence) { markStale(true); showSummary(); }
    }).finally(function () {
      if (mine === sequence) { result.removeAttribute("aria-busy"); }
    });
  }

  // The bar that keeps the total in sight on narrow screens follows the result's total.
  var totalBar = document.getElementById("summary-bar");
  function showSummary() {
    var total = resultBody.querySelector("#total");
    totalBar.hidden = !total;
    if (!total) { return; }
    document.getElementById("summary-amount").textContent = total.textContent;
    document.getElementById("summary-label").textContent =
      total.closest("tr").querySelector("th").textContent;
    totalBar.classList.toggle("stale", result.classList.contains("stale"));
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

  // Validate when the user pauses or leaves a field, not on every keystroke.
  function schedule(event) {
    window.clearTimeout(timer);
    if (event && event.target && event.target.id) { touched[event.target.id] = true; }
    if (summary) { summary.hidden = true; }  // the summary was of the form as sent
    var leaving = !event || event.type !== "input";
    var typing = leaving ? null : event.target.id;
    timer = window.setTimeout(function () { preview(typing); }, leaving ? 50 : 800);
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

  // Sending the form (a language button, say) ends any preview under way: its answer
  // would come too late for this page, and its session cookie after the new one.
  form.addEventListener("submit", function () {
    window.clearTimeout(timer);
    sequence++;
    if (inFlight) { inFlight.abort(); }
  });
  cardSelect.addEventListener("change", cardChanged);
  form.addEventListener("input", schedule);
  form.addEventListener("change", schedule);
  addButton.hidden = false;
  addButton.addEventListener("click", function () { addRow(); schedule(null); });
  rows.addEventListener("click", function (event) {
    var button = event.target.closest("[data-remove-row]");
    if (!button) { return; }
    var all = rows.querySelectorAll("[data-row]");
    if (all.length < 2) { return; }
    button.closest("[data-row]").remove();
    renumber();
    addButton.focus();
    schedule(null);
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

  // The summary of a form sent with errors links to the fields: following a link
  // puts the cursor into the field.
  if (summary) {
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("[data-field-link]");
      var target = link && document.getElementById(link.getAttribute("data-field-link"));
      if (!target) { return; }
      event.preventDefault();
      target.focus();
    });
    if (document.activeElement !== summary) { summary.focus(); }
  }

  var card = cards[cardSelect.value];
  if (card) { pointsField.hidden = !card.points; showLicenseFields(card); }
  if (!summary && (form.querySelector("#license_value").value ||
                   (card && !card.license_value))) {
    schedule(null);
  }
})();
