/* Camp live sessions, the phone: keeps the page in step with the session and makes sure
   an answer reaches the server exactly once.

   - Polls the state (about once a second) with the last ETag: an unchanged session costs a
     304. When the ETag changes the stage is fetched and swapped in; when the board's
     version changes, the board (unless the reader is typing a question).
   - An answer is sent in the background with its idempotency key and kept in localStorage
     until the server acknowledges it: a dropped connection, a locked phone or a reload
     sends the same answer again (same key, so it counts once) until the question closes.
   - Without this script the page still works: buttons post plain forms, and "Refresh"
     reloads it. */
(function () {
  "use strict";
  var root = document.querySelector("[data-live-phone]");
  if (!root || !window.fetch) { return; }
  var stage = document.getElementById("live-stage");
  var boardBox = document.getElementById("live-board");
  var connection = root.querySelector("[data-connection]");
  var announcer = root.querySelector("[data-announcer]");
  var pendingKey = "camp-live-answer:" + root.getAttribute("data-session");
  var POLL_MS = 1000;
  var REQUEST_MS = 8000;  // a request still unanswered after this is given up and retried
  function within(url, options) {
    return window.CampLive.fetchWithin(url, options, REQUEST_MS);
  }
  var etag = null;
  // The board's version the page was drawn with: a change seen by the first poll counts.
  var boardVersion = boardBox ? Number(boardBox.getAttribute("data-board-version")) : null;
  var pollTimer = null;
  var inFlight = false;
  var sending = false;

  var refresh = root.querySelector(".live-refresh");
  if (refresh) { refresh.hidden = true; }

  function csrfToken() {
    var input = root.querySelector('input[name="csrf_token"]');
    return input ? input.value : "";
  }

  function say(text) {
    if (announcer) { announcer.textContent = text; }
  }

  function setOnline(online) {
    root.classList.toggle("live-offline", !online);
    if (connection) {
      connection.textContent = online ? "" : root.getAttribute("data-offline-text");
    }
  }

  function schedule(delay) {
    clearTimeout(pollTimer);
    pollTimer = setTimeout(poll, delay === undefined ? POLL_MS + Math.random() * 250 : delay);
  }

  function currentStage() {
    return stage.querySelector(".live-stage");
  }

  function swapStage(html) {
    stage.innerHTML = html;
    var shown = currentStage();
    var line = stage.querySelector("[data-announce]");
    if (line) { say(line.textContent.trim()); }
    window.CampLive.startCountdown(stage);
    markPending();
    return shown;
  }

  function fetchText(url) {
    return within(url, { credentials: "same-origin", cache: "no-store" }).then(function (r) {
      if (!r.ok) { throw new Error(String(r.status)); }
      return r.text();
    });
  }

  function typingQuestion() {
    var box = boardBox && boardBox.querySelector("textarea");
    return box && (document.activeElement === box || box.value.trim() !== "");
  }

  // The board is fetched at most every BOARD_MIN_MS: in a busy room votes move its version
  // every second, and 300 phones refetching it each time would cost more than the quiz.
  var BOARD_MIN_MS = 5000;
  var boardFetchedAt = 0;
  var boardTimer = null;
  var boardWanted = null;

  function refreshBoard() {
    boardTimer = null;
    if (boardWanted === null || boardWanted === boardVersion) { return; }
    if (typingQuestion()) { boardTimer = setTimeout(refreshBoard, BOARD_MIN_MS); return; }
    var wanted = boardWanted;
    boardFetchedAt = Date.now();
    fetchText(root.getAttribute("data-board-url")).then(function (html) {
      boardBox.innerHTML = html;
      boardVersion = wanted;
    }).catch(function () {
      boardTimer = setTimeout(refreshBoard, BOARD_MIN_MS);  // offline: try again later
    });
  }

  function boardMoved(version) {
    boardWanted = version;
    if (version === boardVersion || boardTimer) { return; }
    var wait = Math.max(0, boardFetchedAt + BOARD_MIN_MS - Date.now());
    boardTimer = setTimeout(refreshBoard, wait);
  }

  function changed(data) {
    var shown = currentStage();
    boardMoved(data.board_version);
    if (!shown || shown.getAttribute("data-tag") !== data.tag) {
      return fetchText(root.getAttribute("data-stage-url")).then(swapStage);
    }
    return null;
  }

  function poll() {
    if (inFlight) { return; }
    inFlight = true;
    var headers = { Accept: "application/json" };
    if (etag) { headers["If-None-Match"] = etag; }
    within(root.getAttribute("data-state-url"), {
      headers: headers, credentials: "same-origin", cache: "no-store"
    }).then(function (response) {
      setOnline(true);
      if (response.status === 304) { return null; }
      if (!response.ok) { throw new Error(String(response.status)); }
      etag = response.headers.get("ETag");
      return response.json();
    }).then(function (data) {
      return data && data.joined ? changed(data) : null;
    }).catch(function () {
      setOnline(false);
    }).then(function () {
      inFlight = false;
      sendPending();
      schedule();
    });
  }

  // -- answers --------------------------------------------------------------------------

  function readPending() {
    try { return JSON.parse(localStorage.getItem(pendingKey) || "null"); } catch (e) { return null; }
  }

  function writePending(value) {
    try {
      if (value) { localStorage.setItem(pendingKey, JSON.stringify(value)); }
      else { localStorage.removeItem(pendingKey); }
    } catch (e) { /* private mode: the answer is still sent from memory */ }
    memoryPending = value;
  }
  var memoryPending = null;

  function pending() {
    return readPending() || memoryPending;
  }

  function markPending() {
    var waiting = pending();
    var shown = currentStage();
    var form = stage.querySelector("[data-live-answer]");
    if (!waiting || !shown || !form) { return; }
    if (shown.getAttribute("data-item") !== String(waiting.item)) { return; }
    var note = form.querySelector("[data-sending]");
    if (note) {
      note.hidden = false;
      note.textContent = root.getAttribute(navigator.onLine === false ? "data-offline-text" : "data-sending-text");
    }
  }

  function sendPending() {
    var waiting = pending();
    if (!waiting || sending) { return; }
    sending = true;
    within(waiting.url, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        Accept: "application/json",
        "Content-Type": "application/x-www-form-urlencoded",
        "X-CSRFToken": waiting.csrf || csrfToken()
      },
      body: waiting.body
    }).then(function (response) {
      setOnline(true);
      if (response.status === 200 || response.status === 409) {
        writePending(null);
        return response.json().then(function (answer) {
          if (!answer.accepted && !answer.duplicate && answer.message) { say(answer.message); showRefusal(answer.message); }
          etag = null;  // the stage changes (answer received): fetch it now
          schedule(0);
        });
      }
      if (response.status === 400 || response.status === 403 || response.status === 404) {
        writePending(null);  // it will never be accepted: a reload shows why
      }
      return null;
    }).catch(function () {
      setOnline(false);
      markPending();
    }).then(function () {
      sending = false;
    });
  }

  function showRefusal(message) {
    var form = stage.querySelector("[data-live-answer]");
    var note = form && form.querySelector("[data-sending]");
    if (note) { note.hidden = false; note.textContent = message; }
  }

  stage.addEventListener("submit", function (event) {
    var form = event.target.closest("[data-live-answer]");
    if (!form) { return; }
    event.preventDefault();
    var data = new FormData(form);
    if (event.submitter && event.submitter.name) {
      data.append(event.submitter.name, event.submitter.value);
      event.submitter.classList.add("live-chosen");  // which answer is kept, while it is sent
    }
    var body = new URLSearchParams();
    data.forEach(function (value, name) { body.append(name, value); });
    writePending({
      item: data.get("item"),
      url: form.getAttribute("action"),
      body: body.toString(),
      csrf: data.get("csrf_token")
    });
    form.querySelectorAll("button, input, textarea").forEach(function (control) {
      if (control.type !== "hidden") { control.setAttribute("aria-disabled", "true"); control.disabled = true; }
    });
    markPending();
    sendPending();
  });

  window.addEventListener("online", function () { setOnline(true); sendPending(); schedule(0); });
  window.addEventListener("offline", function () { setOnline(false); });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") { schedule(0); }
  });

  window.CampLive.startCountdown(stage);
  markPending();
  sendPending();
  schedule();
})();
