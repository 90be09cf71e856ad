// Accord workspace: the little that htmx does not do itself.
// 1. Every request carries the CSRF token (the page's meta tag) in a header.
// 2. Keystrokes in one grid field, from focus to leaving it, are one "burst": the server keeps
//    one version per burst, so Undo takes back a field's edit, not a keystroke.
// 3. A forecast computed for an older version never replaces the one shown for a newer one.
(function () {
  "use strict";
  var token = document.querySelector('meta[name="csrf-token"]').content;
  var burst = "";

  document.addEventListener("focusin", function (event) {
    if (event.target.closest && event.target.closest("table.grid")) {
      burst = Date.now().toString(36) + "-" + Math.random().toString(36).slice(2, 10);
    }
  });

  document.body.addEventListener("htmx:configRequest", function (event) {
    event.detail.headers["X-CSRF-Token"] = token;
    var source = event.detail.elt;
    if (burst && source && source.closest && source.closest("table.grid")) {
      event.detail.parameters["burst"] = burst;
    }
  });

  document.body.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target;
    if (!target || target.id !== "forecast" || event.detail.requestConfig.verb !== "get") {
      return;
    }
    var found = /data-version="(\d+)"/.exec(event.detail.serverResponse || "");
    if (found && found[1] !== target.getAttribute("data-version")) {
      event.detail.shouldSwap = false;
    }
  });
})();
