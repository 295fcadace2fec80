/* The visitor's own tokens for a public form. The page is the same for everyone, so that a proxy can keep it; the
   CSRF token (and, for comments, the one-time submission token) come from a small private request made when the
   visitor starts filling the form in, or at the latest when they send it. Should that request fail, the form is
   sent without them and the server shows it back, with the tokens, to be sent again (docs/HTTP_CACHING.md). */
(function () {
  "use strict";

  document.querySelectorAll("form[data-tokens-url]").forEach(function (form) {
    var pending = null;

    function input(name) {
      return form.querySelector("input[name='" + name + "']");
    }

    function csrfInput() {
      var found = input("csrf_token");
      if (!found) {
        found = document.createElement("input");
        found.type = "hidden";
        found.name = "csrf_token";
        form.insertBefore(found, form.firstChild);
      }
      return found;
    }

    function hasTokens() {
      return csrfInput().value !== "";
    }

    function fetchTokens() {
      if (!pending) {
        pending = fetch(form.dataset.tokensUrl, {
          credentials: "same-origin", cache: "no-store", headers: { Accept: "application/json" }
        })
          .then(function (response) {
            if (!response.ok) { throw new Error("form tokens: " + response.status); }
            return response.json();
          })
          .then(function (tokens) {
            csrfInput().value = tokens.csrf_token;
            var submission = input("submission_token");
            // A token already in the form (shown back after an error) must stay: it finds a comment already sent.
            if (submission && !submission.value) { submission.value = tokens.submission_token; }
          })
          .catch(function () { pending = null; });
      }
      return pending;
    }

    function early() {
      if (!hasTokens()) { fetchTokens(); }
    }
    form.addEventListener("focusin", early, { once: true });
    form.addEventListener("input", early, { once: true });

    var waiting = false;
    form.addEventListener("submit", function (event) {
      if (hasTokens() && !waiting) { return; }
      event.preventDefault();
      if (waiting) { return; }  // a second click while the tokens are on their way
      waiting = true;
      // submit() fires no second submit event; without tokens the server asks to confirm.
      fetchTokens().then(function () { form.submit(); });
    });
  });
})();
