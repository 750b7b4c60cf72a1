// The findings table: built from the embedded JSON with textContent only (inventory text is never
// parsed as HTML), filtered by a text box and a status choice, sorted by clicking a heading.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("sansho-findings").textContent);
  // row layout (see posture_render._table_rows):
  // 0 status, 1 status label, 2 status order, 3 severity label, 4 severity order, 5 control id,
  // 6 title, 7 resource id, 8 resource name, 9 where, 10 message, 11 basis, 12 basis label, 13 basis order
  var columns = [
    { show: function (r) { return r[1]; }, key: function (r) { return r[2]; }, cls: function (r) { return "badge st-" + r[0]; } },
    { show: function (r) { return r[12]; }, key: function (r) { return r[13]; }, cls: function (r) { return "badge basis-" + r[11]; } },
    { show: function (r) { return r[3]; }, key: function (r) { return r[4]; }, td: "nowrap" },
    { show: function (r) { return r[5]; }, key: function (r) { return r[5]; }, td: "id nowrap" },
    { show: function (r) { return r[6]; }, key: function (r) { return r[6]; } },
    { show: function (r) { return r[7] + (r[8] ? "\n" + r[8] : ""); }, key: function (r) { return r[7]; }, td: "id" },
    { show: function (r) { return r[9]; }, key: function (r) { return r[9]; } },
    { show: function (r) { return r[10]; }, key: function (r) { return r[10]; } }
  ];
  var table = document.getElementById("findings-table");
  var tbody = table.querySelector("tbody");
  var input = document.getElementById("findings-filter");
  var status = document.getElementById("findings-status");
  var basis = document.getElementById("findings-basis");
  var counter = document.getElementById("findings-count");
  var items = data.map(function (r) {
    var tr = document.createElement("tr");
    tr.setAttribute("data-status", r[0]);
    tr.setAttribute("data-basis", r[11]);
    columns.forEach(function (col) {
      var td = document.createElement("td");
      if (col.td) { td.className = col.td; }
      if (col.cls) {
        var span = document.createElement("span");
        span.className = col.cls(r);
        span.textContent = col.show(r);
        td.appendChild(span);
      } else {
        td.textContent = col.show(r);
      }
      tr.appendChild(td);
    });
    var text = [r[0], r[1], r[3], r[5], r[6], r[7], r[8], r[9], r[10], r[11], r[12]].join("\u0001").toLowerCase();
    return { row: r, tr: tr, text: text };
  });

  function apply() {
    var needle = input.value.trim().toLowerCase();
    var wanted = status.value;
    var wantedBasis = basis.value;
    var shown = 0;
    items.forEach(function (it) {
      var ok = (!wanted || it.row[0] === wanted) && (!wantedBasis || it.row[11] === wantedBasis) &&
        (!needle || it.text.indexOf(needle) !== -1);
      it.tr.hidden = !ok;
      if (ok) { shown += 1; }
    });
    counter.textContent = String(shown);
  }

  function render() {
    var frag = document.createDocumentFragment();
    items.forEach(function (it) { frag.appendChild(it.tr); });
    tbody.appendChild(frag);
  }

  var headers = table.querySelectorAll("thead th");
  Array.prototype.forEach.call(headers, function (th, index) {
    th.addEventListener("click", function () {
      var ascending = th.getAttribute("aria-sort") !== "ascending";
      Array.prototype.forEach.call(headers, function (h) { h.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      var key = columns[index].key;
      items.sort(function (a, b) {
        var x = key(a.row), y = key(b.row);
        var c = (typeof x === "number" && typeof y === "number") ? x - y : String(x).localeCompare(String(y), "ja");
        return ascending ? c : -c;
      });
      render();
    });
  });
  input.addEventListener("input", apply);
  status.addEventListener("change", apply);
  basis.addEventListener("change", apply);
  render();
  apply();
})();
