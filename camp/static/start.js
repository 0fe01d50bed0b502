// The quiz page's Start (or Continue) button. When a whole room presses Start at once the
// server works through the starts in turn, and the last ones wait a second or more on an
// unchanged page: long enough to press again, or to give up. So the button says at once
// that the attempt is starting, a status line says why it may take a moment, and a second
// press sends nothing (the first is still on its way).
(function () {
  "use strict";

  function reset(form) {
    var button = form.querySelector("button[type=submit]");
    var status = form.querySelector("[role=status]");
    form.removeAttribute("aria-busy");
    if (button && button.hasAttribute("data-idle-label")) {
      button.textContent = button.getAttribute("data-idle-label");
      button.removeAttribute("aria-disabled");
    }
    if (status) {
      status.textContent = "";
    }
  }

  document.querySelectorAll("form[data-start]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (form.getAttribute("aria-busy") === "true") {
        event.preventDefault();
        return;
      }
      form.setAttribute("aria-busy", "true");
      var button = form.querySelector("button[type=submit]");
      var status = form.querySelector("[role=status]");
      if (button) {
        button.setAttribute("data-idle-label", button.textContent);
        button.textContent = button.getAttribute("data-busy-label");
        button.setAttribute("aria-disabled", "true");
      }
      if (status) {
        status.textContent = status.getAttribute("data-message");
      }
    });
  });

  // A page restored from the back/forward cache must be pressable again.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) {
      document.querySelectorAll("form[data-start]").forEach(reset);
    }
  });
})();
