// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  // Move focus to the error summary (or another notice that needs an answer, such as "someone
  // else saved this plan") so screen readers announce what to fix.
  var summary = document.getElementById("error-summary") || document.querySelector("[data-focus-on-load]");
  if (summary) { summary.focus(); }

  // Formsets: "Lägg till rad" clones the empty form; the server-side "add row" button still works without JS.
  document.querySelectorAll("[data-formset]").forEach(function (container) {
    var prefix = container.getAttribute("data-formset");
    var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
    var template = container.querySelector("template[data-empty-form]");
    var addButton = container.querySelector("[data-formset-add]");
    if (!total || !template || !addButton) { return; }
    addButton.addEventListener("click", function (event) {
      event.preventDefault();
      var index = parseInt(total.value, 10);
      var html = template.innerHTML.replace(/__prefix__/g, String(index));
      var rows = container.querySelector("[data-formset-rows]");
      rows.insertAdjacentHTML("beforeend", html);
      total.value = String(index + 1);
      // Focus the new row's first field a person fills in (not its hidden id).
      var first = rows.lastElementChild && rows.lastElementChild.querySelector(
        "input:not([type=hidden]):not([disabled]), select:not([disabled]), textarea:not([disabled])");
      if (first) { first.focus(); }
    });
  });
  // Long lists of check boxes (bus_portal.widgets.Checklist): the list scrolls, and a filter
  // field above it hides the options that do not match (ticked ones always stay). A live
  // region says how many are shown. Without JS the list is a plain list of check boxes.
  var texts = document.documentElement.lang.indexOf("sv") === 0
    ? { filter: "Filtrera listan", shown: "%s av %s visas" }
    : { filter: "Filter the list", shown: "%s of %s shown" };
  var seen = {};
  document.querySelectorAll("input[data-checklist]").forEach(function (input) {
    if (seen[input.name]) { return; }
    seen[input.name] = true;
    var options = Array.prototype.slice.call(
      document.querySelectorAll("input[data-checklist][name='" + input.name + "']"));
    if (options.length <= 8) { return; }
    var list = input.closest(".form-check").parentElement;
    list.classList.add("checklist-options");
    var id = input.id.replace(/_0$/, "") + "_filter";
    var box = document.createElement("div");
    box.className = "mb-2";
    box.innerHTML = '<label class="form-label small mb-1"></label>' +
      '<input type="search" class="form-control form-control-sm" autocomplete="off">' +
      '<p class="visually-hidden" aria-live="polite"></p>';
    var label = box.querySelector("label"), field = box.querySelector("input");
    var status = box.querySelector("p");
    label.textContent = texts.filter;
    var legend = input.closest("fieldset") && input.closest("fieldset").querySelector("legend");
    if (legend) {  // which list, for a screen reader when a form has several
      var which = document.createElement("span");
      which.className = "visually-hidden";
      which.textContent = ": " + legend.textContent.replace("*", "").trim();
      label.appendChild(which);
    }
    label.htmlFor = field.id = id;
    list.parentNode.insertBefore(box, list);
    field.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { event.preventDefault(); }  // filtering, not sending the form
    });
    field.addEventListener("input", function () {
      var wanted = field.value.trim().toLocaleLowerCase();
      var shown = 0;
      options.forEach(function (option) {
        var row = option.closest(".form-check");
        var match = option.checked || !wanted ||
          row.textContent.toLocaleLowerCase().indexOf(wanted) !== -1;
        row.hidden = !match;
        if (match) { shown += 1; }
      });
      status.textContent = texts.shown.replace("%s", shown).replace("%s", options.length);
    });
  });
})();
