// Refreshes a research board when someone else changes the project. The page works
// without this script; it only saves a manual reload.
(function () {
  var board = document.querySelector("[data-live-events]");
  if (!board || !window.EventSource) return;
  var version = Number(board.getAttribute("data-version"));
  var source = new EventSource(board.getAttribute("data-live-events"));
  source.addEventListener("changed", function (e) {
    if (Number(e.data) > version) window.location.reload();
  });
})();
