/* Camp live sessions: the countdown shown on phones and the projector. The server says how
   many seconds were left when it drew the page; this only counts down from there. */
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

  global.CampLiveCountdown = { start: start };
})(window);
