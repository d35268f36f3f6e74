/* Behaviour the pages share, as a static file: the Content-Security-Policy allows no inline script (wsp.settings). */
(function () {
  "use strict";

  // <select data-autosubmit>: submit its form when the choice changes (the language switch).
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target instanceof HTMLElement && target.hasAttribute("data-autosubmit") && target.form) {
      target.form.submit();
    }
  });

  // [data-show-when="<field id>=<value>"]: shown only while that field has that value; it stays in the form, so
  // nothing typed is lost (the visit-report fields of a contact moment, R-08).
  function syncConditional() {
    document.querySelectorAll("[data-show-when]").forEach(function (block) {
      var rule = block.getAttribute("data-show-when").split("=");
      var field = document.getElementById(rule[0]);
      if (field) {
        block.hidden = field.value !== rule[1];
      }
    });
  }
  document.addEventListener("change", syncConditional);
  document.addEventListener("DOMContentLoaded", syncConditional);
  document.addEventListener("htmx:afterSettle", syncConditional);
})();
