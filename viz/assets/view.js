/* skillgraph views: draws the page's network with vis-network, at the server's positions.
 * Filters (country, organisation type, kind), a search box, neighbourhood highlight on
 * click and a details panel linking to the entity's API page. No request leaves the page.
 * For tests and scripting the objects are exposed as window.skillgraph (and window.network,
 * window.nodes, window.edges). */
(function () {
  "use strict";
  var MUTED = "rgba(200,200,200,0.45)";
  var data = JSON.parse(document.getElementById("view-data").textContent);
  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var byId = new Map(data.nodes.map(function (n) { return [n.id, n]; }));
  var nodeColours = new Map(data.nodes.map(function (n) { return [n.id, n.color]; }));
  var edgeColours = new Map(data.edges.map(function (e) { return [e.id, e.color]; }));
  var labels = new Map(data.nodes.map(function (n) { return [n.id, String(n.label || "")]; }));
  var sizes = new Map(data.nodes.map(function (n) { return [n.id, n.size || 10]; }));
  var state = { country: "", type: "", kind: "" };
  var highlighted = null;

  function visibleNode(n) {
    if (state.kind && n.kind !== state.kind) return false;
    if (state.country && n.located && (n.countries || []).indexOf(state.country) < 0) return false;
    if (state.type && n.orgType && n.orgType !== state.type) return false;
    return true;
  }
  var shown = new Set();
  function recompute() {
    shown = new Set();
    data.nodes.forEach(function (n) { if (visibleNode(n)) shown.add(n.id); });
  }
  recompute();
  var nodeView = new vis.DataView(nodes, { filter: function (n) { return shown.has(n.id); } });
  var edgeView = new vis.DataView(edges, {
    filter: function (e) { return shown.has(e.from) && shown.has(e.to); }
  });

  var many = data.nodes.length > 800;
  var options = {
    autoResize: true,
    physics: { enabled: false },
    layout: { improvedLayout: false, randomSeed: 7 },
    interaction: { hover: !many, tooltipDelay: 150, hideEdgesOnDrag: many, hideEdgesOnZoom: many, navigationButtons: false },
    nodes: { shape: "dot", font: { size: 13, face: "system-ui, sans-serif" }, borderWidth: 1 },
    edges: { smooth: false, width: 1, selectionWidth: 2, font: { size: 11, align: "middle", strokeWidth: 3 },
             color: { inherit: false } }
  };
  var container = document.getElementById("network");
  var network = new vis.Network(container, { nodes: nodeView, edges: edgeView }, options);

  // Labels: the same size on screen at every zoom, drawn only where they fit. Largest nodes
  // first, a label is shown when its box overlaps no label already placed, so zooming out
  // keeps the main names and zooming in reveals the others, never a pile of text.
  var LABEL_PX = 13;
  var labelled = new Set();
  function layoutLabels() {
    var scale = network.getScale();
    var ids = nodeView.getIds();
    var positions = network.getPositions(ids);
    var width = container.clientWidth, height = container.clientHeight;
    ids.sort(function (a, b) { return sizes.get(b) - sizes.get(a) || (a < b ? -1 : 1); });
    var placed = [], updates = [], next = new Set();
    ids.forEach(function (id) {
      var text = labels.get(id);
      var p = network.canvasToDOM(positions[id]);
      var w = text.length * LABEL_PX * 0.58, h = LABEL_PX * 1.35, r = sizes.get(id) * scale;
      var box = { x1: p.x - w / 2, x2: p.x + w / 2, y1: p.y + r, y2: p.y + r + h };
      var fits = text && box.x2 > 0 && box.x1 < width && box.y2 > 0 && box.y1 < height &&
        placed.every(function (b) { return box.x2 < b.x1 || box.x1 > b.x2 || box.y2 < b.y1 || box.y1 > b.y2; });
      if (fits) { placed.push(box); next.add(id); }
      updates.push({ id: id, label: fits ? text : "", font: { size: LABEL_PX / scale } });
    });
    labelled = next;
    nodes.update(updates);
  }
  var labelTimer = null;
  function relabelSoon() {
    clearTimeout(labelTimer);
    labelTimer = setTimeout(layoutLabels, 80);
  }
  network.on("zoom", relabelSoon);
  network.on("dragEnd", relabelSoon);
  window.addEventListener("resize", relabelSoon);

  function counts() {
    document.getElementById("counts").textContent =
      nodeView.length + " of " + data.nodes.length + " nodes, " + edgeView.length + " edges";
  }

  // Edges in the plain grey stay as they are when a node is highlighted (only the lit ones
  // and the coloured ones change): updating thousands of edges would slow every click.
  var PLAIN = "#b0b0b0", LIT = "#444444";
  var touched = [];

  function clearHighlight() {
    if (highlighted === null) return;
    highlighted = null;
    nodes.update(data.nodes.map(function (n) { return { id: n.id, color: nodeColours.get(n.id) }; }));
    edges.update(touched.map(function (id) { return { id: id, color: edgeColours.get(id) }; }));
    touched = [];
  }

  function highlight(id) {
    if (highlighted !== null) clearHighlight();
    var keep = new Set(network.getConnectedNodes(id));
    keep.add(id);
    highlighted = keep;
    nodes.update(data.nodes.map(function (n) {
      return { id: n.id, color: keep.has(n.id) ? nodeColours.get(n.id) : MUTED };
    }));
    var lit = new Set(network.getConnectedEdges(id));
    var changes = [];
    data.edges.forEach(function (e) {
      var plain = edgeColours.get(e.id) === PLAIN;
      if (lit.has(e.id)) changes.push({ id: e.id, color: plain ? LIT : edgeColours.get(e.id) });
      else if (!plain) changes.push({ id: e.id, color: MUTED });
    });
    touched = changes.map(function (c) { return c.id; });
    edges.update(changes);
  }

  function el(tag, text) {
    var node = document.createElement(tag);
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function showDetails(id) {
    var panel = document.getElementById("details");
    panel.replaceChildren(el("h2", "Details"));
    var n = byId.get(id);
    if (!n) { panel.appendChild(el("p", "Click a node to see it here.")); return; }
    panel.appendChild(el("h3", n.name || labels.get(n.id)));
    var list = el("dl");
    (n.details || []).forEach(function (pair) {
      list.appendChild(el("dt", pair[0]));
      list.appendChild(el("dd", pair[1]));
    });
    panel.appendChild(list);
    if (n.link) {
      var a = el("a", "Open its page");
      a.href = data.apiUrl + n.link;
      a.id = "details-link";
      panel.appendChild(el("p")).appendChild(a);
    }
    if (n.view) {
      var v = el("a", "Open its graph view");
      v.href = data.apiUrl + n.view;
      v.id = "details-view";
      panel.appendChild(el("p")).appendChild(v);
    }
    var near = network.getConnectedNodes(id);
    panel.appendChild(el("p", near.length + " neighbours shown lit"));
  }

  // The filters, the search and the selection live in the URL's fragment, so that a copied
  // link reopens the same view (the fragment never reaches the server: pages stay cached).
  var FILTERS = ["country", "type", "kind"];
  var selected = null;
  function writeState() {
    var state = new URLSearchParams();
    FILTERS.forEach(function (name) {
      var value = document.getElementById("filter-" + name).value;
      if (value) state.set(name, value);
    });
    var q = document.getElementById("search").value.trim();
    if (q) state.set("q", q);
    if (selected) state.set("select", selected);
    var fragment = state.toString();
    history.replaceState(null, "", location.pathname + location.search + (fragment ? "#" + fragment : ""));
  }

  function select(id) {
    selected = id;
    network.selectNodes([id]);
    highlight(id);
    showDetails(id);
    writeState();
  }

  network.on("click", function (params) {
    if (params.nodes.length) {
      select(params.nodes[0]);
    } else {
      selected = null;
      clearHighlight();
      showDetails(null);
      writeState();
    }
  });

  function applyFilters() {
    ["country", "type", "kind"].forEach(function (name) {
      state[name] = document.getElementById("filter-" + name).value;
    });
    clearHighlight();
    recompute();
    nodeView.refresh();
    edgeView.refresh();
    counts();
    layoutLabels();
    if (selected && !shown.has(selected)) { selected = null; network.unselectAll(); showDetails(null); }
    writeState();
  }
  ["country", "type", "kind"].forEach(function (name) {
    document.getElementById("filter-" + name).addEventListener("change", applyFilters);
  });
  document.getElementById("reset").addEventListener("click", function () {
    ["country", "type", "kind"].forEach(function (name) {
      document.getElementById("filter-" + name).value = "";
    });
    document.getElementById("search").value = "";
    selected = null;
    applyFilters();
    network.unselectAll();
    showDetails(null);
    network.fit({ animation: false });
    layoutLabels();
  });

  var names = document.getElementById("names");
  var fragment = document.createDocumentFragment();
  data.nodes.forEach(function (n) {
    var option = document.createElement("option");
    option.value = n.name || labels.get(n.id);
    fragment.appendChild(option);
  });
  names.appendChild(fragment);

  function find(query) {
    var q = query.trim().toLowerCase();
    if (!q) return null;
    var exact = null, partial = null;
    data.nodes.forEach(function (n) {
      var name = String(n.name || labels.get(n.id) || "").toLowerCase();
      var bare = n.id.slice(n.id.indexOf(":") + 1).toLowerCase();
      if (!exact && (name === q || bare === q)) exact = n;
      if (!partial && (name.indexOf(q) >= 0 || bare.indexOf(q) >= 0)) partial = n;
    });
    return exact || partial;
  }
  function search() {
    var input = document.getElementById("search");
    var n = find(input.value);
    input.setCustomValidity("");
    if (!n) { input.setCustomValidity("no node matches"); input.reportValidity(); return null; }
    if (!shown.has(n.id)) {
      input.setCustomValidity("hidden by the filters: press Reset"); input.reportValidity(); return null;
    }
    select(n.id);
    network.focus(n.id, { scale: 1.2, animation: false });
    layoutLabels();
    return n.id;
  }
  var searchBox = document.getElementById("search");
  searchBox.addEventListener("change", search);
  searchBox.addEventListener("keydown", function (event) { if (event.key === "Enter") search(); });

  var api = {
    network: network, nodes: nodes, edges: edges, nodeView: nodeView, edgeView: edgeView,
    ready: false, search: function (q) { searchBox.value = q; return search(); },
    labelled: function () { return Array.from(labelled); }, layoutLabels: layoutLabels,
    highlighted: function () { return highlighted ? Array.from(highlighted) : []; }
  };
  network.once("afterDrawing", function () {
    api.ready = true;
    api.readyAt = performance.now();
    document.body.dataset.ready = "true";
  });
  function restoreState() {
    var state = new URLSearchParams(location.hash.slice(1));
    FILTERS.forEach(function (name) {
      var box = document.getElementById("filter-" + name);
      var value = state.get(name);
      if (value && Array.prototype.some.call(box.options, function (o) { return o.value === value; })) {
        box.value = value;
      }
    });
    applyFilters();
    if (state.get("q")) searchBox.value = state.get("q");
    var id = state.get("select");
    if (id && shown.has(id)) {
      select(id);
      network.focus(id, { scale: 1.2, animation: false });
      layoutLabels();
    } else if (state.get("q")) {
      search();
    }
  }
  window.skillgraph = api;
  window.network = network;
  window.nodes = nodes;
  window.edges = edges;
  counts();
  network.fit({ animation: false });
  layoutLabels();
  if (location.hash.length > 1) restoreState();
})();
