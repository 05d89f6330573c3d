/* Matching keys of a search query, computed in the browser.
 *
 * This is the query side of glossary.khmer.search_key and glossary.site.searchindex
 * (the keys of the glossary's terms are computed in Python and shipped in
 * search-index.js). The rules follow Unicode Technical Note #61, "Khmer Encoding
 * Structure", as described in khmer.md: zero-width characters removed, deprecated
 * characters replaced, the marks of each cluster put into the order
 * Base Robat? Coeng* Shifter? Vowel* Modifiers* Atthacan*, coeng-ro last among the
 * coengs, coeng-da folded to coeng-ta, split vowels composed, "u + above vowel" turned
 * into the shifter of the base's series, Khmer digits as ASCII, lower case, whitespace
 * folded. The browser tests check that searchKey() equals search_key() on test vectors.
 */
(function (global) {
  "use strict";

  var COENG = "\u17d2";
  var ROBAT = "\u17cc";
  var ATTHACAN = "\u17dd";
  var SRA_U = "\u17bb";
  var MUUSIKATOAN = "\u17c9";
  var TRIISAP = "\u17ca";
  var DA = "\u178a";
  var TA = "\u178f";
  var RO = "\u179a";
  var BA = "\u1794";
  var SERIES_2 = "\u1782\u1783\u1784\u1787\u1788\u1789\u178c\u178d\u1791\u1792\u1793" +
    "\u1796\u1797\u1798\u1799\u179a\u179b\u179c\u179e";
  var ABOVE_VOWELS = "\u17b7\u17b8\u17b9\u17ba\u17be";
  var SPLIT_VOWELS = {
    "\u17c1\u17b8": "\u17be", "\u17b8\u17c1": "\u17be",
    "\u17c1\u17b6": "\u17c4", "\u17b6\u17c1": "\u17c4",
    "\u17be\u17b6": "\u17c4\u17b8", "\u17b6\u17be": "\u17c4\u17b8"
  };
  var MODIFIER_ORDER = "\u17c6\u17cb\u17cd\u17ce\u17cf\u17d0\u17d1\u17d3\u17c7\u17c8";
  var DELETED = /[\u200b\u200c\u200d\u2060\u00ad\ufeff\u17b4\u17b5]/g;
  var RUN = /(?:[\u17b6-\u17d1\u17d3\u17dd]|\u17d2\u17dd*[\u1780-\u17b3]?)+/g;
  var SPACES = /[\s\x1c-\x1f\x85]+/;

  function series(base) {
    if (base < "\u1780" || base > "\u17a2") { return 0; }
    if (base === BA) { return 0; }
    return SERIES_2.indexOf(base) >= 0 ? 2 : 1;
  }

  function composeVowels(vowels) {
    var out = [];
    function push(v) {
      if (out.length) {
        var repl = SPLIT_VOWELS[out[out.length - 1] + v];
        if (repl !== undefined) {
          out.pop();
          for (var k = 0; k < repl.length; k++) { push(repl[k]); }
          return;
        }
      }
      out.push(v);
    }
    for (var i = 0; i < vowels.length; i++) { push(vowels[i]); }
    return out;
  }

  function reorderRun(run, ser) {
    var strays = [], robats = [], coengs = [], coengRos = [], shifters = [];
    var vowels = [], mods = [], finals = [];
    var typedLast = false;  // a stray coeng followed by nothing but atthacans (khmer.py)
    var i = 0, n = run.length;
    while (i < n) {
      var ch = run[i];
      if (ch === COENG) {
        var j = i + 1;
        while (j < n && run[j] === ATTHACAN) { j++; }
        if (j < n && run[j] >= "\u1780" && run[j] <= "\u17b3") {
          var letter = run[j] === DA ? TA : run[j];
          (letter === RO ? coengRos : coengs).push(COENG + letter);
          for (var k = i + 1; k < j; k++) { finals.push(run[k]); }
          i = j + 1;
          continue;
        }
        if (j === n) { typedLast = true; } else { strays.push(ch); }
      } else if (ch === ROBAT) {
        robats.push(ch);
      } else if (ch === MUUSIKATOAN || ch === TRIISAP) {
        shifters.push(ch);
      } else if (ch >= "\u17b6" && ch <= "\u17c5") {
        vowels.push(ch);
      } else if (ch === ATTHACAN) {
        finals.push(ch);
      } else {
        mods.push(ch);
      }
      i++;
    }
    var u = vowels.indexOf(SRA_U);
    if (ser && !shifters.length && u >= 0 &&
        vowels.some(function (v) { return ABOVE_VOWELS.indexOf(v) >= 0; })) {
      vowels.splice(u, 1);
      shifters.push(ser === 1 ? TRIISAP : MUUSIKATOAN);
    }
    if (vowels.length > 1) { vowels = composeVowels(vowels); }
    if (mods.length > 1) {
      mods.sort(function (a, b) { return MODIFIER_ORDER.indexOf(a) - MODIFIER_ORDER.indexOf(b); });
    }
    // text typed up to a coeng keeps it after the vowels and signs (khmer.py)
    return strays.concat(robats, coengs, coengRos, shifters, vowels, mods,
                         typedLast ? [COENG] : [], finals).join("");
  }

  function normalizeKhmer(text) {
    text = text.replace(/\u17a3/g, "\u17a2").replace(/\u17a4/g, "\u17a2\u17b6")
      .replace(/\u17d8/g, "\u17d4\u179b\u17d4").normalize("NFC");
    var out = "", last = 0, m;
    RUN.lastIndex = 0;
    while ((m = RUN.exec(text)) !== null) {
      var run = m[0];
      if (run.length < 2) { continue; }
      var base = m.index ? text[m.index - 1] : "";
      var fixed = reorderRun(run, series(base));
      if (fixed !== run) {
        out += text.slice(last, m.index) + fixed;
        last = m.index + run.length;
      }
    }
    return (out + text.slice(last)).normalize("NFC");
  }

  /* The same key as glossary.khmer.search_key(). */
  function searchKey(text) {
    text = normalizeKhmer(String(text).replace(DELETED, ""));
    text = text.replace(/[\u17e0-\u17e9]/g, function (d) {
      return String.fromCharCode(d.charCodeAt(0) - 0x17e0 + 48);
    });
    var words = text.toLowerCase().split(SPACES).filter(function (w) { return w; });
    return words.join(" ").normalize("NFC");
  }

  /* The same plural folding as glossary.search.stem(). */
  function stem(word) {
    var n = word.length;
    if (n > 4 && /ies$/.test(word)) { return word.slice(0, -3) + "y"; }
    if (n > 4 && /(ses|xes|ches|shes)$/.test(word)) { return word.slice(0, -2); }
    if (n > 3 && /s$/.test(word) && !/(ss|us|is|as)$/.test(word)) { return word.slice(0, -1); }
    return word;
  }

  /* The same quality-noun folding as glossary.search.derive(). */
  function derive(word) {
    var n = word.length;
    if (n >= 9 && /(ability|ibility)$/.test(word)) { return word.slice(0, -5) + "le"; }
    if (n >= 8 && /ness$/.test(word)) { return word.slice(0, -4); }
    if (n >= 10 && /(ency|ance)$/.test(word)) { return word.slice(0, -2) + "t"; }
    return word;
  }

  /* glossary.search.derived(): a key with each word folded by derive(). */
  function derived(key) {
    return key.split(" ").map(derive).join(" ");
  }

  /* glossary.search.PUNCTUATION: read as a space in a key. */
  var PUNCTUATION = /[\-\u2010-\u2015_\/\\.,;:!?()\[\]{}"'\u2018\u2019\u201c\u201d\u00ab\u00bb\u00b7\u2022&+*|\u17d4-\u17d6]/g;
  var KHMER = /[\u1780-\u17ff\u19e0-\u19ff]/;

  /* The same key as glossary.search.match_key(). */
  function matchKey(text) {
    var words = searchKey(text).replace(PUNCTUATION, " ").split(" ");
    var out = [];
    for (var i = 0; i < words.length; i++) {
      var word = words[i];
      if (!word) { continue; }
      if (out.length && KHMER.test(word[0]) && KHMER.test(out[out.length - 1].slice(-1))) {
        out[out.length - 1] += stem(word);
      } else {
        out.push(stem(word));
      }
    }
    return out.join(" ");
  }

  global.GlossaryKeys = { searchKey: searchKey, matchKey: matchKey, stem: stem,
    derive: derive, derived: derived };
}(window));
