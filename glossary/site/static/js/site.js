/* Small enhancements on every page; each page works without them.
 * - copy buttons beside terms (the term is selectable text anyway);
 * - the domain filter on index pages and the printable glossary (domain pages work
 *   without it; a filtered printout names its domain in its heading and running header);
 * - the date a printout was made (the page itself carries the glossary's date);
 * - two helpers the search and check pages share (window.GlossarySite).
 */
(function () {
  "use strict";

  var khmerPage = document.documentElement.lang === "km";

  /* A number or text with its digits as the page writes them (០–៩ on Khmer pages). */
  function digits(value) {
    var text = String(value);
    return khmerPage
      ? text.replace(/[0-9]/g, function (d) { return "០១២៣៤៥៦៧៨៩".charAt(+d); }) : text;
  }

  /* A message of the page with its {name} placeholders filled in. */
  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (m, name) {
      return values.hasOwnProperty(name) ? values[name] : m;
    });
  }

  window.GlossarySite = { digits: digits, fill: fill };

  var live = document.createElement("p");
  live.className = "visually-hidden";
  live.setAttribute("role", "status");
  document.body.appendChild(live);

  function copyText(text, button) {
    function done() {
      live.textContent = "";
      live.textContent = button.getAttribute("data-copied") || "Copied";
      button.classList.add("copied");
      setTimeout(function () { button.classList.remove("copied"); }, 1500);
    }
    function fallback() {
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.style.position = "fixed";
      area.style.opacity = "0";
      document.body.appendChild(area);
      area.select();
      try { document.execCommand("copy"); done(); } catch (e) { /* selectable anyway */ }
      document.body.removeChild(area);
    }
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).then(done, fallback);
    } else {
      fallback();
    }
  }

  var buttons = document.querySelectorAll("button.copy[data-copy]");
  for (var i = 0; i < buttons.length; i++) {
    (function (button) {
      button.hidden = false;
      button.setAttribute("data-copied", document.documentElement.lang === "km" ? "បានចម្លង" : "Copied");
      button.addEventListener("click", function () {
        copyText(button.getAttribute("data-copy"), button);
      });
    }(buttons[i]));
  }

  var filter = document.getElementById("domain-filter");
  if (filter) {
    filter.parentNode.hidden = false;
    var entries = document.querySelectorAll(
      ".entries > li[data-domains], .print-table tr[data-domains]");
    var named = document.querySelectorAll(".print-domain");  // heading, running header
    var apply = function () {
      var wanted = filter.value;
      for (var k = 0; k < entries.length; k++) {
        var domains = " " + entries[k].getAttribute("data-domains") + " ";
        entries[k].hidden = wanted !== "" && domains.indexOf(" " + wanted + " ") < 0;
      }
      var label = wanted === "" ? "" : " — " + filter.options[filter.selectedIndex].text;
      for (var n = 0; n < named.length; n++) { named[n].textContent = label; }
    };
    filter.addEventListener("change", apply);
    // print.html?domain=ID (a domain page's "print" link) chooses that domain
    var asked = /[?&]domain=([^&#]*)/.exec(window.location.search);
    var id = "";
    try { id = asked ? decodeURIComponent(asked[1]) : ""; } catch (e) { /* a bad link */ }
    for (var o = 0; o < filter.options.length; o++) {
      if (id && filter.options[o].value === id) { filter.selectedIndex = o; }
    }
    apply();  // the domain asked for, or a choice the browser kept on a reload
  }

  var printed = document.querySelector(".printed-on");
  if (printed) {
    // Today's date written as the build writes dates (babel's long pattern and month
    // names, given by the page), not by the browser's locale data, which may lack Khmer.
    var shown = printed.querySelector(".print-date");
    var parts = (shown.getAttribute("data-long-date") || "y-MM-dd").split("|");
    var stamp = function () {
      var now = new Date();
      var text = parts[0].replace(/MMMM|MM|d|y/g, function (token) {
        if (token === "MMMM") { return parts[now.getMonth() + 1] || ""; }
        if (token === "MM") { return ("0" + (now.getMonth() + 1)).slice(-2); }
        if (token === "d") { return String(now.getDate()); }
        return String(now.getFullYear());
      });
      shown.textContent = digits(text);
      printed.hidden = false;
    };
    stamp();
    window.addEventListener("beforeprint", stamp);
  }
}());
