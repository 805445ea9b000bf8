(function () {
  "use strict";
  // The findings list. Every value comes from the directory and is
  // written with textContent only; nothing is parsed as HTML.
  var data = JSON.parse(document.getElementById("findings-data").textContent);
  var SEV = ["critical", "high", "medium", "low", "info"];
  var rank = { critical: 5, high: 4, medium: 3, low: 2, info: 1 };
  var hidden = /[\u200B-\u200F\u202A-\u202E\u2060\u2066-\u2069\u061C\uFEFF]/g;
  function visible(s) {
    return String(s).replace(hidden, function (c) {
      return "\u27E8U+" + c.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0") + "\u27E9";
    });
  }
  function $(id) { return document.getElementById(id); }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined) { e.textContent = text; }
    return e;
  }

  var all = data.findings.map(function (f, i) {
    var r = { i: i, sev: f[0], rule: f[1], area: f[2], kind: f[3], id: f[4], name: f[5], msg: f[6],
      status: f[7], supp: f[8], fp: f[9], ev: f[10], rem: f[11] };
    r.obj = r.name || r.id;
    r.hay = [r.rule, (data.rules[r.rule] || [""])[0], r.sev, r.area, r.kind, r.id, r.name, r.msg, r.status, r.fp, r.supp]
      .join("\n").toLowerCase();
    return r;
  });
  var state = { q: "", sev: "", rule: "", area: "", status: "", kind: "", supp: "", key: "sev", dir: -1, page: 0, size: 100 };
  var shown = all;
  var collator = new Intl.Collator(undefined, { sensitivity: "base", numeric: true });

  function filter() {
    var q = state.q.toLowerCase().trim();
    var terms = q ? q.split(/\s+/) : [];
    shown = all.filter(function (r) {
      if (state.sev && r.sev !== state.sev) { return false; }
      if (state.rule && r.rule !== state.rule) { return false; }
      if (state.area && r.area !== state.area) { return false; }
      if (state.status && r.status !== state.status) { return false; }
      if (state.kind && r.kind !== state.kind) { return false; }
      if (state.supp === "hide" && r.supp) { return false; }
      if (state.supp === "only" && !r.supp) { return false; }
      for (var t = 0; t < terms.length; t++) {
        if (r.hay.indexOf(terms[t]) < 0) { return false; }
      }
      return true;
    });
    sort();
  }
  function sort() {
    var k = state.key, d = state.dir;
    shown.sort(function (a, b) {
      var c;
      if (k === "sev") { c = rank[a.sev] - rank[b.sev]; } else { c = collator.compare(a[k] || "", b[k] || ""); }
      if (c === 0) { c = b.i - a.i; }
      return c * d;
    });
  }

  var tbody = $("rows");
  function evidence(r, box) {
    var dl = el("dl");
    function item(k, v) {
      dl.appendChild(el("dt", "", k));
      var dd = el("dd", "", visible(v));
      dd.dir = "auto";
      dl.appendChild(dd);
    }
    item("fingerprint", r.fp);
    if (r.id && r.name) { item("object id", r.id); }
    Object.keys(r.ev).sort().forEach(function (k) {
      var v = r.ev[k];
      item(k, typeof v === "string" ? v : JSON.stringify(v));
    });
    item("what to do", r.rem || (data.rules[r.rule] || ["", ""])[1]);
    if (r.supp) { item("suppressed", r.supp); }
    box.appendChild(dl);
  }
  function row(r) {
    var tr = el("tr");
    var td = el("td");
    td.appendChild(el("span", "chip s-" + (rank[r.sev] ? r.sev : "none"), r.sev));
    tr.appendChild(td);
    td = el("td", "", r.rule);
    td.title = (data.rules[r.rule] || [""])[0];
    tr.appendChild(td);
    tr.appendChild(el("td", "", r.area));
    tr.appendChild(el("td", "", r.kind));
    td = el("td", "wrap");
    var n = el("span", "name", visible(r.obj));
    n.dir = "auto";
    td.appendChild(n);
    if (r.name && r.id && r.name !== r.id) {
      td.appendChild(el("br"));
      var o = el("span", "oid", visible(r.id));
      o.dir = "auto";
      td.appendChild(o);
    }
    tr.appendChild(td);
    td = el("td", "wrap");
    var m = el("div", "", visible(r.msg));
    m.dir = "auto";
    td.appendChild(m);
    var det = el("details");
    det.appendChild(el("summary", "", "Evidence"));
    det.addEventListener("toggle", function () {
      if (det.open && det.childNodes.length === 1) { evidence(r, det); }
    });
    td.appendChild(det);
    tr.appendChild(td);
    tr.appendChild(el("td", "", (r.status || "") + (r.supp ? (r.status ? ", " : "") + "suppressed" : "")));
    return tr;
  }
  function render() {
    var pages = Math.max(1, Math.ceil(shown.length / state.size));
    if (state.page >= pages) { state.page = pages - 1; }
    var from = state.page * state.size;
    var frag = document.createDocumentFragment();
    shown.slice(from, from + state.size).forEach(function (r) { frag.appendChild(row(r)); });
    tbody.replaceChildren(frag);
    var total = all.length;
    $("count").textContent = shown.length === total
      ? total + " finding(s)"
      : shown.length + " of " + total + " finding(s) match";
    $("page").textContent = "Page " + (state.page + 1) + " of " + pages +
      (shown.length ? " (rows " + (from + 1) + "–" + Math.min(shown.length, from + state.size) + ")" : "");
    $("prev").disabled = state.page === 0;
    $("next").disabled = state.page >= pages - 1;
  }
  function update() { state.page = 0; filter(); render(); }

  var timer = 0;
  $("q").addEventListener("input", function (e) {
    state.q = e.target.value;
    clearTimeout(timer);
    timer = setTimeout(update, 150);
  });
  [["f-sev", "sev"], ["f-rule", "rule"], ["f-area", "area"], ["f-status", "status"], ["f-kind", "kind"], ["f-supp", "supp"]].forEach(function (p) {
    $(p[0]).addEventListener("change", function (e) { state[p[1]] = e.target.value; update(); });
  });
  $("filters").addEventListener("submit", function (e) { e.preventDefault(); });
  $("filters").addEventListener("reset", function () {
    state.q = state.sev = state.rule = state.area = state.status = state.kind = state.supp = "";
    setTimeout(update, 0);
  });
  $("size").addEventListener("change", function (e) { state.size = parseInt(e.target.value, 10) || 100; update(); });
  $("prev").addEventListener("click", function () { state.page--; render(); });
  $("next").addEventListener("click", function () { state.page++; render(); });
  Array.prototype.forEach.call(document.querySelectorAll("#ftable th button"), function (b) {
    b.addEventListener("click", function () {
      var k = b.getAttribute("data-key");
      if (state.key === k) { state.dir = -state.dir; } else { state.key = k; state.dir = k === "sev" ? -1 : 1; }
      Array.prototype.forEach.call(document.querySelectorAll("#ftable th"), function (th) { th.setAttribute("aria-sort", "none"); });
      b.parentNode.setAttribute("aria-sort", state.dir > 0 ? "ascending" : "descending");
      sort();
      state.page = 0;
      render();
    });
  });
  function only(field, id, value) {
    $("filters").reset();
    state.q = state.sev = state.rule = state.area = state.status = state.kind = state.supp = "";
    $(id).value = value;
    state[field] = value;
    update();
  }
  Array.prototype.forEach.call(document.querySelectorAll("a.show-rule"), function (a) {
    a.addEventListener("click", function () { only("rule", "f-rule", a.getAttribute("data-rule")); });
  });
  Array.prototype.forEach.call(document.querySelectorAll("a.show-new"), function (a) {
    a.addEventListener("click", function () { only("status", "f-status", "new"); });
  });

  // CSV of the filtered rows: the columns of findings.csv, UTF-8 with a
  // byte order mark and CRLF, cells a spreadsheet would read as a formula
  // prefixed with a quote. Built in the page; nothing is sent anywhere.
  function cell(v) {
    v = String(v === undefined || v === null ? "" : v);
    if (/^[=+\-@\t\r]/.test(v)) { v = "'" + v; }
    if (/[",\r\n]/.test(v)) { v = '"' + v.replace(/"/g, '""') + '"'; }
    return v;
  }
  $("csv").addEventListener("click", function () {
    var lines = [["fingerprint", "rule_id", "severity", "category", "object_kind", "object_id", "object_name",
      "message", "remediation", "status", "suppressed", "evidence"].join(",")];
    shown.forEach(function (r) {
      lines.push([r.fp, r.rule, r.sev, r.area, r.kind, r.id, r.name, r.msg,
        r.rem || (data.rules[r.rule] || ["", ""])[1], r.status, r.supp, JSON.stringify(r.ev)].map(cell).join(","));
    });
    var blob = new Blob(["\uFEFF" + lines.join("\r\n") + "\r\n"], { type: "text/csv;charset=utf-8" });
    var url = URL.createObjectURL(blob);
    var a = el("a");
    a.href = url;
    a.download = "findings-filtered.csv";
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
  });

  filter();
  render();
}());
