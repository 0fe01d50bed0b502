/* Camp attempt pages: autosave each answer, a countdown, and saving that survives a
   lost connection. Progressive enhancement only: without JavaScript every page still
   saves with a normal form POST. */
(function () {
  "use strict";

  var attempt = document.querySelector(".attempt");
  var form = document.getElementById("attempt-form");
  var status = document.querySelector("[data-save-status]");
  var csrf = document.querySelector('input[name="csrf_token"]');
  var pending = {};          // position -> true while its latest answer is not saved
  // One save per question on its way at a time: two could arrive out of order, and the
  // older answer, stored last, would replace the newer one.
  var inFlight = {};         // position -> a save of it is on its way
  var changedAgain = {};     // position -> it changed while that save was on its way
  var whenSettled = [];      // what waits for every save on its way to come back
  var retryTimer = null;
  var submitting = false;
  var toldToStay = false;    // the student tried to move on while offline and was told to stay

  // What this script says comes from the page, in its language (quizzes/_attempt_messages.html).
  var messages = document.getElementById("attempt-messages");
  var text = messages ? JSON.parse(messages.textContent) : {};
  var SAVE_FAILED = text.saveFailed;
  var STAY = text.stay;

  function say(text, kind) {
    if (!status) return;
    status.textContent = text;
    status.className = "save-status" + (kind ? " save-" + kind : "");
  }

  function positionOf(element) {
    var box = element.closest(".question");
    return box ? box.id.replace(/^q/, "") : null;
  }

  function fieldsFor(position) {
    var data = new FormData();
    data.append("csrf_token", csrf ? csrf.value : "");
    data.append("positions", position);
    var prefix = "q" + position;
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || (el.name !== prefix && el.name.indexOf(prefix + "-") !== 0)) return;
      if ((el.type === "radio" || el.type === "checkbox") && !el.checked) return;
      data.append(el.name, el.value);
    });
    return data;
  }

  function markAnswered(answered) {
    Object.keys(answered || {}).forEach(function (position) {
      var item = document.querySelector('.nav-item[data-position="' + position + '"]');
      if (!item) return;
      item.classList.toggle("answered", answered[position]);
      item.classList.toggle("unanswered", !answered[position]);
      var label = item.querySelector(".nav-state");
      if (label) label.textContent = answered[position] ? text.answered : text.notAnswered;
    });
  }

  function settled() {
    if (Object.keys(inFlight).length === 0) whenSettled.splice(0).forEach(function (go) { go(); });
  }

  function save(position) {
    pending[position] = true;
    if (inFlight[position]) {
      changedAgain[position] = true;  // sent, with the answer as it is then, when this returns
      return;
    }
    inFlight[position] = true;
    fetch(attempt.dataset.autosaveUrl, {
      method: "POST",
      body: fieldsFor(position),
      headers: { "X-CSRFToken": csrf ? csrf.value : "" },
      credentials: "same-origin"
    }).then(function (response) {
      return response.json().then(function (body) { return { response: response, body: body }; });
    }).then(function (result) {
      if (result.response.ok) {
        toldToStay = false;
        if (!changedAgain[position]) delete pending[position];
        markAnswered(result.body.answered);
        if (Object.keys(pending).length === 0) {
          say(text.allSaved.replace("{time}", new Date().toLocaleTimeString()), "ok");
        }
        return;
      }
      if (result.response.status === 409 && result.body.review) {
        window.location.assign(result.body.review);
        return;
      }
      delete pending[position];
      say(result.body.message || text.notSaved, "error");
    }).catch(function () {
      // A save that fails after the student was told to stay (the save of the answer left by
      // clicking the button, a retry) must not replace that message with the weaker one.
      say(toldToStay ? STAY : SAVE_FAILED, "error");
      scheduleRetry();
    }).then(function () {
      delete inFlight[position];
      if (changedAgain[position]) {
        delete changedAgain[position];
        save(position);
      }
      settled();
    });
  }

  function retryAll() {
    retryTimer = null;
    Object.keys(pending).forEach(save);
  }

  function scheduleRetry() {
    if (!retryTimer) retryTimer = window.setTimeout(retryAll, 5000);
  }

  if (attempt && form) {
    var typing = {};
    form.addEventListener("change", function (event) {
      var position = positionOf(event.target);
      if (!position) return;
      window.clearTimeout(typing[position]);  // this save replaces the one waiting for typing
      save(position);
    });
    form.addEventListener("input", function (event) {
      var position = positionOf(event.target);
      if (!position || event.target.type === "radio" || event.target.type === "checkbox") return;
      pending[position] = true;
      window.clearTimeout(typing[position]);
      typing[position] = window.setTimeout(function () { save(position); }, 800);
    });
    window.addEventListener("online", function () {
      toldToStay = false;
      say(text.backOnline, "");
      retryAll();
    });
    // Navigating while offline would show the browser's error page: stay and keep the answers.
    // Online, the page's answers go with the form, so they must arrive after any save still
    // on its way (which would otherwise store an older answer over them): wait for those.
    var waited = false;
    form.addEventListener("submit", function (event) {
      if (!navigator.onLine && !submitting) {
        event.preventDefault();
        toldToStay = true;
        say(STAY, "error");
        return;
      }
      if (waited || Object.keys(inFlight).length === 0) return;
      event.preventDefault();
      var submitter = event.submitter;
      var goOn = function () {
        if (waited) return;
        waited = true;
        form.requestSubmit(submitter && submitter.form === form ? submitter : undefined);
      };
      whenSettled.push(goOn);
      window.setTimeout(goOn, 5000);  // a save that never returns must not keep the student here
    });
    window.addEventListener("beforeunload", function (event) {
      if (Object.keys(pending).length && !submitting) {
        event.preventDefault();
        event.returnValue = "";
      }
    });
    form.querySelectorAll("button[type=submit]").forEach(function (button) {
      button.addEventListener("click", function () { submitting = navigator.onLine; });
    });
    document.querySelectorAll('button[form="attempt-form"]').forEach(function (button) {
      button.addEventListener("click", function () { submitting = navigator.onLine; });
    });
  }

  // Submitting twice is harmless on the server; the button still says it is working.
  document.querySelectorAll("form[data-submit-once]").forEach(function (submitForm) {
    submitForm.addEventListener("submit", function () {
      var button = submitForm.querySelector("button[type=submit]");
      if (button) { button.disabled = true; button.textContent = text.submitting; }
      submitting = true;
    });
  });

  // Countdown: the server owns the deadline; this only shows it.
  var timer = document.querySelector(".timer");
  if (timer) {
    var valueEl = timer.querySelector(".timer-value");
    var announce = timer.querySelector("[data-timer-announce]");
    var endsAt = Date.now() + Number(timer.dataset.secondsLeft) * 1000;
    // The seconds left at which the timer speaks, most first: those the page has words for.
    var milestones = Object.keys(text.timeLeft || {}).map(Number)
      .sort(function (a, b) { return b - a; });
    var finished = false;
    var tick = function () {
      var left = Math.max(0, Math.round((endsAt - Date.now()) / 1000));
      var minutes = Math.floor(left / 60), seconds = left % 60;
      valueEl.textContent = minutes + ":" + (seconds < 10 ? "0" : "") + seconds;
      timer.classList.toggle("timer-low", left <= 60);
      while (milestones.length && left <= milestones[0]) {
        var mark = milestones.shift();
        if (left > mark - 5 && announce) {
          announce.textContent = text.timeLeft[mark];
        }
      }
      if (left === 0 && !finished) {
        finished = true;
        if (announce) announce.textContent = text.timeUp;
        finishNow();
        return;
      }
      window.setTimeout(tick, 1000 - (Date.now() % 1000));
    };
    tick();
  }

  function finishNow() {
    submitting = true;
    if (form) {
      var go = document.createElement("input");
      go.type = "hidden"; go.name = "go"; go.value = "finish";
      form.appendChild(go);
      form.submit();
      return;
    }
    var submitForm = document.querySelector("form[data-submit-once]");
    if (submitForm) submitForm.submit();
  }
})();
