/* The DocType builder's live preview: the form as staff will see it, redrawn
   from the field rows while the administrator edits them (before saving). */
(function () {
  "use strict";
  var INPUT = {
    "Data": "text", "Int": "number", "Float": "number", "Currency": "number", "Percent": "number",
    "Date": "date", "Datetime": "datetime-local", "Time": "time", "Attach": "file", "Attach Image": "file",
    "Link": "text", "Dynamic Link": "text", "Read Only": "text"
  };
  function rows() {
    var out = [];
    document.querySelectorAll('[name^="fields-"][name$="-fieldtype"]').forEach(function (typeEl) {
      var prefix = typeEl.name.slice(0, -"fieldtype".length);
      if (prefix.indexOf("__prefix__") >= 0) return;
      function val(k) { var el = document.querySelector('[name="' + prefix + k + '"]'); return el ? (el.type === "checkbox" ? el.checked : el.value) : ""; }
      if (val("DELETE") === true || val("is_removed") === true) return;
      out.push({
        fieldname: val("fieldname"), label: val("label") || val("fieldname"), fieldtype: typeEl.value,
        options: val("options"), reqd: val("reqd"), depends_on: val("depends_on"), idx: parseInt(val("idx") || "0", 10)
      });
    });
    out.sort(function (a, b) { return a.idx - b.idx; });
    return out;
  }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function control(f) {
    var t = f.fieldtype, input;
    if (t === "Check") { input = el("input"); input.type = "checkbox"; return input; }
    if (t === "Select") {
      input = el("select", "border rounded px-2 py-1 w-full");
      (f.options || "").split("\n").forEach(function (o) { if (o.trim()) { var op = el("option", "", o.trim()); input.appendChild(op); } });
      return input;
    }
    if (t === "Small Text" || t === "Text" || t === "Text Editor") { return el("textarea", "border rounded px-2 py-1 w-full"); }
    if (t === "Table" || t === "Table MultiSelect") { return el("div", "border rounded px-2 py-3 text-sm text-base-500", "Tabel " + (f.options || "?") + ": baris ditambahkan di sini"); }
    if (t === "HTML") { return el("div", "text-sm text-base-500", "(HTML)"); }
    input = el("input", "border rounded px-2 py-1 w-full");
    input.type = INPUT[t] || "text";
    if (t === "Link") input.placeholder = "Pilih " + (f.options || "");
    return input;
  }
  function render(target) {
    target.innerHTML = "";
    var section = el("fieldset", "border rounded p-3 mb-3"), columns = el("div", "flex gap-4"), column = el("div", "flex-1 flex flex-col gap-2");
    columns.appendChild(column); section.appendChild(columns); target.appendChild(section);
    rows().forEach(function (f) {
      if (f.fieldtype === "Section Break" || f.fieldtype === "Tab Break") {
        section = el("fieldset", "border rounded p-3 mb-3");
        if (f.label) section.appendChild(el("legend", "font-semibold px-1", (f.fieldtype === "Tab Break" ? "Tab: " : "") + f.label));
        columns = el("div", "flex gap-4"); column = el("div", "flex-1 flex flex-col gap-2");
        columns.appendChild(column); section.appendChild(columns); target.appendChild(section);
        return;
      }
      if (f.fieldtype === "Column Break") { column = el("div", "flex-1 flex flex-col gap-2"); columns.appendChild(column); return; }
      var box = el("label", "flex flex-col gap-1 text-sm");
      box.appendChild(el("span", "font-medium", f.label + (f.reqd === true ? " *" : "")));
      box.appendChild(control(f));
      if (f.depends_on) box.appendChild(el("span", "text-xs text-base-500", "Tampil jika: " + f.depends_on));
      column.appendChild(box);
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    var target = document.getElementById("docflow-doctype-preview");
    if (!target) return;
    var redraw = function () { render(target); };
    redraw();
    document.addEventListener("input", redraw);
    document.addEventListener("change", redraw);
    var group = document.getElementById("fields-group");  // rows added or removed
    if (group) new MutationObserver(redraw).observe(group, {childList: true, subtree: true});
  });
})();
