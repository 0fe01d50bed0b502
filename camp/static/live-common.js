/* Camp live sessions, shared by the phone and the projector: the countdown (the server says
   how many seconds were left when it drew the page; this only counts down from there) and
   requests that give up instead of hanging. */
(function (global) {
  "use strict";
  var timer = null;

  function start(scope) {
    if (timer) { clearInterval(timer); timer = null; }
    var box = scope.querySelector("[data-seconds-left]");
    if (!box) { return; }
    var value = box.querySelector(".live-countdown-value");
    var ends = Date.now() + parseFloat(box.getAttribute("data-seconds-left")) * 1000;
    function tick() {
      var left = Math.max(0, Math.ceil((ends - Date.now()) / 1000));
      if (value) { value.textContent = String(left); }
      box.classList.toggle("live-countdown-low", left <= 5);
      if (left <= 0 && timer) { clearInterval(timer); timer = null; }
    }
    tick();
    timer = setInterval(tick, 250);
  }

  // A request on shaky Wi-Fi can hang for minutes (a half-open connection): give up after
  // `ms` so that the caller's next poll or retry goes out on a fresh connection.
  function fetchWithin(url, options, ms) {
    if (!global.AbortController) { return global.fetch(url, options); }
    var controller = new AbortController();
    var timer = setTimeout(function () { controller.abort(); }, ms);
    options.signal = controller.signal;
    return global.fetch(url, options).then(function (response) {
      clearTimeout(timer);
      return response;
    }, function (error) {
      clearTimeout(timer);
      throw error;
    });
  }

  global.CampLive = { startCountdown: start, fetchWithin: fetchWithin };
})(window);
