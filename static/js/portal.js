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
})();
