/* Check-in by the phone's camera: reads the QR code of a confirmation code with ZXing (static/vendor, from npm)
   and sends it as if it had been typed. Progressive enhancement: without JavaScript, a camera or the permission
   to use it, the button stays hidden or says why, and the code is typed as before. */
(function () {
  "use strict";

  var box = document.querySelector("[data-camera-scan]");
  var form = document.querySelector("form.check-in-form");
  if (!box || !form || !window.ZXingBrowser || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
    return;
  }
  var start = box.querySelector(".scan-start");
  var stop = box.querySelector(".scan-stop");
  var video = box.querySelector("video");
  var status = box.querySelector(".scan-status");
  var input = form.querySelector("input[name=code]");
  var reader = new window.ZXingBrowser.BrowserQRCodeReader();
  var controls = null;

  function say(text) { status.textContent = text; }

  function finish() {
    if (controls) { controls.stop(); controls = null; }
    video.hidden = true;
    stop.hidden = true;
    start.hidden = false;
  }

  function found(text) {
    finish();
    input.value = text.trim();
    say(box.dataset.found.replace("{code}", input.value));
    if (form.requestSubmit) { form.requestSubmit(); } else { form.submit(); }
  }

  start.addEventListener("click", function () {
    start.hidden = true;
    stop.hidden = false;
    video.hidden = false;
    say(box.dataset.looking);
    // The back camera where there is one: the organiser points the phone at the visitor's screen or paper.
    reader.decodeFromConstraints({ video: { facingMode: "environment" } }, video, function (result, _error, running) {
      controls = running;
      if (result) { found(result.getText()); }
    }).then(function (running) { controls = running; }).catch(function (error) {
      finish();
      say(error && error.name === "NotAllowedError" ? box.dataset.denied : box.dataset.unavailable);
      input.focus();
    });
  });

  stop.addEventListener("click", function () {
    finish();
    say("");
    input.focus();
  });

  box.hidden = false;
})();
