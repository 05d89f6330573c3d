/* The search page: matches the query against window.GLOSSARY_INDEX (search-index.js).
 *
 * Works opened from disk (file://) and offline: the index is a script, not a fetch.
 * Results are built with DOM methods and textContent only, never as HTML.
 * search.html?q=... opens with the results for q, so a search can be linked.
 */
(function () {
  "use strict";

  var form = document.getElementById("search-form");
  var input = document.getElementById("q");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var base = document.body.getAttribute("data-base") || "";
  var lang = document.documentElement.getAttribute("lang") || "en";
  var messages = JSON.parse(document.getElementById("search-messages").textContent);
  var index = window.GLOSSARY_INDEX || { concepts: [] };
  var keys = window.GlossaryKeys;
  var LIMIT = 100;
  var KHMER = /[\u1780-\u17ff\u19e0-\u19ff]/;

  function rank(key, query) {
    if (!query || key.indexOf(query) < 0) { return -1; }
    if (key === query) { return 0; }
    if (key.indexOf(query) === 0) { return 1; }
    if (key.indexOf(" " + query) >= 0) { return 2; }
    return 3;
  }

  function search(raw) {
    var kmQuery = keys.searchKey(raw);
    var enQuery = keys.englishKey(raw);
    var hits = [];
    if (!kmQuery) { return hits; }
    var concepts = index.concepts;
    for (var i = 0; i < concepts.length; i++) {
      var row = concepts[i];
      var best = -1, matched = null;
      var terms = row[3];
      for (var t = 0; t < terms.length; t++) {
        var term = terms[t];
        var r = rank(term[2], term[0] === "en" ? enQuery : kmQuery);
        if (r >= 0 && (best < 0 || r < best)) {
          best = r;
          matched = term;
        }
      }
      if (best >= 0) { hits.push({ rank: best, order: i, row: row, term: matched }); }
    }
    hits.sort(function (a, b) { return a.rank - b.rank || a.order - b.order; });
    return hits;
  }

  function span(text, textLang, cls) {
    var el = document.createElement("span");
    el.textContent = text;
    if (textLang) { el.setAttribute("lang", textLang); }
    if (cls) { el.className = cls; }
    return el;
  }

  function show(raw) {
    while (list.firstChild) { list.removeChild(list.firstChild); }
    var query = raw.trim();
    if (!query) {
      status.textContent = "";
      return;
    }
    var hits = search(query);
    var shown = hits.slice(0, LIMIT);
    var text = hits.length ? messages.found.replace("{n}", String(hits.length))
      : messages.none;
    status.textContent = text.replace("{q}", query);
    for (var i = 0; i < shown.length; i++) {
      var hit = shown[i], row = hit.row;
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = base + "concepts/" + encodeURIComponent(row[0]) + ".html";
      var first = lang === "km" ? row[2] : row[1];
      var second = lang === "km" ? row[1] : row[2];
      a.appendChild(span(first || row[0], lang === "km" ? "km" : "en", "hit-main"));
      li.appendChild(a);
      if (second) {
        li.appendChild(document.createTextNode(" "));
        li.appendChild(span(second, lang === "km" ? "en" : "km", "hit-other"));
      }
      var matchedText = hit.term[1] || hit.term[2];
      if (matchedText !== first && matchedText !== second) {
        li.appendChild(document.createTextNode(" "));
        var m = span(messages.matched + " ", null, "hit-matched");
        m.appendChild(span(matchedText, KHMER.test(matchedText) ? "km" : "en"));
        li.appendChild(m);
      }
      list.appendChild(li);
    }
  }

  function fromUrl() {
    var params = new URLSearchParams(window.location.search);
    return params.get("q") || "";
  }

  var initial = fromUrl();
  if (initial) { input.value = initial; }
  show(input.value);
  document.getElementById("search-noscript").hidden = true;

  input.addEventListener("input", function () { show(input.value); });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    show(input.value);
    try {
      var url = new URL(window.location.href);
      url.searchParams.set("q", input.value);
      window.history.replaceState(null, "", url.toString());
    } catch (e) {
      /* some browsers refuse history changes on file:// pages; the results still show */
    }
  });
}());
