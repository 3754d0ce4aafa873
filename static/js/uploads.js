// The staff uploads page: refresh the state of unfinished uploads without a reload.
// Progressive enhancement: without this script, reloading the page shows the same.
(function () {
  "use strict";
  var table = document.getElementById("uploads");
  if (!table || !window.fetch) { return; }
  var url = table.getAttribute("data-status-url");
  var template = document.getElementById("retry-form");

  function pending() {
    return Array.prototype.slice.call(table.querySelectorAll("tr[data-finished='0']"));
  }

  function result(cell, u) {
    while (cell.firstChild) { cell.removeChild(cell.firstChild); }
    if (u.error) {
      var error = document.createElement("span");
      error.className = "error";
      error.lang = "en";  // ingestion reports in English
      error.textContent = u.error;
      cell.appendChild(error);
    }
    if (u.document_url) {
      var link = document.createElement("a");
      link.href = u.document_url;
      link.textContent = u.document_title || u.name;
      link.lang = u.document_lang;
      cell.appendChild(link);
    }
    if (u.warnings) {
      var badge = document.createElement("span");
      badge.className = "badge badge-unknown";
      badge.textContent = u.warnings_label;
      cell.appendChild(document.createTextNode(" "));
      cell.appendChild(badge);
    }
    if (u.retry && template) {
      var form = template.content.firstElementChild.cloneNode(true);
      form.action = form.getAttribute("action").replace(/\/0\/retry\/$/, "/" + u.id + "/retry/");
      cell.appendChild(form);
    }
  }

  function update(u) {
    var row = table.querySelector("tr[data-upload='" + u.id + "']");
    if (!row) { return; }
    var status = row.querySelector("[data-field='status']");
    status.textContent = u.status_label;
    status.className = "status status-" + u.status;
    var bar = row.querySelector("[data-field='progress']");
    bar.max = u.steps;
    bar.value = u.step;
    bar.textContent = u.step + "/" + u.steps;
    row.querySelector("[data-field='stage']").textContent = u.finished ? "" : u.stage_label;
    if (u.finished) {
      row.setAttribute("data-finished", "1");
      result(row.querySelector("[data-field='result']"), u);
    }
  }

  function poll() {
    var rows = pending();
    if (!rows.length) { return; }
    var ids = rows.map(function (r) { return r.getAttribute("data-upload"); }).join(",");
    fetch(url + "?ids=" + ids, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.ok ? r.json() : { uploads: [] }; })
      .then(function (data) { data.uploads.forEach(update); })
      .catch(function () { /* offline for a moment: try again on the next tick */ })
      .then(function () { window.setTimeout(poll, 1500); });
  }

  window.setTimeout(poll, 1000);
})();
