// The import page: polls the job's progress and reloads once it has finished (the page then lists the outcome).
(function () {
  "use strict";
  var box = document.getElementById("import-status");
  if (!box || box.dataset.running !== "true") return;
  var bar = document.getElementById("import-progress");
  var count = document.getElementById("import-count");
  var label = document.getElementById("import-progress-label");
  function poll() {
    fetch(box.dataset.progressUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (job) {
        if (job.finished) { window.location.reload(); return; }
        bar.max = Math.max(job.total, 1);
        if (job.state === "importing") {
          bar.removeAttribute("value"); // saving runs in one transaction: an indeterminate bar
          label.textContent = label.dataset.saving || label.textContent;
          count.hidden = true;
        } else {
          if (job.state === "validating") label.textContent = label.dataset.checking || label.textContent;
          bar.value = job.processed;
          count.textContent = count.textContent.replace(/\d+(\D+)\d+/, job.processed + "$1" + job.total);
        }
        window.setTimeout(poll, 700);
      })
      .catch(function () { window.setTimeout(poll, 2000); });
  }
  window.setTimeout(poll, 300);
})();
