/* Camp live sessions, the projector: live counts, the stage swapped in when the session
   changes, the controls sent in the background, and the keyboard shortcuts (space or →
   go on, R reveal, P pause or go on, + 15 more seconds). Without this script every
   control is a plain form and the page reloads. */
(function () {
  "use strict";
  var root = document.querySelector("[data-live-present]");
  if (!root || !window.fetch) { return; }
  var stageBox = document.getElementById("present-stage");
  var buttonsBox = document.getElementById("present-buttons");
  var message = root.querySelector("[data-message]");
  var version = root.getAttribute("data-version");
  var busy = false;
  function within(url, options) {
    return window.CampLive.fetchWithin(url, options, 8000);
  }

  function setCount(name, value) {
    root.querySelectorAll('[data-count="' + name + '"]').forEach(function (el) {
      el.textContent = String(value);
    });
  }

  function refreshStage() {
    return within(root.getAttribute("data-stage-url"), { credentials: "same-origin", cache: "no-store" })
      .then(function (r) { if (!r.ok) { throw new Error(String(r.status)); } return r.text(); })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        var stage = doc.querySelector('[data-part="present-stage"]');
        var buttons = doc.querySelector('[data-part="present-buttons"]');
        if (stage) { stageBox.innerHTML = stage.innerHTML; }
        if (buttons) { buttonsBox.innerHTML = buttons.innerHTML; }
        var shown = stageBox.querySelector(".present-stage");
        if (shown) { version = shown.getAttribute("data-version"); }
        window.CampLive.startCountdown(stageBox);
      });
  }

  function poll() {
    within(root.getAttribute("data-state-url"), {
      credentials: "same-origin", cache: "no-store", headers: { Accept: "application/json" }
    }).then(function (r) { if (!r.ok) { throw new Error(String(r.status)); } return r.json(); })
      .then(function (data) {
        setCount("joined", data.joined);
        setCount("answers", data.answers);
        if (String(data.version) !== String(version) && !busy) { return refreshStage(); }
        return null;
      })
      .catch(function () { /* the next poll tries again */ })
      .then(function () { setTimeout(poll, 1000); });
  }

  function send(form) {
    if (busy) { return; }
    busy = true;
    message.textContent = "";
    within(form.getAttribute("action"), {
      method: "POST",
      credentials: "same-origin",
      headers: { Accept: "application/json" },
      body: new URLSearchParams(new FormData(form))
    }).then(function (r) { return r.json(); })
      .then(function (answer) { if (!answer.done && answer.message) { message.textContent = answer.message; } })
      .catch(function () { form.submit(); })
      .then(function () { busy = false; return refreshStage(); });
  }

  buttonsBox.addEventListener("submit", function (event) {
    var form = event.target.closest("[data-control]");
    if (!form) { return; }
    event.preventDefault();
    send(form);
  });

  function press(action) {
    var button = buttonsBox.querySelector('[data-action="' + action + '"]');
    if (button) { send(button.form); return true; }
    return false;
  }

  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey) { return; }
    var target = event.target;
    if (target.closest && target.closest("input, textarea, select, button, a, summary")) {
      if (event.key === " " || event.key === "Enter") { return; }  // their own activation
    }
    var phase = (stageBox.querySelector(".present-stage") || {}).getAttribute
      ? stageBox.querySelector(".present-stage").getAttribute("data-phase") : "";
    var done = false;
    if (event.key === " " || event.key === "ArrowRight") {
      done = press("advance");
    } else if (event.key === "r" || event.key === "R") {
      done = phase === "question" && press("advance");
    } else if (event.key === "p" || event.key === "P") {
      done = press("pause") || press("resume");
    } else if (event.key === "+" || event.key === "=") {
      done = press("add_time");
    }
    if (done) { event.preventDefault(); }
  });

  window.CampLive.startCountdown(stageBox);
  setTimeout(poll, 1000);
})();
