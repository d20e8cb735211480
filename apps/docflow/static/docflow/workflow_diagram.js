/* Workflow diagrams in the desk: the visual builder (mode "edit"), the live
   map ("live") and the read-only diagram on a document's form ("view").
   Layout by the vendored dagre (static/docflow/vendor/dagre-3.1.3); drawing
   in SVG. No inline script (CSP): data comes from json_script elements named
   by the root's data-* attributes. Words come translated from the server. */
(function () {
  "use strict";
  var SVG = "http://www.w3.org/2000/svg";
  var NODE_W = 190;
  var NODE_H = 62;

  function el(name, attrs, parent) {
    var node = document.createElementNS(SVG, name);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (parent) parent.appendChild(node);
    return node;
  }

  function h(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "class") node.className = attrs[k]; else node.setAttribute(k, attrs[k]);
    });
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function json(id) {
    var node = id && document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  function wrap(text, width) {
    var words = String(text || "").split(/\s+/), lines = [], line = "";
    words.forEach(function (w) {
      if (line && (line + " " + w).length > width) { lines.push(line); line = w; }
      else line = line ? line + " " + w : w;
    });
    if (line) lines.push(line);
    if (lines.length > 2) { lines = [lines[0], lines.slice(1).join(" ")]; if (lines[1].length > width) lines[1] = lines[1].slice(0, width - 1) + "…"; }
    return lines.length ? lines : [""];
  }

  function csrfToken() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    if (input) return input.value;
    var m = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return m ? decodeURIComponent(m[1]) : "";
  }

  function fmtDays(value) {
    return (Math.round(value * 10) / 10).toLocaleString("id-ID");
  }

  function Diagram(root) {
    this.root = root;
    this.mode = root.dataset.mode || "view";
    this.data = json(root.dataset.source);
    this.choices = json(root.dataset.choices) || {};
    this.t = json(root.dataset.strings) || {};
    this.stats = null;
    this.problems = [];
    this.selected = null; // {kind: "state", name} | {kind: "transition", index}
    this.dirty = false;
    this.canvas = root.querySelector(".df-canvas");
    this.panel = root.querySelector(".df-panel");
    this.problemList = root.querySelector(".df-problems");
    this.status = root.querySelector(".df-status");
    this.bind();
    this.render();
    if (this.mode === "edit") { this.showPanel(); this.check(); }
    if (root.dataset.statsUrl) this.loadStats();
  }

  Diagram.prototype.bind = function () {
    var self = this;
    var add = this.root.querySelector(".df-add-state");
    if (add) add.addEventListener("click", function () { self.addState(); });
    var save = this.root.querySelector(".df-save");
    if (save) save.addEventListener("click", function () { self.save(); });
    var period = this.root.querySelector(".df-period");
    if (period) period.addEventListener("change", function () { self.loadStats(); });
    ["workflow_name", "document_type", "is_active"].forEach(function (key) {
      var input = self.root.querySelector('[data-wf="' + key + '"]');
      if (!input) return;
      input.addEventListener("change", function () {
        self.data[key] = input.type === "checkbox" ? input.checked : input.value;
        self.changed();
      });
    });
    if (this.mode === "edit") {
      window.addEventListener("beforeunload", function (e) {
        if (self.dirty) { e.preventDefault(); e.returnValue = self.t.unsaved; }
      });
    }
  };

  // --- layout and drawing --------------------------------------------------

  Diagram.prototype.layout = function () {
    var g = new dagre.graphlib.Graph({ multigraph: true });
    g.setGraph({ rankdir: this.mode === "edit" ? "LR" : "TB", nodesep: 36, ranksep: 110, edgesep: 24, marginx: 20, marginy: 20 });
    g.setDefaultEdgeLabel(function () { return {}; });
    this.data.states.forEach(function (s) { g.setNode(s.state, { width: NODE_W, height: NODE_H }); });
    var names = {};
    this.data.states.forEach(function (s) { names[s.state] = true; });
    this.data.transitions.forEach(function (t, i) {
      if (!names[t.state] || !names[t.next_state]) return;
      var label = t.action || "?";
      g.setEdge(t.state, t.next_state, { width: Math.min(180, 8 + label.length * 6.6), height: 18, labelpos: "c" }, "t" + i);
    });
    dagre.layout(g);
    return g;
  };

  Diagram.prototype.problemsFor = function (kind, key) {
    return this.problems.filter(function (p) {
      return kind === "state" ? p.state === key && p.state !== null : p.transition === key;
    });
  };

  Diagram.prototype.render = function () {
    var self = this;
    var g = this.layout();
    var graph = g.graph();
    this.canvas.textContent = "";
    var width = Math.max(graph.width || 0, 300), height = Math.max(graph.height || 0, 120);
    var svg = el("svg", { viewBox: "0 0 " + width + " " + height, width: width, height: height, class: "df-svg", role: "img" }, this.canvas);
    svg.setAttribute("aria-label", this.data.workflow_name || "");
    var defs = el("defs", {}, svg);
    [["df-arrow", "#475569"], ["df-arrow-taken", "#b91c1c"], ["df-arrow-error", "#dc2626"]].forEach(function (m) {
      var marker = el("marker", { id: m[0], viewBox: "0 0 10 10", refX: 10, refY: 5, markerWidth: 11, markerHeight: 11, markerUnits: "userSpaceOnUse", orient: "auto-start-reverse" }, defs);
      el("path", { d: "M0,0 L10,5 L0,10 z", fill: m[1] }, marker);
    });
    this.svg = svg;
    var current = this.data.current, path = this.data.path || [];
    var visited = {};
    path.forEach(function (p) { visited[p.from] = true; visited[p.to] = true; });
    if (this.data.states.length) visited[this.data.states[0].state] = visited[this.data.states[0].state] || path.length > 0;

    var edgeLayer = el("g", { class: "df-edges" }, svg);
    var nodeLayer = el("g", { class: "df-nodes" }, svg);
    g.edges().forEach(function (e) {
      var index = parseInt(e.name.slice(1), 10);
      var t = self.data.transitions[index];
      var info = g.edge(e);
      var pts = info.points;
      var d = "M" + pts[0].x + "," + pts[0].y;
      if (pts.length === 3) d += " Q" + pts[1].x + "," + pts[1].y + " " + pts[2].x + "," + pts[2].y;
      else for (var i = 1; i < pts.length; i++) d += " L" + pts[i].x + "," + pts[i].y;
      var taken = path.some(function (p) { return p.from === t.state && p.to === t.next_state && p.action === t.action; });
      var bad = self.problemsFor("transition", index).length > 0;
      var sel = self.selected && self.selected.kind === "transition" && self.selected.index === index;
      var group = el("g", { class: "df-edge" + (taken ? " df-taken" : "") + (bad ? " df-error" : "") + (sel ? " df-selected" : ""), "data-transition": index }, edgeLayer);
      el("path", { d: d, class: "df-edge-hit" }, group);
      el("path", { d: d, class: "df-edge-line", "marker-end": "url(#" + (bad ? "df-arrow-error" : taken ? "df-arrow-taken" : "df-arrow") + ")" }, group);
      var label = t.action || "?";
      var lw = Math.min(180, 8 + label.length * 6.6);
      el("rect", { x: info.x - lw / 2, y: info.y - 10, width: lw, height: 18, rx: 4, class: "df-edge-label-bg" }, group);
      var text = el("text", { x: info.x, y: info.y + 3, "text-anchor": "middle", class: "df-edge-label" }, group);
      text.textContent = label.length > 28 ? label.slice(0, 27) + "…" : label;
      var title = el("title", {}, group);
      title.textContent = t.state + " → " + (t.action || "?") + " → " + t.next_state + (t.allowed ? " (" + t.allowed + ")" : "");
      if (self.mode === "edit") group.addEventListener("click", function (ev) { ev.stopPropagation(); self.select({ kind: "transition", index: index }); });
    });
    this.data.states.forEach(function (s, i) {
      var n = g.node(s.state);
      if (!n) return;
      var x = n.x - NODE_W / 2, y = n.y - NODE_H / 2;
      var bad = self.problemsFor("state", s.state).length > 0;
      var sel = self.selected && self.selected.kind === "state" && self.selected.name === s.state;
      var cls = "df-node" + (s.is_final ? " df-final" : "") + (i === 0 ? " df-initial" : "") +
        (s.state === current ? " df-current" : "") + (visited[s.state] ? " df-visited" : "") +
        (bad ? " df-error" : "") + (sel ? " df-selected" : "");
      var group = el("g", { class: cls, "data-state": s.state, tabindex: 0 }, nodeLayer);
      el("rect", { x: x, y: y, width: NODE_W, height: NODE_H, rx: 9, class: "df-node-box" }, group);
      var lines = wrap(s.state, 26);
      lines.forEach(function (line, j) {
        var text = el("text", { x: n.x, y: y + 18 + j * 15, "text-anchor": "middle", class: "df-node-name" }, group);
        text.textContent = line;
      });
      var figures = self.stats && self.stats[s.state];
      var sub = el("text", { x: n.x, y: y + NODE_H - 9, "text-anchor": "middle", class: "df-node-stats" }, group);
      if (figures) {
        sub.textContent = figures.count + " " + self.t.documents + (figures.overdue ? " · " + figures.overdue + " " + self.t.overdue : "") +
          (figures.median_days !== null && figures.median_days !== undefined ? " · " + self.t.median + " " + fmtDays(figures.median_days) + " " + self.t.days : "");
        if (figures.overdue) sub.setAttribute("class", "df-node-stats df-late");
      } else if (self.stats) {
        sub.textContent = "0 " + self.t.documents;
      } else if (s.state === current) {
        sub.textContent = self.t.current;
      } else if (i === 0 && self.mode === "edit") {
        sub.textContent = self.t.initial;
      }
      var title = el("title", {}, group);
      title.textContent = s.state + (figures ? " — " + figures.count + " " + self.t.documents : "");
      if (self.mode === "edit") {
        group.addEventListener("click", function (ev) { ev.stopPropagation(); self.select({ kind: "state", name: s.state }); });
        var handle = el("circle", { cx: x + NODE_W, cy: n.y, r: 8, class: "df-handle", "data-handle": s.state }, group);
        var handleTitle = el("title", {}, handle);
        handleTitle.textContent = self.t.select_hint;
        handle.addEventListener("pointerdown", function (ev) { self.startConnect(ev, s.state, x + NODE_W, n.y); });
      } else if (self.mode === "live" && figures && figures.url) {
        group.classList.add("df-link");
        var go = function () { window.location.href = figures.url; };
        group.addEventListener("click", go);
        group.addEventListener("keydown", function (ev) { if (ev.key === "Enter") go(); });
      }
    });
    if (this.mode === "edit") svg.addEventListener("click", function () {
      if (self.justConnected) { self.justConnected = false; return; } // the click that ends a drag
      self.select(null);
    });
  };

  Diagram.prototype.svgPoint = function (ev) {
    var pt = this.svg.createSVGPoint();
    pt.x = ev.clientX; pt.y = ev.clientY;
    return pt.matrixTransform(this.svg.getScreenCTM().inverse());
  };

  Diagram.prototype.startConnect = function (ev, from, x, y) {
    var self = this;
    ev.preventDefault(); ev.stopPropagation();
    var line = el("line", { x1: x, y1: y, x2: x, y2: y, class: "df-drag-line" }, this.svg);
    var move = function (e) { var p = self.svgPoint(e); line.setAttribute("x2", p.x); line.setAttribute("y2", p.y); };
    var up = function (e) {
      document.removeEventListener("pointermove", move);
      document.removeEventListener("pointerup", up);
      line.remove();
      self.justConnected = true;
      setTimeout(function () { self.justConnected = false; }, 0);
      var target = document.elementFromPoint(e.clientX, e.clientY);
      var node = target && target.closest && target.closest("[data-state]");
      if (node) self.addTransition(from, node.getAttribute("data-state"));
    };
    document.addEventListener("pointermove", move);
    document.addEventListener("pointerup", up);
  };

  // --- editing -----------------------------------------------------------------

  Diagram.prototype.changed = function (rerender) {
    this.dirty = true;
    if (this.status) { this.status.textContent = this.t.unsaved; this.status.className = "df-status"; }
    if (rerender !== false) this.render();
    this.scheduleCheck();
  };

  Diagram.prototype.addState = function () {
    var names = {}, n = 1, name;
    this.data.states.forEach(function (s) { names[s.state] = true; });
    do { name = this.t.new_state + " " + n++; } while (names[name]);
    this.data.states.push({ state: name, doc_status: 0, allow_edit: null, update_field: "", update_value: "", is_final: false, sla_days: null, numbering_series: null, print_format: null });
    this.selected = { kind: "state", name: name };
    this.changed();
    this.showPanel();
  };

  Diagram.prototype.addTransition = function (from, to) {
    this.data.transitions.push({ state: from, action: this.t.new_action, next_state: to, allowed: "", condition: "", allow_self_approval: true, require_comment: false, require_attachment: false, on_behalf_of: "", quorum: 1 });
    this.selected = { kind: "transition", index: this.data.transitions.length - 1 };
    this.changed();
    this.showPanel();
  };

  Diagram.prototype.select = function (what) {
    this.selected = what;
    this.render();
    this.showPanel();
  };

  Diagram.prototype.field = function (label, input, problems) {
    var wrapEl = h("div", { class: "df-field" });
    var id = "df-" + Math.random().toString(36).slice(2);
    input.id = id;
    if (input.type === "checkbox") {
      var row = h("label", { class: "df-check", for: id });
      row.appendChild(input);
      row.appendChild(document.createTextNode(" " + label));
      wrapEl.appendChild(row);
    } else {
      wrapEl.appendChild(h("label", { for: id }, label));
      wrapEl.appendChild(input);
    }
    (problems || []).forEach(function (p) { wrapEl.appendChild(h("div", { class: "df-field-error" }, p)); });
    return wrapEl;
  };

  Diagram.prototype.select_ = function (options, value, allowEmpty) {
    var self = this;
    var input = h("select");
    if (allowEmpty) input.appendChild(h("option", { value: "" }, self.t.none));
    options.forEach(function (o) {
      var v = Array.isArray(o) ? o[0] : o, l = Array.isArray(o) ? o[1] : o;
      var opt = h("option", { value: v }, l);
      if (String(v) === String(value === null || value === undefined ? "" : value)) opt.selected = true;
      input.appendChild(opt);
    });
    if (value && !options.some(function (o) { return String(Array.isArray(o) ? o[0] : o) === String(value); })) {
      var unknown = h("option", { value: value }, value); unknown.selected = true; input.appendChild(unknown);
    }
    return input;
  };

  Diagram.prototype.showPanel = function () {
    if (!this.panel) return;
    var active = document.activeElement;
    var prop = active && this.panel.contains(active) ? active.getAttribute("data-prop") : null;
    this.buildPanel();
    if (prop) {
      var again = this.panel.querySelector('[data-prop="' + prop + '"]');
      if (again) again.focus();
    }
  };

  Diagram.prototype.buildPanel = function () {
    var self = this;
    this.panel.textContent = "";
    var sel = this.selected;
    if (!sel) { this.panel.appendChild(h("p", { class: "df-hint" }, this.t.select_hint)); return; }
    if (sel.kind === "state") {
      var index = this.data.states.findIndex(function (s) { return s.state === sel.name; });
      if (index < 0) { this.selected = null; return this.buildPanel(); }
      var s = this.data.states[index];
      var messages = this.problemsFor("state", s.state).map(function (p) { return p.message; });
      this.panel.appendChild(h("h3", {}, this.t.state + (index === 0 ? " (" + this.t.initial + ")" : "")));
      messages.forEach(function (m) { self.panel.appendChild(h("div", { class: "df-field-error" }, m)); });
      var name = h("input", { type: "text", value: s.state, "data-prop": "state" });
      name.addEventListener("change", function () {
        var old = s.state, neu = name.value.trim();
        if (!neu || neu === old) { name.value = old; return; }
        s.state = neu;
        self.data.transitions.forEach(function (t) { if (t.state === old) t.state = neu; if (t.next_state === old) t.next_state = neu; });
        self.selected = { kind: "state", name: neu };
        self.changed(); self.showPanel();
      });
      this.panel.appendChild(this.field(this.t.name, name));
      var bind = function (input, key, kind) {
        input.setAttribute("data-prop", key);
        input.addEventListener("change", function () {
          var v = input.type === "checkbox" ? input.checked : input.value;
          if (kind === "int") v = v === "" ? null : parseInt(v, 10);
          if (kind === "null" && v === "") v = null;
          s[key] = v; self.changed();
        });
        return input;
      };
      this.panel.appendChild(this.field(this.t.doc_status, bind(this.select_(this.choices.doc_status || [], s.doc_status, false), "doc_status", "int")));
      this.panel.appendChild(this.field(this.t.allow_edit, bind(this.select_(this.choices.roles || [], s.allow_edit, true), "allow_edit", "null")));
      this.panel.appendChild(this.field(this.t.sla_days, bind(h("input", { type: "number", min: 0, value: s.sla_days === null ? "" : s.sla_days }), "sla_days", "int")));
      var fin = h("input", { type: "checkbox" }); fin.checked = !!s.is_final;
      this.panel.appendChild(this.field(this.t.is_final, bind(fin, "is_final")));
      this.panel.appendChild(this.field(this.t.numbering, bind(this.select_(this.choices.series || [], s.numbering_series, true), "numbering_series", "null")));
      this.panel.appendChild(this.field(this.t.print_format, bind(this.select_(this.choices.print_formats || [], s.print_format, true), "print_format", "null")));
      this.panel.appendChild(this.field(this.t.update_field, bind(this.select_(this.choices.fields || [], s.update_field, true), "update_field")));
      this.panel.appendChild(this.field(this.t.update_value, bind(h("input", { type: "text", value: s.update_value || "" }), "update_value")));
      var figures = this.stats && this.stats[s.state];
      if (figures && figures.url) this.panel.appendChild(h("a", { href: figures.url, class: "df-open-list" }, this.t.open_list + " (" + figures.count + ")"));
      var buttons = h("div", { class: "df-buttons" });
      if (index > 0) {
        var initial = h("button", { type: "button", class: "df-button" }, this.t.make_initial);
        initial.addEventListener("click", function () { self.data.states.splice(index, 1); self.data.states.unshift(s); self.changed(); self.showPanel(); });
        buttons.appendChild(initial);
      }
      var del = h("button", { type: "button", class: "df-button df-danger" }, this.t.delete_state);
      del.addEventListener("click", function () {
        self.data.states.splice(index, 1);
        self.data.transitions = self.data.transitions.filter(function (t) { return t.state !== s.state && t.next_state !== s.state; });
        self.selected = null; self.changed(); self.showPanel();
      });
      buttons.appendChild(del);
      this.panel.appendChild(buttons);
      return;
    }
    var t = this.data.transitions[sel.index];
    if (!t) { this.selected = null; return this.buildPanel(); }
    var tMessages = this.problemsFor("transition", sel.index).map(function (p) { return p.message; });
    this.panel.appendChild(h("h3", {}, this.t.transition));
    tMessages.forEach(function (m) { self.panel.appendChild(h("div", { class: "df-field-error" }, m)); });
    var stateNames = this.data.states.map(function (s) { return s.state; });
    var tbind = function (input, key, kind) {
      input.setAttribute("data-prop", key);
      input.addEventListener("change", function () {
        var v = input.type === "checkbox" ? input.checked : input.value;
        if (kind === "int") v = v === "" ? 1 : parseInt(v, 10);
        t[key] = v; self.changed();
      });
      return input;
    };
    this.panel.appendChild(this.field(this.t.action, tbind(h("input", { type: "text", value: t.action }), "action")));
    this.panel.appendChild(this.field(this.t.from, tbind(this.select_(stateNames, t.state, false), "state")));
    this.panel.appendChild(this.field(this.t.to, tbind(this.select_(stateNames, t.next_state, false), "next_state")));
    this.panel.appendChild(this.field(this.t.role, tbind(this.select_(this.choices.roles || [], t.allowed, true), "allowed")));
    var cond = tbind(h("textarea", { rows: 3, spellcheck: "false" }), "condition");
    cond.value = t.condition || "";
    this.panel.appendChild(this.field(this.t.condition, cond));
    var picker = this.select_(this.choices.fields || [], "", false);
    picker.insertBefore(h("option", { value: "" }, this.t.insert_field), picker.firstChild);
    picker.value = "";
    picker.setAttribute("data-prop", "field-picker");
    picker.addEventListener("change", function () {
      if (!picker.value) return;
      var insert = "doc." + picker.value;
      var at = cond.selectionStart || cond.value.length;
      cond.value = cond.value.slice(0, at) + insert + cond.value.slice(cond.selectionEnd || at);
      picker.value = "";
      t.condition = cond.value; self.changed();
      cond.focus();
    });
    this.panel.appendChild(this.field(this.t.insert_field, picker));
    var flags = [["require_comment", this.t.require_comment], ["require_attachment", this.t.require_attachment], ["allow_self_approval", this.t.allow_self_approval]];
    flags.forEach(function (f) {
      var box = h("input", { type: "checkbox" }); box.checked = !!t[f[0]];
      self.panel.appendChild(self.field(f[1], tbind(box, f[0])));
    });
    this.panel.appendChild(this.field(this.t.on_behalf_of, tbind(h("input", { type: "text", value: t.on_behalf_of || "" }), "on_behalf_of")));
    this.panel.appendChild(this.field(this.t.quorum, tbind(h("input", { type: "number", min: 1, value: t.quorum || 1 }), "quorum", "int")));
    var buttons = h("div", { class: "df-buttons" });
    var del = h("button", { type: "button", class: "df-button df-danger" }, this.t.delete_transition);
    del.addEventListener("click", function () { self.data.transitions.splice(sel.index, 1); self.selected = null; self.changed(); self.showPanel(); });
    buttons.appendChild(del);
    this.panel.appendChild(buttons);
  };

  // --- server: check, save, figures ---------------------------------------------

  Diagram.prototype.spec = function () {
    return {
      workflow_name: this.data.workflow_name, document_type: this.data.document_type, is_active: this.data.is_active,
      description: this.data.description || "", states: this.data.states, transitions: this.data.transitions
    };
  };

  Diagram.prototype.post = function (url) {
    return fetch(url, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
      body: JSON.stringify(this.spec())
    }).then(function (r) { return r.json(); });
  };

  Diagram.prototype.scheduleCheck = function () {
    var self = this;
    clearTimeout(this.checkTimer);
    this.root.setAttribute("data-busy", "1");
    this.checkTimer = setTimeout(function () { self.check(); }, 350);
  };

  Diagram.prototype.setProblems = function (problems) {
    var self = this;
    this.problems = problems || [];
    this.render();
    this.showPanel();
    if (!this.problemList) return;
    this.problemList.textContent = "";
    if (!this.problems.length) { this.problemList.appendChild(h("p", { class: "df-ok" }, this.t.no_problems)); return; }
    this.problemList.appendChild(h("h3", {}, this.t.problems + " (" + this.problems.length + ")"));
    var list = h("ul");
    this.problems.forEach(function (p) {
      var item = h("li", {}, p.message);
      if (p.state !== null || p.transition !== null) {
        item.className = "df-problem-link";
        item.addEventListener("click", function () {
          self.select(p.state !== null ? { kind: "state", name: p.state } : { kind: "transition", index: p.transition });
        });
      }
      list.appendChild(item);
    });
    this.problemList.appendChild(list);
  };

  Diagram.prototype.check = function () {
    var self = this;
    if (!this.root.dataset.checkUrl) return;
    var seq = (this.checkSeq = (this.checkSeq || 0) + 1);
    this.post(this.root.dataset.checkUrl).then(function (body) {
      if (seq !== self.checkSeq) return;
      self.setProblems(body.problems);
      self.root.removeAttribute("data-busy");
    }).catch(function () { self.root.removeAttribute("data-busy"); });
  };

  Diagram.prototype.save = function () {
    var self = this;
    clearTimeout(this.checkTimer);
    this.post(this.root.dataset.saveUrl).then(function (body) {
      if (body.ok) {
        self.dirty = false;
        if (self.status) { self.status.textContent = body.message || self.t.saved; self.status.className = "df-status df-saved"; }
        if (body.url && body.url !== window.location.pathname) { window.location.href = body.url; return; }
        self.data = Object.assign(self.data, body.diagram);
        self.setProblems([]);
      } else {
        if (self.status) { self.status.textContent = self.t.save_failed; self.status.className = "df-status df-failed"; }
        self.setProblems(body.problems);
      }
    }).catch(function () {
      if (self.status) { self.status.textContent = self.t.network_error; self.status.className = "df-status df-failed"; }
    });
  };

  Diagram.prototype.loadStats = function () {
    var self = this;
    var period = this.root.querySelector(".df-period");
    var url = this.root.dataset.statsUrl + (period ? "?hari=" + encodeURIComponent(period.value) : "");
    fetch(url, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (body) {
      if (!body.ok) return;
      self.stats = body.states;
      self.root.setAttribute("data-stats-loaded", "1");
      self.render();
      if (self.mode === "edit") self.showPanel();
    }).catch(function () {});
  };

  function start() {
    document.querySelectorAll(".df-diagram").forEach(function (root) {
      if (!root.dfDiagram) root.dfDiagram = new Diagram(root);
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
