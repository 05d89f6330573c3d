/* The "Check a text" page: the glossary terms a pasted paragraph uses, and the terms
 * to replace in it (deprecated, superseded, or rejected in review), with the term to use.
 *
 * The text and the glossary's terms are compared on their matching keys: the same
 * keys as search (GlossaryKeys.matchKey, equal to glossary.search.match_key, whose keys
 * search-index.js holds), so zero-width spaces, the order Khmer signs were typed in,
 * case, plurals and punctuation do not matter. An English term (or one of several words)
 * matches whole words; a Khmer term matches inside a run of Khmer text, starting and
 * ending at a cluster's edge (never inside ស្ត or after a coeng). Where matches
 * overlap, the longest wins (risk assessment, not risk). A term a concept deprecates
 * that is a good term of another concept is not flagged: the text alone cannot tell
 * which is meant (glossary qa's rule for text). Nothing is sent anywhere; works from
 * file:// and offline. Results are built with DOM methods and textContent only.
 */
(function (global) {
  "use strict";

  var keys = global.GlossaryKeys;
  var COENG = "\u17d2";
  var KHMER = /[\u1780-\u17ff\u19e0-\u19ff]/;
  var BAD = { deprecated: 1, superseded: 1, rejected: 1 };

  function isBase(ch) { return ch >= "\u1780" && ch <= "\u17b3"; }
  function isMark(ch) {
    return (ch >= "\u17b6" && ch <= "\u17d1") || ch === "\u17d3" || ch === "\u17dd";
  }

  /* The glossary's terms: words (for a term of several words, or not Khmer) or Khmer
     key (one Khmer word: matched inside Khmer runs), with their concept. */
  function prepare(rows) {
    var byWord = {}, byLetter = {}, good = {};
    for (var i = 0; i < rows.length; i++) {
      var row = rows[i];
      if (row[0] !== "concept") { continue; }
      var item = { id: row[1], path: row[2], en: row[3], km: row[4], kmReview: row[6] };
      var terms = row[7];
      for (var t = 0; t < terms.length; t++) {
        var key = terms[t][2];
        if (!key) { continue; }
        var term = { lang: terms[t][0], text: terms[t][1] || key, key: key,
          status: terms[t][4] || "", item: item, words: key.split(" ") };
        if (!BAD[term.status] && !good[key]) { good[key] = term; }
        if (term.words.length === 1 && KHMER.test(key[0])) {
          (byLetter[key[0]] = byLetter[key[0]] || []).push(term);
        } else {
          (byWord[term.words[0]] = byWord[term.words[0]] || []).push(term);
        }
      }
    }
    return { byWord: byWord, byLetter: byLetter, good: good };
  }

  /* Every match in the text's key as [start, end, term] (offsets in the key). */
  function matches(index, textKey) {
    var found = [];
    var words = textKey.split(" ");
    var starts = [], at = 0;
    for (var w = 0; w < words.length; w++) { starts.push(at); at += words[w].length + 1; }
    for (w = 0; w < words.length; w++) {
      var word = words[w];
      var cands = index.byWord[word] || [];
      for (var c = 0; c < cands.length; c++) {
        var tw = cands[c].words, ok = w + tw.length <= words.length;
        for (var k = 1; ok && k < tw.length; k++) { ok = words[w + k] === tw[k]; }
        if (ok) {
          var last = w + tw.length - 1;
          found.push([starts[w], starts[last] + words[last].length, cands[c]]);
        }
      }
      if (!KHMER.test(word)) { continue; }
      for (var p = 0; p < word.length; p++) {
        if (!isBase(word[p]) || (p && word[p - 1] === COENG)) { continue; }
        var list = index.byLetter[word[p]] || [];
        for (var j = 0; j < list.length; j++) {
          var key = list[j].key, end = p + key.length;
          if (word.substr(p, key.length) !== key) { continue; }
          if (end < word.length && (isMark(word[end]) || word[end] === COENG)) { continue; }
          found.push([starts[w] + p, starts[w] + end, list[j]]);
        }
      }
    }
    // the longest wins where matches overlap, then the first
    found.sort(function (a, b) { return (b[1] - b[0]) - (a[1] - a[0]) || a[0] - b[0]; });
    var taken = [], kept = [];
    for (var f = 0; f < found.length; f++) {
      var m = found[f], free = true;
      for (var q = 0; free && q < taken.length; q++) {
        free = m[1] <= taken[q][0] || m[0] >= taken[q][1];
      }
      if (free) { taken.push(m); kept.push(m); }
    }
    kept.sort(function (a, b) { return a[0] - b[0]; });
    return kept;
  }

  /* The matches grouped: terms to replace, and the concepts the text uses (in the order
     they first appear), each with how often. */
  function check(index, text) {
    var replace = [], used = [], seen = {};
    var found = matches(index, keys.matchKey(text));
    for (var i = 0; i < found.length; i++) {
      var term = found[i][2];
      if (BAD[term.status] && index.good[term.key]) { term = index.good[term.key]; }
      var bad = !!BAD[term.status];
      var id = (bad ? "replace:" : "use:") + term.item.id + (bad ? ":" + term.key : "");
      if (seen[id]) { seen[id].count++; continue; }
      seen[id] = { term: term, count: 1 };
      (bad ? replace : used).push(seen[id]);
    }
    return { replace: replace, used: used };
  }

  global.GlossaryCheck = { prepare: prepare, check: check };

  var area = document.getElementById("check-text");
  if (!area) { return; }
  var messages = JSON.parse(document.getElementById("check-messages").textContent);
  var base = document.body.getAttribute("data-base") || "";
  var lang = document.documentElement.getAttribute("lang") || "en";
  var index = prepare((global.GLOSSARY_INDEX || { items: [] }).items || []);
  var status = document.getElementById("check-status");
  var replaceList = document.getElementById("check-replace");
  var usedList = document.getElementById("check-used");
  var digits = global.GlossarySite.digits, fill = global.GlossarySite.fill;  // site.js

  function span(text, cls) {
    var el = document.createElement("span");
    el.textContent = text;
    el.setAttribute("lang", KHMER.test(text) ? "km" : "en");
    if (cls) { el.className = cls; }
    return el;
  }

  function badge(label, cls) {
    var b = document.createElement("span");
    b.textContent = label;
    b.className = "badge " + cls;
    return b;
  }

  function link(item, name) {
    var a = document.createElement("a");
    a.href = base + item.path;
    a.appendChild(span(name || (lang === "km" && item.km ? item.km : item.en || item.km ||
      item.id), "hit-main"));
    return a;
  }

  function times(li, count) {
    if (count > 1) { li.appendChild(span(" ×" + digits(count), "check-count")); }
  }

  function khmerOf(li, item) {
    var other = lang === "km" && item.km ? item.en : item.km;
    if (other) { li.appendChild(document.createTextNode(" ")); li.appendChild(span(other)); }
    if (item.kmReview) {
      li.appendChild(document.createTextNode(" "));
      li.appendChild(badge(messages.review[item.kmReview] || item.kmReview,
        "review-" + item.kmReview));
    }
  }

  function replaceEntry(found) {
    var term = found.term, li = document.createElement("li");
    li.appendChild(span(term.text, "check-found"));
    li.appendChild(document.createTextNode(" "));
    var rejected = term.status === "rejected";
    li.appendChild(badge((rejected ? messages.review : messages.admin)[term.status] ||
      term.status, (rejected ? "review-" : "admin-") + term.status));
    times(li, found.count);
    li.appendChild(document.createTextNode(" " + messages.forConcept + " "));
    li.appendChild(link(term.item, term.item.en || term.item.id));  // the concept's name
    var use = term.lang === "km" ? term.item.km : term.item.en;
    if (use) {
      li.appendChild(document.createTextNode(" — " + messages.use + " "));
      li.appendChild(span(use, "check-use"));
    }
    return li;
  }

  function usedEntry(found) {
    var term = found.term, li = document.createElement("li");
    li.appendChild(link(term.item));
    khmerOf(li, term.item);
    var shown = lang === "km" && term.item.km ? term.item.km : term.item.en;
    if (term.text !== shown && term.text !== term.item.km && term.text !== term.item.en) {
      li.appendChild(document.createTextNode(" " + messages.matched + " "));
      li.appendChild(span(term.text));
    }
    times(li, found.count);
    return li;
  }

  function show() {
    replaceList.textContent = "";
    usedList.textContent = "";
    var text = area.value;
    if (!text.trim()) {
      status.textContent = "";
      replaceList.parentNode.hidden = usedList.parentNode.hidden = true;
      document.body.setAttribute("data-checked", "");
      return;
    }
    var result = check(index, text);
    result.replace.forEach(function (f) { replaceList.appendChild(replaceEntry(f)); });
    result.used.forEach(function (f) { usedList.appendChild(usedEntry(f)); });
    replaceList.parentNode.hidden = !result.replace.length;
    usedList.parentNode.hidden = !result.used.length;
    status.textContent = result.replace.length || result.used.length
      ? fill(messages.summary, { n: digits(result.used.length),
        m: digits(result.replace.length) })
      : messages.none;
    document.body.setAttribute("data-checked", "");
  }

  var pending = null;
  area.addEventListener("input", function () {
    document.body.removeAttribute("data-checked");
    if (pending !== null) { clearTimeout(pending); }
    pending = setTimeout(function () { pending = null; show(); }, 150);
  });
  document.getElementById("check-noscript").hidden = true;
  area.disabled = false;
  show();
}(window));
