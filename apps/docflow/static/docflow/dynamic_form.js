/* depends_on, mandatory_depends_on and read_only_depends_on of a data-defined
   doctype, live in the form. The same expressions are checked again on the
   server; this only shows and hides. A small parser for the safe subset the
   server accepts (doc.field, literals, comparisons, and/or/not, in), never eval. */
(function () {
  "use strict";
  function tokenize(src) {
    var re = /\s*(?:(\d+(?:\.\d+)?)|("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')|(==|!=|<=|>=|<|>|\(|\)|\.|,|\[|\])|([A-Za-z_][A-Za-z0-9_]*))/y;
    var out = [], m;
    re.lastIndex = 0;
    while (re.lastIndex < src.length) {
      var start = re.lastIndex;
      m = re.exec(src);
      if (!m) { if (/^\s*$/.test(src.slice(start))) break; throw new Error("token"); }
      if (m[1] !== undefined) out.push({t: "num", v: parseFloat(m[1])});
      else if (m[2] !== undefined) out.push({t: "str", v: m[2].slice(1, -1)});
      else if (m[3] !== undefined) out.push({t: "op", v: m[3]});
      else if (m[4] !== undefined) out.push({t: "id", v: m[4]});
    }
    return out;
  }
  function parse(tokens, doc) {
    var i = 0;
    function peek() { return tokens[i]; }
    function next() { return tokens[i++]; }
    function isOp(v) { var t = peek(); return t && (t.t === "op" || t.t === "id") && t.v === v; }
    function primary() {
      var t = next();
      if (!t) throw new Error("end");
      if (t.t === "num" || t.t === "str") return t.v;
      if (t.t === "op" && t.v === "(") { var v = or(); next(); return v; }
      if (t.t === "op" && t.v === "[") {
        var items = [];
        while (!isOp("]")) { items.push(or()); if (isOp(",")) next(); }
        next(); return items;
      }
      if (t.t === "id") {
        if (t.v === "True" || t.v === "true") return true;
        if (t.v === "False" || t.v === "false") return false;
        if (t.v === "None" || t.v === "null") return null;
        if (t.v === "doc" && isOp(".")) { next(); var name = next().v; return doc(name); }
        return doc(t.v);
      }
      throw new Error("syntax");
    }
    function cmp() {
      var left = primary();
      while (peek() && ["==", "!=", "<", ">", "<=", ">="].indexOf(peek().v) >= 0 || isOp("in")) {
        var op = next().v, right = primary();
        if (op === "==") left = left == right;
        else if (op === "!=") left = left != right;
        else if (op === "<") left = left < right;
        else if (op === ">") left = left > right;
        else if (op === "<=") left = left <= right;
        else if (op === ">=") left = left >= right;
        else if (op === "in") left = right && right.indexOf ? right.indexOf(left) >= 0 : false;
      }
      return left;
    }
    function not() { if (isOp("not")) { next(); return !not(); } return cmp(); }
    function and() { var v = not(); while (isOp("and")) { next(); var r = not(); v = v && r; } return v; }
    function or() { var v = and(); while (isOp("or")) { next(); var r = and(); v = v || r; } return v; }
    return or();
  }
  function value(form, name) {
    var el = form.elements.namedItem(name);
    if (!el) return null;
    if (el.type === "checkbox") return el.checked;
    var v = el.value;
    if (v === "") return "";
    return isNaN(v) || el.tagName === "SELECT" && isNaN(parseFloat(v)) ? v : (/^-?\d+(\.\d+)?$/.test(v) ? parseFloat(v) : v);
  }
  function holds(expr, form) {
    try { return !!parse(tokenize(expr), function (n) { return value(form, n); }); } catch (e) { return true; }
  }
  function box(el, name) {
    return el.closest(".field-" + name) || el.closest(".form-row") || el.parentElement;
  }
  function apply(form) {
    form.querySelectorAll("[data-docflow-rule]").forEach(function (el) {
      var rule = JSON.parse(el.getAttribute("data-docflow-rule"));
      var b = box(el, el.name);
      if (rule.depends_on) b.style.display = holds(rule.depends_on, form) ? "" : "none";
      if (rule.mandatory_depends_on) el.required = holds(rule.mandatory_depends_on, form) && b.style.display !== "none";
      if (rule.read_only_depends_on) el.readOnly = holds(rule.read_only_depends_on, form);
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form").forEach(function (form) {
      if (!form.querySelector("[data-docflow-rule]")) return;
      apply(form);
      form.addEventListener("input", function () { apply(form); });
      form.addEventListener("change", function () { apply(form); });
    });
  });
})();
