/* The search page: matches the query against window.GLOSSARY_INDEX (search-index.js).
 *
 * find() and suggest() are a port of glossary/search.py, the one specification the
 * CLI's `glossary search` follows too: tests/data/search_cases.toml runs the same
 * cases through both. Works opened from disk (file://) and offline: the index is a
 * script, not a fetch. Results are built with DOM methods and textContent only.
 * search.html?q=... opens with the results for q; the address, the title and the
 * language switch follow the query while it is typed.
 */
(function (global) {
  "use strict";

  var keys = global.GlossaryKeys;
  var SUGGESTIONS = 5;
  var SUGGEST_MIN = 4;
  var TIERS = ["exact", "words", "prefix", "word-prefix", "substring"];

  /* Items with each term's compact key and words (glossary.search.Index), from the
     index: its items and each item's place in English and in Khmer order. */
  function prepare(index) {
    var rows = index.items || [], enOrder = index.en_order || [],
      kmOrder = index.km_order || [], items = [];
    for (var i = 0; i < rows.length; i++) {
      var row = rows[i], terms = row[7], prepared = [];
      for (var t = 0; t < terms.length; t++) {
        var key = terms[t][2], words = keys.derived(key).split(" ");
        prepared.push({ lang: terms[t][0], text: terms[t][1] || key, key: key,
          head: terms[t][3] === 1, status: terms[t][4] || "",
          compact: words.join(""), words: words,
          plain: key.split(" ").join("") });
      }
      items.push({ kind: row[0], id: row[1], path: row[2], en: row[3], km: row[4],
        enReview: row[5], kmReview: row[6], enOrder: enOrder[i], kmOrder: kmOrder[i],
        terms: prepared });
    }
    return items;
  }

  function hasWord(words, w) {
    for (var i = 0; i < words.length; i++) { if (words[i] === w) { return true; } }
    return false;
  }

  function startsWord(words, w) {
    for (var i = 0; i < words.length; i++) {
      if (words[i].lastIndexOf(w, 0) === 0) { return true; }
    }
    return false;
  }

  /* glossary.search.tier_of */
  function tierOf(compact, words, qc, qw) {
    var i;
    if (compact === qc) { return 0; }
    for (i = 0; i < qw.length && hasWord(words, qw[i]); i++) { /* all whole words? */ }
    if (i === qw.length) { return 1; }
    if (compact.lastIndexOf(qc, 0) === 0) { return 2; }
    for (i = 0; i < qw.length && startsWord(words, qw[i]); i++) { /* all word starts? */ }
    if (i === qw.length) { return 3; }
    if (compact.indexOf(qc) >= 0) { return 4; }
    return -1;
  }

  function compare(a, b) {
    for (var i = 0; i < a.length; i++) {
      if (a[i] !== b[i]) { return a[i] - b[i]; }
    }
    return 0;
  }

  /* glossary.search.find */
  function find(items, query, lang, limit) {
    var key = keys.matchKey(query);
    if (!key) { return { key: key, hits: [], total: 0, suggestions: [] }; }
    var qw = keys.derived(key).split(" "), qc = qw.join("");
    var longest = qw.reduce(function (a, b) { return b.length > a.length ? b : a; });
    var ranked = [];
    for (var n = 0; n < items.length; n++) {
      var item = items[n], best = -1, bestTerm = null;
      for (var t = 0; t < item.terms.length; t++) {
        var term = item.terms[t];
        /* every tier needs each query word inside the compact key: one indexOf
           rejects almost every term */
        if (term.compact.indexOf(longest) < 0) { continue; }
        var tier = tierOf(term.compact, term.words, qc, qw);
        if (tier < 0) { continue; }
        var score = tier * 2 + (term.head ? 0 : 1);
        if (best < 0 || score < best ||
            (score === best && term.compact.length < bestTerm.compact.length)) {
          best = score;
          bestTerm = term;
        }
      }
      if (bestTerm !== null) {
        /* (score, a document or section after a concept, length, order) as one number:
           orders are distinct, lengths < 4096 */
        var rank = best * 2 + (item.kind === "concept" ? 0 : 1);
        ranked.push({ sort: (rank * 4096 + Math.min(bestTerm.compact.length, 4095)) * 1048576 +
          (lang === "km" ? item.kmOrder : item.enOrder),
          item: item, term: bestTerm, tier: (best - best % 2) / 2 });
      }
    }
    ranked.sort(function (a, b) { return a.sort - b.sort; });
    return { key: key, hits: ranked.slice(0, limit), total: ranked.length,
      suggestions: ranked.length ? [] : suggest(items, key.split(" ").join(""), lang) };
  }

  /* glossary.search.suggest */
  function suggest(items, qc, lang) {
    if (qc.length < SUGGEST_MIN) { return []; }
    var limit = qc.length <= 6 ? 1 : 2;
    var ranked = [];
    for (var n = 0; n < items.length; n++) {
      var item = items[n], best = null;
      for (var t = 0; t < item.terms.length; t++) {
        var term = item.terms[t];
        if (Math.abs(term.plain.length - qc.length) > limit) { continue; }
        var distance = editDistance(qc, term.plain, limit);
        if (distance > limit) { continue; }
        var candidate = [distance, term.head ? 0 : 1, term.plain.length];
        if (best === null || compare(candidate, best.sort) < 0) {
          best = { sort: candidate, term: term, distance: distance };
        }
      }
      if (best !== null) {
        ranked.push({ sort: best.sort.concat([lang === "km" ? item.kmOrder : item.enOrder, n]),
          item: item, term: best.term, distance: best.distance });
      }
    }
    ranked.sort(function (a, b) { return compare(a.sort, b.sort); });
    return ranked.slice(0, SUGGESTIONS);
  }

  /* glossary.search.edit_distance (optimal string alignment, cut off above limit) */
  function editDistance(a, b, limit) {
    if (a === b) { return 0; }
    var prev2 = [], prev = [], i, j;
    for (j = 0; j <= b.length; j++) { prev.push(j); }
    for (i = 1; i <= a.length; i++) {
      var cur = [i], low = i;
      for (j = 1; j <= b.length; j++) {
        var cost = a[i - 1] === b[j - 1] ? 0 : 1;
        var value = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1] &&
            prev2[j - 2] + 1 < value) {
          value = prev2[j - 2] + 1;
        }
        cur.push(value);
        if (value < low) { low = value; }
      }
      if (low > limit) { return limit + 1; }
      prev2 = prev;
      prev = cur;
    }
    return Math.min(prev[b.length], limit + 1);
  }

  global.GlossarySearch = { prepare: prepare, find: find, suggest: suggest,
    editDistance: editDistance, TIERS: TIERS };

  /* ---- the page ---- */
  var form = document.getElementById("search-form");
  if (!form) { return; }
  var input = document.getElementById("q");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var hint = document.getElementById("search-suggest");
  var base = document.body.getAttribute("data-base") || "";
  var lang = document.documentElement.getAttribute("lang") || "en";
  var messages = JSON.parse(document.getElementById("search-messages").textContent);
  var index = global.GLOSSARY_INDEX || { items: [] };
  var items = prepare(index);
  var LIMIT = 100;
  var KHMER = /[\u1780-\u17ff\u19e0-\u19ff]/;
  var baseTitle = document.title;
  var switcher = document.querySelector("a.lang-switch");
  var switchHref = switcher ? switcher.getAttribute("href") : "";
  var digits = global.GlossarySite.digits, fill = global.GlossarySite.fill;  // site.js

  function span(text, textLang, cls) {
    var el = document.createElement("span");
    el.textContent = text;
    if (textLang) { el.setAttribute("lang", textLang); }
    if (cls) { el.className = cls; }
    return el;
  }

  function badge(state) {
    var b = span(messages.review[state] || state, null, "badge review-" + state);
    return b;
  }

  function entry(item, matched) {
    var li = document.createElement("li");
    li.className = "hit hit-" + item.kind;
    var a = document.createElement("a");
    a.href = base + item.path;
    var first = lang === "km" && item.km ? item.km : (item.en || item.km || item.id);
    var firstLang = KHMER.test(first) ? "km" : "en";
    var second = first === item.km ? item.en : item.km;
    a.appendChild(span(first, firstLang, "hit-main"));
    li.appendChild(a);
    if (second) {
      li.appendChild(document.createTextNode(" "));
      li.appendChild(span(second, KHMER.test(second) ? "km" : "en", "hit-other"));
    }
    if (item.kind === "concept") {
      var review = item.kmReview;
      if (review) {
        li.appendChild(document.createTextNode(" "));
        var wrap = span(messages.khmerTerm + " ", null, "hit-status");
        wrap.appendChild(badge(review));
        li.appendChild(wrap);
      }
    } else {
      li.appendChild(document.createTextNode(" "));
      li.appendChild(span(messages.kinds[item.kind], null, "badge kind-" + item.kind));
    }
    if (matched && matched.text !== first && matched.text !== second) {
      li.appendChild(document.createTextNode(" "));
      var m = span(messages.matched + " ", null, "hit-matched");
      m.appendChild(span(matched.text, matched.lang));
      if (matched.status) {  /* a deprecated or admitted term: say so */
        m.appendChild(document.createTextNode(" "));
        var rejected = matched.status === "rejected";  /* a review state, not a status */
        m.appendChild(span((rejected ? messages.review : messages.admin)[matched.status] ||
          matched.status, null, (rejected ? "badge review-" : "badge admin-") + matched.status));
      }
      li.appendChild(m);
    }
    return li;
  }

  function clear(el) { while (el.firstChild) { el.removeChild(el.firstChild); } }

  /* The first screenful is drawn at once, the rest (up to LIMIT) in the next task, so
     a keystroke never waits for results below the screen; a newer keystroke cancels
     the rest. #search-results gets data-complete when every result is drawn. */
  var FIRST = 20;
  var pending = null;

  function draw(hits, start) {
    var stop = start === 0 ? Math.min(FIRST, hits.length) : hits.length;
    var fragment = document.createDocumentFragment();
    for (var i = start; i < stop; i++) {
      fragment.appendChild(entry(hits[i].item, hits[i].term));
    }
    list.appendChild(fragment);
    if (stop < hits.length) {
      pending = setTimeout(function () { pending = null; draw(hits, stop); }, 0);
    } else {
      list.setAttribute("data-complete", "");
    }
  }

  function show(raw) {
    if (pending !== null) { clearTimeout(pending); pending = null; }
    list.removeAttribute("data-complete");
    clear(list);
    clear(hint);
    var query = raw.trim();
    document.title = query ? fill(messages.title, { q: query }) + " · " + baseTitle : baseTitle;
    if (!query) {
      status.textContent = "";
      list.setAttribute("data-complete", "");
      return;
    }
    var found = find(items, query, lang, LIMIT);
    var n = found.total;
    var text;
    if (!n) {
      text = fill(messages.none, { q: query });
    } else {
      text = fill(n === 1 ? messages.one : messages.many, { n: digits(n), q: query });
      if (n > found.hits.length) {
        text += " " + fill(messages.showing, { shown: digits(found.hits.length), n: digits(n) });
      }
    }
    status.textContent = text;
    draw(found.hits, 0);
    if (found.suggestions.length) {
      hint.appendChild(document.createTextNode(messages.didYouMean + " "));
      for (var s = 0; s < found.suggestions.length; s++) {
        var sug = found.suggestions[s];
        if (s) { hint.appendChild(document.createTextNode(", ")); }
        var a = document.createElement("a");
        a.href = base + sug.item.path;
        a.className = "suggestion";
        a.appendChild(span(sug.term.text, sug.term.lang));
        hint.appendChild(a);
      }
    }
  }

  function remember(value) {
    if (switcher) {
      switcher.setAttribute("href", value ? switchHref + "?q=" + encodeURIComponent(value)
        : switchHref);
    }
    try {
      var url = new URL(window.location.href);
      if (value) { url.searchParams.set("q", value); } else { url.searchParams.delete("q"); }
      window.history.replaceState(null, "", url.toString());
    } catch (e) {
      /* some browsers refuse history changes on file:// pages; the results still show */
    }
  }

  var initial = new URLSearchParams(window.location.search).get("q") || "";
  if (initial) { input.value = initial; }
  show(input.value);
  remember(input.value.trim());
  document.getElementById("search-noscript").hidden = true;

  input.addEventListener("input", function () {
    show(input.value);
    remember(input.value.trim());
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    show(input.value);
    remember(input.value.trim());
  });
}(window));
