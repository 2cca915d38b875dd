// Transfert's console: the only script. Pages work without it; with it, a running job's progress
// updates in place (establishment k of n, bytes, time left) and the page reloads when the job ends.
"use strict";
(function () {
  function humanBytes(n) {
    if (n === undefined || n === null) { return ""; }
    var units = ["B", "KiB", "MiB", "GiB", "TiB"];
    var i = 0;
    while (n >= 1024 && i < units.length - 1) { n /= 1024; i += 1; }
    return (i === 0 ? n : n.toFixed(1)) + " " + units[i];
  }
  function humanSeconds(s) {
    if (s === undefined || s === null) { return ""; }
    s = Math.round(s);
    var m = Math.floor(s / 60);
    return m > 0 ? m + " min " + (s % 60) + " s" : s + " s";
  }
  function follow(section) {
    var id = section.getAttribute("data-job");
    var bar = section.querySelector("progress");
    var status = section.querySelector(".job-status");
    var detail = section.querySelector(".job-detail");
    var french = document.documentElement.lang === "fr";
    function tick() {
      fetch("/jobs/" + encodeURIComponent(id) + "/progress", { credentials: "same-origin", cache: "no-store" })
        .then(function (r) { return r.json(); })
        .then(function (p) {
          if (p.state !== "running") { window.location.reload(); return; }
          var parts = [];
          if (p.total_items) {
            bar.max = p.total_items;
            bar.value = Math.min(p.done_items || 0, p.total_items);
            parts.push((french ? "Établissement " : "Item ") + Math.min((p.done_items || 0) + 1, p.total_items) + (french ? " sur " : " of ") + p.total_items);
          }
          if (p.total_amount && p.unit === "bytes") {
            bar.max = p.total_amount;
            bar.value = Math.min(p.done_amount || 0, p.total_amount);
          }
          if (p.done_amount !== undefined && p.unit === "bytes") { parts.push(humanBytes(p.done_amount) + (p.total_amount ? " / " + humanBytes(p.total_amount) : "")); }
          if (p.label) { parts.push(p.label); }
          if (p.seconds_left !== undefined && p.seconds_left !== null) { parts.push((french ? "reste environ " : "about ") + humanSeconds(p.seconds_left) + (french ? "" : " left")); }
          detail.textContent = parts.join(" — ");
          window.setTimeout(tick, 1000);
        })
        .catch(function () { window.setTimeout(tick, 3000); });
    }
    tick();
  }
  document.addEventListener("DOMContentLoaded", function () {
    var sections = document.querySelectorAll("[data-job]");
    for (var i = 0; i < sections.length; i += 1) { follow(sections[i]); }
  });
})();
