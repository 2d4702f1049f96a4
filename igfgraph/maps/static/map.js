(function () {
  "use strict";
  window.igfgraphReady = false;
  var data = JSON.parse(document.getElementById("igfgraph-data").textContent);
  var has = Object.prototype.hasOwnProperty;
  var SAFE_URL = /^https?:\/\/[^\s]+$/i;
  var MAX_RESULTS = 20;
  var MAX_LINKS = 50;
  function byId(id) { return document.getElementById(id); }
  function make(tag, text, className) {
    var el = document.createElement(tag);
    if (text !== undefined && text !== null) { el.textContent = text; }
    if (className) { el.className = className; }
    return el;
  }
  function tooltip(text) { return make("div", text, "igfgraph-tooltip"); }
  function clear(el) { while (el.firstChild) { el.removeChild(el.firstChild); } }

  var count = data.nodes.length;
  var ids = [], kinds = [], labels = [], titles = [], groupOf = [], infos = data.info;
  var indexOf = new Map();
  var kindLabel = new Map(data.kindLabels);
  var edgeLabel = new Map(data.edgeLabels);
  var i, item, style, key;
  for (i = 0; i < count; i++) {
    item = data.nodes[i];
    ids.push(item.id);
    kinds.push(item.kind);
    labels.push(item.label);
    titles.push(item.title);
    groupOf.push(item.group);
    indexOf.set(item.id, i);
    item.title = tooltip(item.title);
  }
  var adjacency = [];
  for (i = 0; i < count; i++) { adjacency.push([]); }
  var edgeFrom = [], edgeTo = [], edgeKinds = [];
  for (i = 0; i < data.edges.length; i++) {
    item = data.edges[i];
    style = has.call(data.edgeStyles, item.kind) ? data.edgeStyles[item.kind] : null;
    for (key in style) {
      if (has.call(style, key) && !has.call(item, key)) { item[key] = style[key]; }
    }
    if (typeof item.title === "string") { item.title = tooltip(item.title); }
    var a = indexOf.get(item.from), b = indexOf.get(item.to);
    edgeFrom.push(a);
    edgeTo.push(b);
    edgeKinds.push(item.kind);
    adjacency[a].push(i);
    if (b !== a) { adjacency[b].push(i); }
  }
  var directed = data.options.edges.arrows.to.enabled === true;

  var container = byId("igfgraph-network");
  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var network = new vis.Network(container, {nodes: nodes, edges: edges}, data.options);
  window.nodes = nodes;
  window.edges = edges;
  window.network = network;
  var frame = container.querySelector(".vis-network");
  if (frame) {
    frame.setAttribute("role", "application");
    frame.setAttribute("aria-roledescription", "network map");
    frame.setAttribute("aria-label",
      "Network map. Arrow keys move it, plus and minus zoom. " +
      "Use the search box or the table to reach a node.");
  }

  // ------------------------------------------------------------------ regions
  // Nodes that share a region (a community) are laid out together; a shaded halo behind
  // each shown member, one colour per region, makes the region visible as an area.
  var REGION_FILL = ["rgba(31,119,180,0.10)", "rgba(255,127,14,0.10)",
    "rgba(44,160,44,0.10)", "rgba(214,39,40,0.08)", "rgba(148,103,189,0.10)",
    "rgba(140,86,75,0.10)", "rgba(227,119,194,0.10)", "rgba(127,127,127,0.10)"];
  var regionMembers = new Map();
  for (i = 0; i < count; i++) {
    var region = (infos[i] || {}).region;
    if (region) {
      if (!regionMembers.has(region)) { regionMembers.set(region, []); }
      regionMembers.get(region).push(ids[i]);
    }
  }
  var regionNames = Array.from(regionMembers.keys()).sort();
  if (regionNames.length) {
    network.on("beforeDrawing", function (ctx) {
      regionNames.forEach(function (name, at) {
        var shown = regionMembers.get(name).filter(function (id) {
          return !network.body.nodes[id].options.hidden;
        });
        var pos = network.getPositions(shown);
        ctx.save();
        ctx.fillStyle = REGION_FILL[at % REGION_FILL.length];
        ctx.beginPath();  // one path per region: overlapping halos are filled once
        shown.forEach(function (id) {
          ctx.moveTo(pos[id].x + 55, pos[id].y);
          ctx.arc(pos[id].x, pos[id].y, 55, 0, 2 * Math.PI);
        });
        ctx.fill();
        ctx.restore();
      });
    });
  }

  // ------------------------------------------------------------------ node card
  var card = byId("igfgraph-card");
  var cardName = byId("igfgraph-card-name");
  var cardKind = byId("igfgraph-card-kind");
  var cardSummary = byId("igfgraph-card-summary");
  var cardFields = byId("igfgraph-card-fields");
  var cardLinks = byId("igfgraph-card-links");
  var cardRow = byId("igfgraph-card-row");
  var cardActivity = byId("igfgraph-card-activity");
  var tableLink = byId("igfgraph-table-link");
  var searchBox = byId("igfgraph-search");
  var current = -1;
  var returnFocus = null;

  function nodeButton(index, text) {
    var button = make("button", text || labels[index], "igfgraph-node-link");
    button.type = "button";
    button.addEventListener("click", function () { openNode(index, true); });
    return button;
  }
  function renderItem(entry) {
    if (has.call(entry, "h") && SAFE_URL.test(entry.h)) {
      var link = make("a", entry.t || entry.h, "igfgraph-external");
      link.href = entry.h;
      link.target = "_blank";
      link.rel = "noopener noreferrer";
      link.referrerPolicy = "no-referrer";
      link.appendChild(make("span", " (opens in a new tab)", "igfgraph-sr-only"));
      return link;
    }
    if (has.call(entry, "n") && entry.n >= 0 && entry.n < count) {
      return nodeButton(entry.n, entry.t);
    }
    return make("span", entry.t);
  }
  function addField(list, label, elements) {
    list.appendChild(make("dt", label));
    var dd = make("dd");
    if (elements.length === 1) {
      dd.appendChild(elements[0]);
    } else {
      var ul = make("ul");
      elements.forEach(function (el) {
        var li = make("li");
        li.appendChild(el);
        ul.appendChild(li);
      });
      dd.appendChild(ul);
    }
    list.appendChild(dd);
  }
  function neighbourGroups(index) {
    var groups = new Map();
    adjacency[index].forEach(function (e) {
      var other = edgeFrom[e] === index ? edgeTo[e] : edgeFrom[e];
      var label = edgeLabel.get(edgeKinds[e]) || edgeKinds[e];
      if (directed) { label += edgeFrom[e] === index ? " (to)" : " (from)"; }
      if (!groups.has(label)) { groups.set(label, new Set()); }
      groups.get(label).add(other);
    });
    return Array.from(groups.keys()).sort().map(function (label) {
      var members = Array.from(groups.get(label)).sort(function (x, y) {
        var p = labels[x].toLowerCase(), q = labels[y].toLowerCase();
        return p < q ? -1 : p > q ? 1 : x - y;
      });
      return [label, members];
    });
  }
  // A node's activity in the year chosen in the filter: [outcome, reason], or null when
  // no year is chosen or the node has no activity data (then its years alone count).
  var ACTIVITY_TEXT = {active: "active", inactive: "inactive", unknown: "activity unknown"};
  function chosenYear() {
    return yearSelect && yearSelect.value !== "" ? Number(yearSelect.value) : null;
  }
  function activityIn(index, year) {
    var info = infos[index] || {};
    if (year === null || !info.activity) { return null; }
    var key = String(year);
    return has.call(info.activity, key) ? info.activity[key] : ["unknown", ""];
  }
  function renderActivity(index) {
    if (!cardActivity) { return; }
    var year = chosenYear();
    var verdict = activityIn(index, year);
    cardActivity.hidden = verdict === null;
    if (verdict === null) {
      cardActivity.textContent = "";
      cardActivity.removeAttribute("data-activity");
      return;
    }
    cardActivity.textContent = "In " + year + ": " + ACTIVITY_TEXT[verdict[0]] +
      (verdict[1] ? " (" + verdict[1] + ")" : "");
    cardActivity.setAttribute("data-activity", verdict[0]);
  }
  function showCard(index) {
    if (typeof index === "string") { index = indexOf.get(index); }
    if (index === undefined || index < 0 || index >= count) { return; }
    var info = infos[index] || {};
    var c = info.card || null;
    current = index;
    cardName.textContent = c ? c.name : labels[index];
    clear(cardKind);
    var glyph = kindGlyph.get(kinds[index]);
    if (glyph) { cardKind.appendChild(glyph.cloneNode(true)); }
    cardKind.appendChild(make("span", kindLabel.get(kinds[index]) || kinds[index] || "(no kind)"));
    var plain = titles[index] !== labels[index] && titles[index] !== ids[index];
    var summary = c ? c.summary : plain ? titles[index] : "";
    renderActivity(index);
    cardSummary.textContent = summary;
    cardSummary.hidden = !summary;
    clear(cardFields);
    if (c) {
      c.fields.forEach(function (field) {
        addField(cardFields, field[0], field[1].map(renderItem));
      });
    }
    addField(cardFields, "Id", [make("span", ids[index], "igfgraph-id")]);
    clear(cardLinks);
    var groups = neighbourGroups(index);
    groups.forEach(function (group) {
      var members = group[1];
      var elements = members.slice(0, MAX_LINKS).map(function (k) { return nodeButton(k); });
      if (members.length > MAX_LINKS) {
        var more = members.length - MAX_LINKS;
        elements.push(make("span", "and " + more + " more (see the table)"));
      }
      addField(cardLinks, group[0] + " (" + members.length + ")", elements);
    });
    byId("igfgraph-card-links-heading").hidden = groups.length === 0;
    if (cardRow && tableLink) { cardRow.href = tableLink.getAttribute("href") + "#n" + index; }
    card.hidden = false;
    card.setAttribute("data-node", ids[index]);
  }
  function closeCard(restoreFocus) {
    card.hidden = true;
    card.removeAttribute("data-node");
    current = -1;
    network.unselectAll();
    if (restoreFocus) {
      var target = returnFocus && document.body.contains(returnFocus) ? returnFocus : searchBox;
      returnFocus = null;
      if (target) { target.focus(); }
    }
  }
  function openNode(index, moveFocus) {
    if (typeof index === "string") { index = indexOf.get(index); }
    if (index === undefined || index < 0 || index >= count) { return; }
    if (nodeHidden[index]) {
      resetFilters();
      announce("Filters cleared to show " + labels[index] + ".");
    }
    if (moveFocus) {
      var active = document.activeElement;
      if (active && !card.contains(active)) { returnFocus = active; }
    }
    network.selectNodes([ids[index]]);
    network.focus(ids[index], {scale: Math.max(network.getScale(), 1), animation: false});
    showCard(index);
    if (moveFocus) { cardName.focus(); }
  }
  network.on("click", function (params) {
    if (params.nodes.length) {
      showCard(params.nodes[0]);
    } else if (!params.edges.length) {
      closeCard(false);
    }
  });
  byId("igfgraph-card-close").addEventListener("click", function () { closeCard(true); });
  card.addEventListener("keydown", function (event) {
    if (event.key === "Escape") { event.preventDefault(); closeCard(true); }
  });

  // ------------------------------------------------------------------ search
  var results = byId("igfgraph-results");
  var searchStatus = byId("igfgraph-search-status");
  var haystacks = null;
  function fold(text) {
    return String(text).normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  function buildHaystacks() {
    haystacks = [];
    for (var k = 0; k < count; k++) {
      var info = infos[k] || {};
      var names = [labels[k], ids[k]];
      if (info.card) { names.push(info.card.name); }
      if (info.aliases) { names = names.concat(info.aliases); }
      haystacks.push([fold(labels[k]), fold(names.join("\n"))]);
    }
  }
  function search(text) {
    var query = fold(text.trim());
    clear(results);
    if (!query) { searchStatus.textContent = ""; return []; }
    if (haystacks === null) { buildHaystacks(); }
    var found = [];
    for (var k = 0; k < count; k++) {
      var label = haystacks[k][0], all = haystacks[k][1];
      var rank = label === query ? 0 : label.indexOf(query) === 0 ? 1 :
        label.indexOf(query) > 0 ? 2 : all.indexOf(query) >= 0 ? 3 : -1;
      if (rank >= 0) { found.push([rank, label, k]); }
    }
    found.sort(function (x, y) {
      return x[0] - y[0] || (x[1] < y[1] ? -1 : x[1] > y[1] ? 1 : x[2] - y[2]);
    });
    found.slice(0, MAX_RESULTS).forEach(function (hit) {
      var li = make("li");
      var button = make("button", labels[hit[2]], "igfgraph-result");
      button.type = "button";
      var kindText = kindLabel.get(kinds[hit[2]]) || kinds[hit[2]];
      button.appendChild(make("span", " — " + kindText, "igfgraph-result-kind"));
      button.setAttribute("data-node", ids[hit[2]]);
      button.addEventListener("click", function () { openNode(hit[2], true); });
      li.appendChild(button);
      results.appendChild(li);
    });
    searchStatus.textContent = found.length === 0 ? "No match." :
      found.length + (found.length === 1 ? " match" : " matches") +
      (found.length > MAX_RESULTS ? ", the first " + MAX_RESULTS + " listed." : ".") +
      " Down arrow to go through them, Enter to open.";
    return found.map(function (hit) { return ids[hit[2]]; });
  }
  function resultButtons() {
    return Array.prototype.slice.call(results.querySelectorAll("button"));
  }
  searchBox.addEventListener("input", function () { search(searchBox.value); });
  searchBox.addEventListener("keydown", function (event) {
    var buttons = resultButtons();
    if (event.key === "ArrowDown" && buttons.length) {
      event.preventDefault();
      buttons[0].focus();
    } else if (event.key === "Enter") {
      event.preventDefault();
      if (!buttons.length) { search(searchBox.value); buttons = resultButtons(); }
      if (buttons.length) { openNode(buttons[0].getAttribute("data-node"), true); }
    } else if (event.key === "Escape") {
      searchBox.value = "";
      search("");
    }
  });
  results.addEventListener("keydown", function (event) {
    var buttons = resultButtons();
    var at = buttons.indexOf(document.activeElement);
    if (at < 0) { return; }
    if (event.key === "ArrowDown") {
      event.preventDefault();
      buttons[Math.min(at + 1, buttons.length - 1)].focus();
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      if (at === 0) { searchBox.focus(); } else { buttons[at - 1].focus(); }
    } else if (event.key === "Escape") {
      event.preventDefault();
      searchBox.focus();
    }
  });

  // ------------------------------------------------------------------ filters
  var kindOn = new Map(), edgeOn = new Map(), kindGlyph = new Map();
  var toggles = Array.prototype.slice.call(
    document.querySelectorAll("#igfgraph-legend input[type=checkbox]"));
  toggles.forEach(function (box) {
    var li = box.closest("li");
    var which = box.getAttribute("data-table") === "edge" ? edgeOn : kindOn;
    which.set(li.getAttribute("data-kind"), box.checked);
    if (which === kindOn) { kindGlyph.set(li.getAttribute("data-kind"), li.querySelector("svg")); }
    box.addEventListener("change", function () {
      which.set(li.getAttribute("data-kind"), box.checked);
      applyFilters();
    });
  });
  var themeSelect = byId("igfgraph-theme");
  var yearSelect = byId("igfgraph-year");
  var filterStatus = byId("igfgraph-filter-status");
  var nodeHidden = new Uint8Array(count);
  var nodeGrey = new Uint8Array(count);
  var edgeHidden = new Uint8Array(data.edges.length);
  function announce(text) { filterStatus.textContent = text; }
  function applyFilters() {
    var theme = themeSelect ? themeSelect.value : "";
    var year = chosenYear();
    var state = new Uint8Array(count);  // 0 hidden, 1 matches, 2 not judged, 3 shown as context
    var unknown = new Uint8Array(count);  // activity unknown in the chosen year: greyed
    var k, info, s, verdict;
    for (k = 0; k < count; k++) {
      if (kindOn.get(kinds[k]) === false) { state[k] = 0; continue; }
      info = infos[k] || {};
      s = 1;
      if (theme !== "") {
        if (!info.themes) { s = 2; } else if (info.themes.indexOf(theme) < 0) { s = 0; }
      }
      if (s !== 0 && year !== null) {
        verdict = activityIn(k, year);
        if (verdict !== null) {
          if (verdict[0] === "inactive") { s = 0; }
          if (verdict[0] === "unknown") { unknown[k] = 1; }
        } else if (!info.years) { s = 2; } else if (info.years.indexOf(year) < 0) { s = 0; }
      }
      state[k] = s;
    }
    for (k = 0; k < count; k++) {
      if (state[k] !== 2) { continue; }
      state[k] = 0;
      for (var j = 0; j < adjacency[k].length; j++) {
        var e = adjacency[k][j], other = edgeFrom[e] === k ? edgeTo[e] : edgeFrom[e];
        if (state[other] === 1) { state[k] = 3; break; }
      }
    }
    var nodeChanges = [], edgeChanges = [], shownNodes = 0, shownEdges = 0, greyed = 0;
    var hide, grey, change;
    for (k = 0; k < count; k++) {
      hide = state[k] === 0 ? 1 : 0;
      grey = !hide && unknown[k] ? 1 : 0;
      if (!hide) { shownNodes++; }
      if (grey) { greyed++; }
      if (hide !== nodeHidden[k] || grey !== nodeGrey[k]) {
        change = {id: ids[k]};
        if (hide !== nodeHidden[k]) { nodeHidden[k] = hide; change.hidden = !!hide; }
        if (grey !== nodeGrey[k]) {
          nodeGrey[k] = grey;
          change.group = grey ? groupOf[k] + "u" : groupOf[k];
        }
        nodeChanges.push(change);
      }
    }
    for (k = 0; k < edgeKinds.length; k++) {
      hide = edgeOn.get(edgeKinds[k]) === false ? 1 : 0;
      if (!hide && !nodeHidden[edgeFrom[k]] && !nodeHidden[edgeTo[k]]) { shownEdges++; }
      if (hide !== edgeHidden[k]) {
        edgeHidden[k] = hide;
        edgeChanges.push({id: "e" + k, hidden: !!hide});
      }
    }
    if (nodeChanges.length) { nodes.update(nodeChanges); }
    if (edgeChanges.length) { edges.update(edgeChanges); }
    announce("Showing " + shownNodes + " of " + count + " nodes and " + shownEdges + " of " +
      edgeKinds.length + " links." + (greyed ? " " + greyed + " of them greyed: activity " +
      "unknown in " + year + "." : ""));
    if (current >= 0) { renderActivity(current); }
    // re-fit the view to what the filters show, so no match is left off-screen
    if (!playing) {
      var shownIds = [];
      for (k = 0; k < count; k++) { if (!nodeHidden[k]) { shownIds.push(ids[k]); } }
      if (shownIds.length) { network.fit({nodes: shownIds, animation: false}); }
    }
    return shownNodes;
  }
  function resetFilters() {
    toggles.forEach(function (box) {
      box.checked = true;
      var which = box.getAttribute("data-table") === "edge" ? edgeOn : kindOn;
      which.set(box.closest("li").getAttribute("data-kind"), true);
    });
    if (themeSelect) { themeSelect.value = ""; }
    stopPlaying();
    if (yearSelect) { yearSelect.value = ""; syncSlider(); }
    return applyFilters();
  }
  if (themeSelect) { themeSelect.addEventListener("change", applyFilters); }
  // the year slider walks the year filter's options; Play steps through them in turn
  var slider = byId("igfgraph-year-slider");
  var sliderShown = byId("igfgraph-year-shown");
  var playButton = byId("igfgraph-play");
  var playing = false, timer = null;
  var yearOptions = yearSelect ? Array.prototype.slice.call(yearSelect.options)
    .map(function (o) { return o.value; }).filter(function (v) { return v !== ""; }) : [];
  function syncSlider() {
    if (!slider) { return; }
    var at = yearOptions.indexOf(yearSelect.value);
    slider.value = String(at < 0 ? 0 : at);
    sliderShown.textContent = at < 0 ? "any year" : yearOptions[at];
  }
  function showYearAt(at) {
    yearSelect.value = yearOptions[at];
    syncSlider();
    return applyFilters();
  }
  function stopPlaying() {
    if (timer !== null) { window.clearInterval(timer); timer = null; }
    if (playing) {
      playing = false;
      playButton.textContent = "Play";
      playButton.setAttribute("aria-pressed", "false");
      applyFilters();
    }
  }
  function play() {
    if (playing) { stopPlaying(); return; }
    var at = yearOptions.indexOf(yearSelect.value);
    at = at < 0 || at >= yearOptions.length - 1 ? 0 : at + 1;
    playing = true;
    playButton.textContent = "Pause";
    playButton.setAttribute("aria-pressed", "true");
    network.fit({animation: false});
    showYearAt(at);
    timer = window.setInterval(function () {
      var next = yearOptions.indexOf(yearSelect.value) + 1;
      if (next >= yearOptions.length) { stopPlaying(); return; }
      showYearAt(next);
    }, 900);
  }
  if (yearSelect) {
    yearSelect.addEventListener("change", function () { stopPlaying(); syncSlider(); applyFilters(); });
  }
  if (slider && yearOptions.length) {
    slider.addEventListener("input", function () { stopPlaying(); showYearAt(Number(slider.value)); });
    playButton.addEventListener("click", play);
    syncSlider();
  }
  byId("igfgraph-reset").addEventListener("click", resetFilters);
  byId("igfgraph-fit").addEventListener("click", function () { network.fit({animation: false}); });

  window.igfgraph = {
    openNode: openNode,
    showCard: showCard,
    closeCard: closeCard,
    search: search,
    applyFilters: applyFilters,
    resetFilters: resetFilters,
    play: play,
    stop: stopPlaying,
    showYearAt: showYearAt
  };

  function ready() {
    window.igfgraphReady = true;
    container.setAttribute("data-ready", "true");
  }
  // The first fit knows node positions but not label sizes; fit again once drawn, so
  // labels at the edges are not cut, then report ready after that draw. Large maps skip
  // this: their labels are too small to show at that zoom anyway, and a draw is costly.
  function refitThenReady() {
    if (count > 2000) { ready(); return; }
    network.once("afterDrawing", ready);
    network.fit({animation: false});
    window.setTimeout(function () { network.redraw(); }, 0);
  }
  if (data.options.physics.enabled) {
    network.once("stabilizationIterationsDone", function () {
      network.once("afterDrawing", refitThenReady);
      network.redraw();
    });
  } else {
    network.once("afterDrawing", refitThenReady);
  }
})();
