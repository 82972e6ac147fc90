/* dealbook: offline full-text search, for Chinese and Latin text alike.
 *
 * Reads the index that search-index.js sets as window.DEALBOOK_SEARCH (written by
 * src/render/search/; the format is described in its mod.rs) and wires the page's
 * <input id="search-input"> and <div id="search-results" hidden>. Result links are prefixed
 * with <body data-root="./" | "../">.
 *
 * No network, no library, and no innerHTML: document text comes from vendors, so every text
 * reaches the page through textContent / createTextNode only.
 *
 * Normalisation and tokenisation mirror terms.rs exactly; tests/search_js_test.mjs checks the
 * two agree. A query is split the same way into units: a run of CJK characters is a phrase
 * (found through its character pairs, or its one character, then confirmed in the text), a run
 * of letters and digits is a word (the last one, still being typed, also matches as a prefix).
 * A document matches when it holds every unit; documents are ranked by their number of hits,
 * hits in the title counting more.
 */
(function () {
  'use strict';

  var INDEX_VERSION = 1;
  var MAX_RESULTS = 20;
  var DEBOUNCE_MS = 100;
  var MAX_QUERY_CHARS = 100;
  var SNIPPET_UNITS = 120; /* UTF-16 code units of paragraph shown around the first hit */
  var SNIPPET_LEAD = 30; /* of which before the first hit */
  var TITLE_WEIGHT = 5;

  /* ---- Normalisation and tokenisation (mirror of src/render/search/terms.rs) ---- */

  var OTHER = 0;
  var CJK = 1;
  var WORD = 2;

  var wordRe;
  try {
    wordRe = new RegExp('^[\\p{Alphabetic}\\p{N}]$', 'u');
  } catch (e) {
    /* An engine without Unicode property escapes: ASCII and Latin letters only. */
    wordRe = /^[0-9A-Za-z\u00aa\u00b2\u00b3\u00b5\u00b9\u00ba\u00bc-\u00be\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f]$/;
  }

  function isCjk(cp) {
    return cp === 0x3005 || cp === 0x3007 ||
      (cp >= 0x3041 && cp <= 0x30fa) ||
      (cp >= 0x30fc && cp <= 0x30ff) ||
      (cp >= 0x3400 && cp <= 0x4dbf) ||
      (cp >= 0x4e00 && cp <= 0x9fff) ||
      (cp >= 0xac00 && cp <= 0xd7af) ||
      (cp >= 0xf900 && cp <= 0xfaff) ||
      (cp >= 0x20000 && cp <= 0x3ffff);
  }

  function classOf(ch) {
    if (isCjk(ch.codePointAt(0))) return CJK;
    return wordRe.test(ch) ? WORD : OTHER;
  }

  /* One character (code point) as it is searched. Never changes the UTF-16 length, so an
   * offset in the normalised text is the same offset in the original. */
  function normalizeChar(ch) {
    var cp = ch.codePointAt(0);
    if (cp >= 0xff01 && cp <= 0xff5e) ch = String.fromCharCode(cp - 0xfee0);
    else if (cp === 0x3000) ch = ' ';
    var lower = ch.toLowerCase();
    /* One code point of the same UTF-16 length, as in terms.rs. */
    if (lower.length === ch.length && Array.from(lower).length === 1) return lower;
    return ch;
  }

  function normalize(text) {
    var out = '';
    for (var ch of text) out += normalizeChar(ch);
    return out;
  }

  /* Runs of CJK and of word characters: {cls, text (normalised), chars, start, end}, with
   * UTF-16 offsets into the text. */
  function runs(text) {
    var out = [];
    var current = null;
    var offset = 0;
    for (var raw of text) {
      var ch = normalizeChar(raw);
      var cls = classOf(ch);
      if (cls === OTHER) {
        current = null;
      } else if (current && current.cls === cls) {
        current.chars.push(ch);
        current.text += ch;
        current.end = offset + ch.length;
      } else {
        current = { cls: cls, chars: [ch], text: ch, start: offset, end: offset + ch.length };
        out.push(current);
      }
      offset += raw.length;
    }
    return out;
  }

  /* The terms the index records for a text (what terms.rs's `terms` gives). */
  function indexTerms(text) {
    var terms = new Set();
    runs(text).forEach(function (run) {
      if (run.cls === CJK) {
        for (var i = 0; i < run.chars.length; i++) {
          terms.add(run.chars[i]);
          if (i + 1 < run.chars.length) terms.add(run.chars[i] + run.chars[i + 1]);
        }
      } else {
        terms.add(run.text);
      }
    });
    return terms;
  }

  /* The units of a query: [{cls, text, terms, prefix}], without repeats. */
  function parseQuery(query) {
    var q = Array.from(String(query)).slice(0, MAX_QUERY_CHARS).join('');
    var found = runs(q);
    var units = [];
    var byKey = Object.create(null);
    found.forEach(function (run, i) {
      var prefix = run.cls === WORD && i === found.length - 1 && run.end === q.length;
      var key = run.cls + ':' + run.text;
      if (byKey[key]) {
        byKey[key].prefix = byKey[key].prefix && prefix;
        return;
      }
      var terms;
      if (run.cls === CJK && run.chars.length > 1) {
        terms = [];
        for (var j = 0; j + 1 < run.chars.length; j++) terms.push(run.chars[j] + run.chars[j + 1]);
      } else {
        terms = [run.text];
      }
      var unit = { cls: run.cls, text: run.text, terms: terms, prefix: prefix };
      byKey[key] = unit;
      units.push(unit);
    });
    return units;
  }

  /* ---- The index and the search ---- */

  function intersect(a, b) {
    var out = [];
    var i = 0;
    var j = 0;
    while (i < a.length && j < b.length) {
      if (a[i] === b[j]) {
        out.push(a[i]);
        i++;
        j++;
      } else if (a[i] < b[j]) {
        i++;
      } else {
        j++;
      }
    }
    return out;
  }

  function charBefore(text, at) {
    if (at <= 0) return '';
    var cp = text.codePointAt(at - 1);
    if (at >= 2 && cp >= 0xdc00 && cp <= 0xdfff) return String.fromCodePoint(text.codePointAt(at - 2));
    return String.fromCodePoint(cp);
  }

  function charAt(text, at) {
    if (at >= text.length) return '';
    return String.fromCodePoint(text.codePointAt(at));
  }

  /* [start, end) of every occurrence of the unit in a normalised paragraph. */
  function occurrences(norm, unit) {
    var out = [];
    var from = 0;
    for (;;) {
      var at = norm.indexOf(unit.text, from);
      if (at < 0) return out;
      var end = at + unit.text.length;
      if (unit.cls === CJK ||
          (classOf(charBefore(norm, at) || ' ') !== WORD &&
           (unit.prefix || classOf(charAt(norm, end) || ' ') !== WORD))) {
        out.push([at, end]);
        from = end;
      } else {
        from = at + 1;
      }
    }
  }

  function mergeRanges(ranges) {
    ranges.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; });
    var out = [];
    ranges.forEach(function (r) {
      var last = out[out.length - 1];
      if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
      else out.push([r[0], r[1]]);
    });
    return out;
  }

  function isLowSurrogate(text, at) {
    var c = text.charCodeAt(at);
    return c >= 0xdc00 && c <= 0xdfff;
  }

  /* The part of a paragraph to show: around the first hit, at most SNIPPET_UNITS long. */
  function snippet(text, ranges) {
    var start = 0;
    var end = text.length;
    if (text.length > SNIPPET_UNITS) {
      start = ranges.length ? Math.max(0, ranges[0][0] - SNIPPET_LEAD) : 0;
      end = Math.min(text.length, start + SNIPPET_UNITS);
      start = Math.max(0, end - SNIPPET_UNITS);
      if (start > 0 && isLowSurrogate(text, start)) start++;
      if (end < text.length && isLowSurrogate(text, end)) end++;
    }
    var marks = [];
    ranges.forEach(function (r) {
      var s = Math.max(r[0], start);
      var e = Math.min(r[1], end);
      if (s < e) marks.push([s - start, e - start]);
    });
    return {
      text: text.slice(start, end),
      marks: marks,
      cutBefore: start > 0,
      cutAfter: end < text.length
    };
  }

  function hasOwn(object, key) {
    return Object.prototype.hasOwnProperty.call(object, key);
  }

  /* Prepares an index (the value of window.DEALBOOK_SEARCH) for searching. */
  function Searcher(index) {
    if (!index || index.v !== INDEX_VERSION || !Array.isArray(index.docs) || !index.terms) {
      throw new Error('dealbook search: unsupported index');
    }
    this.docs = index.docs;
    this.terms = index.terms;
    this.paraDoc = [];
    this.paraPos = [];
    this.paraText = [];
    this.docFirst = [];
    for (var d = 0; d < this.docs.length; d++) {
      var paragraphs = this.docs[d].p;
      this.docFirst.push(this.paraDoc.length);
      for (var i = 0; i < paragraphs.length; i++) {
        this.paraDoc.push(d);
        this.paraPos.push(i);
        this.paraText.push(paragraphs[i]);
      }
    }
    this.normCache = [];
    this.postingCache = Object.create(null);
    this.wordTerms = null;
  }

  Searcher.prototype.norm = function (p) {
    var cached = this.normCache[p];
    if (cached === undefined) cached = this.normCache[p] = normalize(this.paraText[p]);
    return cached;
  };

  /* The sorted paragraph numbers of a term. */
  Searcher.prototype.postings = function (term) {
    var cached = this.postingCache[term];
    if (cached) return cached;
    var list = [];
    if (hasOwn(this.terms, term)) {
      var deltas = this.terms[term];
      var n = 0;
      for (var i = 0; i < deltas.length; i++) {
        n += deltas[i];
        list.push(n);
      }
    }
    this.postingCache[term] = list;
    return list;
  };

  /* Paragraphs that may hold the unit, before confirming in the text. */
  Searcher.prototype.candidates = function (unit) {
    var self = this;
    if (unit.cls === WORD && unit.prefix) {
      if (!this.wordTerms) {
        this.wordTerms = Object.keys(this.terms).filter(function (t) {
          return classOf(String.fromCodePoint(t.codePointAt(0))) === WORD;
        });
      }
      var seen = new Set();
      this.wordTerms.forEach(function (t) {
        if (t.lastIndexOf(unit.text, 0) === 0) self.postings(t).forEach(function (p) { seen.add(p); });
      });
      return Array.from(seen).sort(function (a, b) { return a - b; });
    }
    var list = this.postings(unit.terms[0]);
    for (var i = 1; i < unit.terms.length && list.length; i++) {
      list = intersect(list, this.postings(unit.terms[i]));
    }
    return list;
  };

  /* {units, total, results: [{doc, url, title, titleMarks, snippet, hits, score}]}: the
   * documents holding every unit of the query, best first, at most `limit` of them. */
  Searcher.prototype.search = function (query, limit) {
    var self = this;
    var max = limit === undefined ? MAX_RESULTS : limit;
    var units = parseQuery(query);
    if (!units.length) return { units: units, total: 0, results: [] };
    /* doc → {units: count of units found, paras: {p: {ranges, units}}, score, hits} */
    var found = new Map();
    for (var u = 0; u < units.length; u++) {
      var unit = units[u];
      var seenInDoc = new Set();
      this.candidates(unit).forEach(function (p) {
        var d = self.paraDoc[p];
        var entry = found.get(d);
        if (u > 0 && (!entry || entry.units < u)) return; /* already missing a unit */
        var ranges = occurrences(self.norm(p), unit);
        if (!ranges.length) return;
        if (!entry) {
          entry = { units: 0, paras: new Map(), score: 0, hits: 0 };
          found.set(d, entry);
        }
        if (!seenInDoc.has(d)) {
          seenInDoc.add(d);
          entry.units++;
        }
        var para = entry.paras.get(p);
        if (!para) {
          para = { ranges: [], units: 0 };
          entry.paras.set(p, para);
        }
        para.ranges = para.ranges.concat(ranges);
        para.units++;
        entry.hits += ranges.length;
        entry.score += ranges.length * (self.paraPos[p] === 0 ? TITLE_WEIGHT : 1);
      });
    }
    var matches = [];
    found.forEach(function (entry, d) {
      if (entry.units === units.length) matches.push({ doc: d, entry: entry });
    });
    matches.sort(function (a, b) { return b.entry.score - a.entry.score || a.doc - b.doc; });
    var results = matches.slice(0, max).map(function (m) {
      return self.result(m.doc, m.entry);
    });
    return { units: units, total: matches.length, results: results };
  };

  Searcher.prototype.result = function (d, entry) {
    var first = this.docFirst[d];
    var doc = this.docs[d];
    var best = -1;
    var bestPara = null;
    entry.paras.forEach(function (para, p) {
      if (p === first) return; /* the title */
      if (!bestPara || para.units > bestPara.units ||
          (para.units === bestPara.units && para.ranges.length > bestPara.ranges.length) ||
          (para.units === bestPara.units && para.ranges.length === bestPara.ranges.length && p < best)) {
        best = p;
        bestPara = para;
      }
    });
    var title = entry.paras.get(first);
    var body = null;
    if (bestPara) body = snippet(this.paraText[best], mergeRanges(bestPara.ranges));
    else if (doc.p.length > 1) body = snippet(doc.p[1], []);
    return {
      doc: d,
      url: doc.u,
      title: doc.p[0],
      titleMarks: title ? mergeRanges(title.ranges) : [],
      snippet: body,
      hits: entry.hits,
      score: entry.score
    };
  };

  /* ---- The page ---- */

  function appendMarked(document, parent, text, marks) {
    var at = 0;
    marks.forEach(function (m) {
      if (m[0] > at) parent.appendChild(document.createTextNode(text.slice(at, m[0])));
      var mark = document.createElement('mark');
      mark.textContent = text.slice(m[0], m[1]);
      parent.appendChild(mark);
      at = m[1];
    });
    if (at < text.length) parent.appendChild(document.createTextNode(text.slice(at)));
  }

  function statusText(query, total, shown) {
    if (total === 0) return '没有找到「' + query + '」';
    if (shown < total) return '找到 ' + total + ' 个结果，显示前 ' + shown + ' 个';
    return '找到 ' + total + ' 个结果';
  }

  /* Wires the search box of `document`; returns its controller, or null when the page has no
   * search box. */
  function init(document, window) {
    var input = document.getElementById('search-input');
    var panel = document.getElementById('search-results');
    if (!input || !panel) return null;
    var body = document.body;
    var root = (body && body.getAttribute('data-root')) || '';

    panel.setAttribute('role', 'region');
    if (!panel.getAttribute('aria-label')) panel.setAttribute('aria-label', '搜索结果');
    input.setAttribute('aria-controls', 'search-results');
    input.setAttribute('autocomplete', 'off');
    var status = document.createElement('p');
    status.className = 'search-status';
    status.setAttribute('role', 'status');
    status.setAttribute('aria-live', 'polite');
    var list = document.createElement('ol');
    list.className = 'search-list';
    panel.textContent = '';
    panel.appendChild(status);
    panel.appendChild(list);

    var searcher = null;
    var composing = false;
    var timer = null;
    var shownQuery = null;

    function getSearcher() {
      if (!searcher) {
        var index = window.DEALBOOK_SEARCH;
        try {
          if (index) searcher = new Searcher(index);
        } catch (e) {
          searcher = null;
        }
      }
      return searcher;
    }

    function hide() {
      panel.hidden = true;
    }

    function links() {
      var out = [];
      var items = list.childNodes;
      for (var i = 0; i < items.length; i++) {
        var a = items[i].firstChild;
        if (a) out.push(a);
      }
      return out;
    }

    function render(query) {
      shownQuery = query;
      list.textContent = '';
      var s = getSearcher();
      if (!s) {
        status.textContent = '搜索索引未加载，暂时无法搜索';
        panel.hidden = false;
        return;
      }
      var found = s.search(query, MAX_RESULTS);
      status.textContent = statusText(query.trim(), found.total, found.results.length);
      found.results.forEach(function (r) {
        var item = document.createElement('li');
        var link = document.createElement('a');
        link.setAttribute('href', root + r.url);
        link.className = 'search-result';
        var title = document.createElement('span');
        title.className = 'search-result-title';
        appendMarked(document, title, r.title, r.titleMarks);
        link.appendChild(title);
        if (r.snippet && r.snippet.text) {
          var text = document.createElement('span');
          text.className = 'search-result-snippet';
          if (r.snippet.cutBefore) text.appendChild(document.createTextNode('…'));
          appendMarked(document, text, r.snippet.text, r.snippet.marks);
          if (r.snippet.cutAfter) text.appendChild(document.createTextNode('…'));
          link.appendChild(text);
        }
        item.appendChild(link);
        list.appendChild(item);
      });
      panel.hidden = false;
    }

    function run() {
      if (timer !== null) {
        window.clearTimeout(timer);
        timer = null;
      }
      var query = input.value || '';
      if (!query.trim()) {
        shownQuery = null;
        hide();
        return;
      }
      if (query === shownQuery && !panel.hidden) return;
      render(query);
    }

    function schedule() {
      if (timer !== null) window.clearTimeout(timer);
      timer = window.setTimeout(run, DEBOUNCE_MS);
    }

    function composingKey(event) {
      return composing || event.isComposing || event.keyCode === 229;
    }

    input.addEventListener('compositionstart', function () {
      composing = true;
    });
    input.addEventListener('compositionend', function () {
      composing = false;
      schedule();
    });
    input.addEventListener('input', function (event) {
      if (composing || event.isComposing) return;
      schedule();
    });
    input.addEventListener('focus', function () {
      if (panel.hidden && (input.value || '').trim()) {
        shownQuery = null;
        run();
      }
    });
    input.addEventListener('keydown', function (event) {
      if (composingKey(event)) return;
      var key = event.key;
      if (key === 'Escape') {
        if (!panel.hidden) {
          event.preventDefault();
          hide();
        }
      } else if (key === 'ArrowDown') {
        if (timer !== null) run();
        var all = links();
        if (!panel.hidden && all.length) {
          event.preventDefault();
          all[0].focus();
        }
      } else if (key === 'Enter') {
        if (timer !== null) run();
        var first = links()[0];
        if (!panel.hidden && first) {
          event.preventDefault();
          first.click();
        }
      }
    });
    panel.addEventListener('keydown', function (event) {
      var key = event.key;
      if (key !== 'ArrowDown' && key !== 'ArrowUp' && key !== 'Escape') return;
      event.preventDefault();
      if (key === 'Escape') {
        input.focus(); /* first: the input's focus handler would show the panel again */
        hide();
        return;
      }
      var all = links();
      var at = all.indexOf(document.activeElement);
      if (key === 'ArrowDown' && at + 1 < all.length) all[at + 1].focus();
      else if (key === 'ArrowUp' && at > 0) all[at - 1].focus();
      else if (key === 'ArrowUp') input.focus();
    });
    document.addEventListener('click', function (event) {
      var target = event.target;
      if (panel.hidden || !target) return;
      if (input.contains(target) || panel.contains(target)) return;
      hide();
    });

    return { run: run, hide: hide, input: input, panel: panel };
  }

  var api = {
    version: INDEX_VERSION,
    normalize: normalize,
    indexTerms: indexTerms,
    parseQuery: parseQuery,
    Searcher: Searcher,
    search: function (index, query, limit) {
      return new Searcher(index).search(query, limit);
    },
    init: init
  };

  if (typeof window !== 'undefined') {
    window.DealbookSearch = api;
    if (typeof document !== 'undefined') {
      if (document.readyState === 'loading') {
        document.addEventListener('DOMContentLoaded', function () {
          init(document, window);
        });
      } else {
        init(document, window);
      }
    }
  }
  if (typeof module === 'object' && module && module.exports) module.exports = api;
})();
