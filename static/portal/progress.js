// Polls a job's progress endpoint and updates a GOV.UK-styled progress bar.
// When the job finishes it follows the job's result link, or reloads the page.
(function () {
  "use strict";
  document.querySelectorAll('[data-module="portal-progress"]').forEach(function (root) {
    var url = root.getAttribute("data-progress-url");
    var bar = root.querySelector("[data-progress-bar]");
    var fill = bar.querySelector(".portal-progress__bar");
    var status = root.querySelector("[data-progress-status]");
    var message = root.querySelector("[data-progress-message]");
    var count = root.querySelector("[data-progress-count]");
    function poll() {
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { return r.json(); })
        .then(function (data) {
          fill.style.width = data.percent + "%";
          bar.setAttribute("aria-valuenow", data.percent);
          status.textContent = data.status_display;
          message.textContent = data.message;
          count.textContent =
            data.progress.toLocaleString("en-GB") + " of " + data.total.toLocaleString("en-GB");
          if (data.finished) {
            if (root.getAttribute("data-finished-on-load") !== "true") {
              window.location.href = data.result_url || window.location.href;
            }
            return;
          }
          window.setTimeout(poll, 1000);
        })
        .catch(function () { window.setTimeout(poll, 3000); });
    }
    if (status.textContent.trim() !== "Finished" && status.textContent.trim() !== "Failed") {
      poll();
    } else {
      root.setAttribute("data-finished-on-load", "true");
    }
  });
})();
