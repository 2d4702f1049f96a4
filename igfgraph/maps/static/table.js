(function () {
  "use strict";
  var status = document.getElementById("igfgraph-table-status");
  // A cell sorts by its data-sort value when it has one (years: the first year).
  function text(cell) {
    if (!cell) { return ""; }
    var key = cell.getAttribute("data-sort");
    return key !== null ? key : cell.textContent.trim();
  }
  function compare(x, y, numeric) {
    if (numeric) {
      if (x === "" || y === "") { return x === y ? 0 : x === "" ? 1 : -1; }
      return Number(x) - Number(y);
    }
    return x.localeCompare(y, "en", {numeric: true, sensitivity: "base"});
  }
  var tables = document.querySelectorAll("table.igfgraph-sortable");
  Array.prototype.forEach.call(tables, function (table) {
    var heads = Array.prototype.slice.call(table.tHead.rows[0].cells);
    heads.forEach(function (th, column) {
      if (th.hasAttribute("data-nosort")) { return; }
      var label = th.textContent;
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = label;
      th.textContent = "";
      th.appendChild(button);
      button.addEventListener("click", function () {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        heads.forEach(function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows).map(function (row, at) {
          return [text(row.cells[column]), at, row];
        });
        var numeric = rows.every(function (r) { return r[0] === "" || !isNaN(Number(r[0])); });
        rows.sort(function (a, b) {
          var c = compare(a[0], b[0], numeric);
          return (ascending ? c : -c) || a[1] - b[1];
        });
        rows.forEach(function (r) { body.appendChild(r[2]); });
        status.textContent = table.caption.textContent + ": sorted by " + label +
          (ascending ? ", ascending." : ", descending.");
      });
    });
  });
  var filter = document.getElementById("igfgraph-table-filter");
  document.getElementById("igfgraph-table-filter-box").hidden = false;
  filter.addEventListener("input", function () {
    var query = filter.value.trim().toLowerCase();
    var shown = 0, total = 0;
    var rows = document.querySelectorAll("table.igfgraph-sortable tbody tr");
    Array.prototype.forEach.call(rows, function (row) {
      var match = !query || row.textContent.toLowerCase().indexOf(query) >= 0;
      row.hidden = !match;
      total++;
      if (match) { shown++; }
    });
    status.textContent = query ?
      shown + " of " + total + " rows contain \u201c" + filter.value.trim() + "\u201d." : "";
  });
  // A link to a node's row (from the map's card, or a card's own links) opens its card.
  function openTarget() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    var row = id ? document.getElementById(id) : null;
    var details = row && row.tagName === "TR" ? row.querySelector("details") : null;
    if (details) { details.open = true; }
  }
  window.addEventListener("hashchange", openTarget);
  openTarget();
})();
