/* wirecheck report: draws the figures and filters the article list. Vanilla JS, no network. */
(function () {
  "use strict";

  // Hand plotly.js its world base map before any geo plot asks for it: plotly looks in
  // window.PlotlyGeoAssets.topojson[NAME] first and only fetches topojsonURL + NAME + ".json"
  // when the slot is empty.
  var topo = document.getElementById("wc-topojson");
  window.PlotlyGeoAssets = window.PlotlyGeoAssets || { topojson: {} };
  window.PlotlyGeoAssets.topojson = window.PlotlyGeoAssets.topojson || {};
  window.PlotlyGeoAssets.topojson[topo.getAttribute("data-name")] = JSON.parse(topo.textContent);

  var config = {
    responsive: true,
    displaylogo: false,
    // Never the CDN default: if the slot above were missed, the fetch fails locally.
    topojsonURL: "./",
    modeBarButtonsToRemove: ["sendDataToCloud"],
  };

  function figure(name) {
    return JSON.parse(document.getElementById("wc-figure-" + name).textContent);
  }

  document.querySelectorAll("[data-figure]").forEach(function (div) {
    var fig = figure(div.getAttribute("data-figure"));
    window.Plotly.newPlot(div, fig.data, fig.layout, config).then(function () {
      div.setAttribute("data-rendered", "true");
    });
    if (div.getAttribute("data-figure") === "network") {
      // A click on an actor goes to its row in the actors table.
      div.on("plotly_click", function (event) {
        var point = event.points && event.points[0];
        if (point && typeof point.customdata === "string" && point.customdata.charAt(0) === "#") {
          window.location.hash = point.customdata;
        }
      });
    }
  });

  // Filter the article listing (and the full views) by title, site or id.
  var input = document.getElementById("article-filter");
  var rows = Array.prototype.slice.call(document.querySelectorAll("#listing tbody tr"));
  var texts = null; // each row's text, lower-cased on the first search
  var views = Array.prototype.slice.call(document.querySelectorAll("article.article"));
  var timer = null;
  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(function () {
      var q = input.value.trim().toLowerCase();
      if (texts === null) {
        texts = rows.map(function (tr) { return tr.textContent.toLowerCase(); });
      }
      rows.forEach(function (tr, i) {
        tr.hidden = q !== "" && texts[i].indexOf(q) < 0;
      });
      views.forEach(function (el) {
        var text = (el.getAttribute("data-title") + " " + el.id).toLowerCase();
        el.hidden = q !== "" && text.indexOf(q) < 0;
      });
      if (q !== "") {
        document.getElementById("all-articles").scrollIntoView();
      }
    }, 150);
  });

  // Opening a link to a claim or an article inside a closed <details> opens it.
  function reveal() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    var el = id && document.getElementById(id);
    while (el) {
      if (el.tagName === "DETAILS") {
        el.open = true;
      }
      el = el.parentElement;
    }
  }
  window.addEventListener("hashchange", reveal);
  reveal();
})();
