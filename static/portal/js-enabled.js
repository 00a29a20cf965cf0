// Runs first in <body>: tells GOV.UK Frontend's CSS that JavaScript is on (and
// whether the browser supports its modules). A file, not an inline script, so the
// Content-Security-Policy can allow scripts from 'self' only.
document.body.className +=
  " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
