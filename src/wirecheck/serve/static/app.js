// wirecheck dashboard: progressive enhancement only. Every page works without this file;
// with it, charts are drawn and claims in an article link to their rows in the claims table.
"use strict";

function drawCharts() {
  if (typeof window.Plotly === "undefined") return;
  document.querySelectorAll("[data-figure]").forEach(function (div) {
    var source = document.getElementById(div.getAttribute("data-figure"));
    if (!source) return;
    var figure;
    try {
      figure = JSON.parse(source.textContent);
    } catch (e) {
      return;
    }
    window.Plotly.newPlot(div, figure.data, figure.layout, {
      displaylogo: false,
      responsive: true,
      // The world map is served by this server, never fetched from a CDN.
      topojsonURL: "/static/vendor/",
    });
    div.classList.add("drawn");
  });
}

function linkClaims() {
  var body = document.getElementById("article-body");
  if (!body) return;
  function focusRow(mark) {
    var row = document.getElementById(mark.getAttribute("data-row"));
    if (!row) return;
    document.querySelectorAll("tr.focused").forEach(function (r) { r.classList.remove("focused"); });
    row.classList.add("focused");
    row.scrollIntoView({ behavior: "smooth", block: "center" });
  }
  body.querySelectorAll("mark.claim").forEach(function (mark) {
    mark.addEventListener("click", function () { focusRow(mark); });
    mark.addEventListener("keydown", function (event) {
      if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        focusRow(mark);
      }
    });
  });
  var toggle = document.querySelector(".toggle-highlights");
  if (toggle) {
    toggle.hidden = false;
    toggle.addEventListener("click", function () {
      var off = body.classList.toggle("plain-text");
      toggle.textContent = off ? "Show highlights" : "Hide highlights";
    });
  }
}

document.addEventListener("DOMContentLoaded", function () {
  drawCharts();
  linkClaims();
});
