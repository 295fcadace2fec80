/* Progressive enhancement for the comment form. The server's one-time token is the real guard against double
   submission; this only spares people a second click and shows how much they have written. */
(function () {
  "use strict";

  document.querySelectorAll("form[data-once-form]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (form.dataset.sending === "true") {
        event.preventDefault();
        return;
      }
      form.dataset.sending = "true";
      form.querySelectorAll("button[type=submit]").forEach(function (button) {
        if (button.dataset.sendingText) {
          button.textContent = button.dataset.sendingText;
        }
        button.setAttribute("aria-disabled", "true");
        // Disabling in the same tick would drop the button from the submitted data; disable just after.
        window.setTimeout(function () { button.disabled = true; }, 0);
      });
    });
  });

  document.querySelectorAll("textarea[data-counter]").forEach(function (area) {
    var max = area.getAttribute("maxlength");
    var output = document.createElement("p");
    output.className = "hint char-count";
    area.insertAdjacentElement("afterend", output);
    function update() {
      output.textContent = area.dataset.counter.replace("{count}", area.value.length).replace("{max}", max);
    }
    area.addEventListener("input", update);
    update();
  });
})();
