// Keeps a research board current while others work on it. When the project gets a
// new version, the page is fetched again and only its parts marked data-live are
// swapped in: new cards appear without a reload, and half-filled forms keep their
// text. The page works without this script; it only saves a manual reload.
(function () {
  var title = document.querySelector("[data-live-events]");
  if (!title || !window.EventSource || !window.fetch || !window.DOMParser) return;
  var version = Number(title.getAttribute("data-version"));
  var source = new EventSource(title.getAttribute("data-live-events"));
  // A page left for another keeps no stream open: a browser holds few connections per
  // site, and pages kept for the back button would take them all. Back on such a
  // page, it is fetched anew (it may be behind).
  window.addEventListener("pagehide", function () { source.close(); });
  window.addEventListener("pageshow", function (e) { if (e.persisted) window.location.reload(); });
  source.addEventListener("changed", function (e) {
    var now = Number(e.data);
    if (now <= version) return;
    version = now;
    // The same step or tab as shown: the query names it.
    fetch(window.location.pathname + window.location.search, { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html");
        document.querySelectorAll("[data-live]").forEach(function (old) {
          var name = old.getAttribute("data-live");
          var next = fresh.querySelector('[data-live="' + name + '"]');
          if (next) old.replaceWith(document.importNode(next, true));
        });
        title.setAttribute("data-version", String(version));
      })
      .catch(function () { /* the next change tries again */ });
  });
})();
