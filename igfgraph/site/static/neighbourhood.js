(function () {
  "use strict";
  // A body's neighbourhood map: the maps package's vis-network data, drawn as it is.
  window.siteReady = false;
  var container = document.getElementById("site-map");
  var data = JSON.parse(document.getElementById("site-map-data").textContent);
  var has = Object.prototype.hasOwnProperty;
  function tooltip(text) {
    var el = document.createElement("div");
    el.className = "site-tooltip";
    el.textContent = text;
    return el;
  }
  data.nodes.forEach(function (node) {
    if (typeof node.title === "string") { node.title = tooltip(node.title); }
  });
  data.edges.forEach(function (edge) {
    var style = has.call(data.edgeStyles, edge.kind) ? data.edgeStyles[edge.kind] : {};
    for (var key in style) {
      if (has.call(style, key) && !has.call(edge, key)) { edge[key] = style[key]; }
    }
    if (typeof edge.title === "string") { edge.title = tooltip(edge.title); }
  });
  var network = new vis.Network(container, {
    nodes: new vis.DataSet(data.nodes), edges: new vis.DataSet(data.edges)
  }, data.options);
  window.network = network;
  network.on("click", function (params) {
    if (params.nodes.length !== 1) { return; }
    var id = params.nodes[0];
    if (id !== data.centre && has.call(data.hrefs, id)) { window.location.href = data.hrefs[id]; }
  });
  network.once("afterDrawing", function () {
    network.fit({animation: false});
    window.siteReady = true;
  });
})();
