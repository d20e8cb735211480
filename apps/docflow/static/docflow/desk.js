/* The desk's document form: ask before an action loses unsaved edits, confirm
   actions that use up a letter number. (No inline scripts: CSP.) */
(function () {
  "use strict";

  function snapshot(form) {
    var parts = [];
    new FormData(form).forEach(function (value, key) {
      if (key === "csrfmiddlewaretoken") return;
      parts.push(key + "=" + (typeof value === "string" ? value : value.name + ":" + value.size));
    });
    return parts.join("&");
  }

  function ready() {
    var print = document.getElementById("docflow-print-button");
    if (print) print.addEventListener("click", function () { window.print(); });

    var panel = document.getElementById("docflow-panel");
    if (!panel) return;
    var form = document.querySelector("form[method=post][id$='_form']");
    var initial = form ? snapshot(form) : null;
    var dirty = function () { return form !== null && snapshot(form) !== initial; };

    document.querySelectorAll("form.docflow-action").forEach(function (actionForm) {
      actionForm.addEventListener("submit", function (event) {
        if (dirty() && !window.confirm(panel.dataset.unsavedMessage)) {
          event.preventDefault();
          return;
        }
        var question = actionForm.dataset.confirm;
        if (question && !window.confirm(question)) {
          event.preventDefault();
        }
      });
    });

  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
