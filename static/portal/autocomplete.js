// Progressive enhancement of the register's long filters (trust, local authority):
// each text input marked data-module="portal-autocomplete" becomes GOV.UK's
// accessible-autocomplete, asking the input's data-source URL for suggestions
// ("Name (code)" labels). Without JavaScript the plain text input still takes a
// name or code, so the filter works either way.
(function () {
  "use strict";
  if (typeof window.accessibleAutocomplete !== "function" || !window.fetch) {
    return;
  }
  var DELAY_MS = 100;

  function suggester(url) {
    var timer = null;
    var latest = 0;
    return function (query, populateResults) {
      window.clearTimeout(timer);
      var ticket = ++latest;
      timer = window.setTimeout(function () {
        fetch(url + "?q=" + encodeURIComponent(query), {
          credentials: "same-origin",
          headers: { Accept: "application/json" },
        })
          .then(function (response) { return response.ok ? response.json() : { results: [] }; })
          .then(function (data) {
            if (ticket === latest) { populateResults(data.results || []); }
          })
          .catch(function () { populateResults([]); });
      }, DELAY_MS);
    };
  }

  document.querySelectorAll('input[data-module="portal-autocomplete"]').forEach(function (input) {
    var container = document.createElement("div");
    container.className = "portal-autocomplete";
    input.parentNode.insertBefore(container, input);
    var describedBy = input.getAttribute("aria-describedby");
    var hasError = input.classList.contains("govuk-input--error");
    input.parentNode.removeChild(input);
    window.accessibleAutocomplete({
      element: container,
      id: input.id,
      name: input.name,
      defaultValue: input.value,
      minLength: 2,
      confirmOnBlur: false,
      showNoOptionsFound: true,
      inputClasses: hasError ? "govuk-input--error" : null,
      source: suggester(input.getAttribute("data-source")),
      tNoResults: function () { return "No matches: try part of the name, or the code"; },
    });
    // Keep the hint and error message announced with the new input.
    var created = document.getElementById(input.id);
    if (created && describedBy) {
      var own = created.getAttribute("aria-describedby");
      created.setAttribute("aria-describedby", own ? describedBy + " " + own : describedBy);
    }
  });
})();
