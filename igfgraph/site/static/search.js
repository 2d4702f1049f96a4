(function () {
  "use strict";
  // Client-side search over the index in the page: no request, results are text.
  var MAX = 50;
  var index = JSON.parse(document.getElementById("site-index").textContent);
  var box = document.getElementById("site-search");
  var list = document.getElementById("site-results");
  var status = document.getElementById("site-search-status");
  function fold(text) {
    return text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  var hay = index.map(function (row) { return fold(row[0] + " " + row[3]); });
  function search(text) {
    var q = fold(text.trim());
    while (list.firstChild) { list.removeChild(list.firstChild); }
    if (!q) { status.textContent = ""; return []; }
    var hits = [];
    for (var i = 0; i < index.length; i++) {
      var at = hay[i].indexOf(q);
      if (at >= 0) { hits.push([at === 0 ? 0 : 1, index[i][0].length, i]); }
    }
    hits.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1] || a[2] - b[2]; });
    hits.slice(0, MAX).forEach(function (hit) {
      var row = index[hit[2]];
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = row[2];
      a.textContent = row[0];
      var kind = document.createElement("span");
      kind.className = "note";
      kind.textContent = " " + row[1];
      li.appendChild(a);
      li.appendChild(kind);
      list.appendChild(li);
    });
    status.textContent = hits.length + " found" + (hits.length > MAX ? ", first " + MAX + " shown" : "") + ".";
    return hits.map(function (hit) { return index[hit[2]][2]; });
  }
  box.addEventListener("input", function () { search(box.value); });
  window.siteSearch = search;
  window.siteReady = true;
})();
