// Tests themes/default/static/search.js in Node (20+, no packages): `node tests/search_js_test.mjs`.
//
// The script runs in a vm context with a small fake DOM. It is tested on a fixture index
// built here, and, when present, on the indexes that `cargo test --lib search` writes to
// target/search-test/ (the Rust fixture and the shipped content): there it also checks that
// search.js splits every stored paragraph into exactly the terms src/render/search indexed.
// Run `cargo test --lib search` first; without those files their tests are skipped (and said
// so). Set DEALBOOK_SEARCH_TEST_DIR to read those indexes from elsewhere.

import { readFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import assert from 'node:assert/strict';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..');
const SCRIPT = readFileSync(join(repo, 'themes/default/static/search.js'), 'utf8');
const GENERATED = process.env.DEALBOOK_SEARCH_TEST_DIR || join(repo, 'target/search-test');

let failures = 0;
let passed = 0;
async function test(name, body) {
  try {
    await body();
    passed++;
    console.log(`ok   ${name}`);
  } catch (error) {
    failures++;
    console.log(`FAIL ${name}`);
    console.log(String(error && error.stack ? error.stack : error).replace(/^/gm, '     '));
  }
}
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// ---- A fake DOM: just what search.js uses ----

class FakeNode {
  constructor(document) {
    this.ownerDocument = document;
    this.childNodes = [];
    this.parentNode = null;
  }
  get firstChild() {
    return this.childNodes[0] || null;
  }
  appendChild(child) {
    if (child.parentNode) child.parentNode.removeChild(child);
    child.parentNode = this;
    this.childNodes.push(child);
    return child;
  }
  removeChild(child) {
    this.childNodes = this.childNodes.filter((c) => c !== child);
    child.parentNode = null;
    return child;
  }
  contains(other) {
    for (let n = other; n; n = n.parentNode) if (n === this) return true;
    return false;
  }
  get textContent() {
    return this.childNodes.map((c) => c.textContent).join('');
  }
  set textContent(value) {
    this.childNodes.forEach((c) => (c.parentNode = null));
    this.childNodes = [];
    if (value !== '') this.appendChild(this.ownerDocument.createTextNode(String(value)));
  }
}

class FakeText extends FakeNode {
  constructor(document, data) {
    super(document);
    this.nodeType = 3;
    this.data = data;
  }
  get textContent() {
    return this.data;
  }
}

class FakeElement extends FakeNode {
  constructor(document, tag) {
    super(document);
    this.nodeType = 1;
    this.tagName = tag.toUpperCase();
    this.attributes = new Map();
    this.listeners = new Map();
    this.hidden = false;
    this.value = '';
    this.clicks = 0;
  }
  get id() {
    return this.getAttribute('id') || '';
  }
  get className() {
    return this.getAttribute('class') || '';
  }
  set className(value) {
    this.setAttribute('class', value);
  }
  getAttribute(name) {
    return this.attributes.has(name) ? this.attributes.get(name) : null;
  }
  setAttribute(name, value) {
    this.attributes.set(name, String(value));
  }
  hasAttribute(name) {
    return this.attributes.has(name);
  }
  addEventListener(type, listener) {
    if (!this.listeners.has(type)) this.listeners.set(type, []);
    this.listeners.get(type).push(listener);
  }
  dispatch(type, init = {}) {
    const event = {
      type,
      target: this,
      defaultPrevented: false,
      preventDefault() {
        this.defaultPrevented = true;
      },
      ...init,
    };
    for (let n = this; n; n = n.parentNode) {
      for (const listener of n.listeners?.get(type) || []) listener.call(n, event);
    }
    return event;
  }
  focus() {
    if (this.ownerDocument.activeElement === this) return;
    this.ownerDocument.activeElement = this;
    this.dispatch('focus');
  }
  click() {
    this.clicks++;
  }
  // Test helpers.
  all(tag) {
    const out = [];
    const walk = (n) => {
      for (const c of n.childNodes) {
        if (c.nodeType === 1) {
          if (!tag || c.tagName === tag.toUpperCase()) out.push(c);
          walk(c);
        }
      }
    };
    walk(this);
    return out;
  }
}

class FakeDocument {
  constructor(root) {
    this.readyState = 'complete';
    this.created = [];
    this.listeners = new Map();
    this.documentElement = new FakeElement(this, 'html');
    this.documentElement.parentNode = null;
    this.body = this.createElement('body');
    this.documentElement.appendChild(this.body);
    this.body.setAttribute('data-root', root);
    this.input = this.createElement('input');
    this.input.setAttribute('type', 'search');
    this.input.setAttribute('id', 'search-input');
    this.panel = this.createElement('div');
    this.panel.setAttribute('id', 'search-results');
    this.panel.hidden = true;
    this.outside = this.createElement('main');
    this.body.appendChild(this.input);
    this.body.appendChild(this.panel);
    this.body.appendChild(this.outside);
    this.activeElement = this.body;
    this.created = [];
  }
  createElement(tag) {
    const element = new FakeElement(this, tag);
    this.created.push(element.tagName);
    return element;
  }
  createTextNode(data) {
    return new FakeText(this, data);
  }
  getElementById(id) {
    const find = (n) => {
      if (n.nodeType === 1 && n.getAttribute('id') === id) return n;
      for (const c of n.childNodes) {
        const found = find(c);
        if (found) return found;
      }
      return null;
    };
    return find(this.documentElement);
  }
  addEventListener(type, listener) {
    if (!this.listeners.has(type)) this.listeners.set(type, []);
    this.listeners.get(type).push(listener);
  }
  click(target) {
    const event = { type: 'click', target };
    for (const listener of this.listeners.get('click') || []) listener(event);
  }
}

/** Runs search-index.js (if given) and search.js in a fresh page; returns {window, document}. */
function page(indexScript, root = '../') {
  const document = new FakeDocument(root);
  const errors = [];
  const context = vm.createContext({
    setTimeout,
    clearTimeout,
    console: { ...console, error: (...a) => errors.push(a), warn: (...a) => errors.push(a) },
  });
  context.window = context;
  context.document = document;
  if (indexScript !== null) vm.runInContext(indexScript, context, { filename: 'search-index.js' });
  vm.runInContext(SCRIPT, context, { filename: 'search.js' });
  return { window: context, document, errors };
}

/** The index src/render/search would write, built with search.js's own tokeniser. */
function buildIndex(api, docs) {
  const out = { v: 1, docs: [], terms: {} };
  const postings = new Map();
  let n = 0;
  for (const doc of docs) {
    const paragraphs = [doc.title.split(/\s+/).filter(Boolean).join(' ')];
    for (const p of doc.text.split('\n')) if (p.trim()) paragraphs.push(p.trim());
    for (const p of paragraphs) {
      for (const term of api.indexTerms(p)) {
        if (!postings.has(term)) postings.set(term, []);
        postings.get(term).push(n);
      }
      n++;
    }
    out.docs.push({ u: doc.url, p: paragraphs });
  }
  for (const term of [...postings.keys()].sort()) {
    const list = postings.get(term);
    out.terms[term] = list.map((x, i) => (i ? x - list[i - 1] : x));
  }
  return out;
}

function indexScript(index) {
  return 'window.DEALBOOK_SEARCH = ' + JSON.stringify(index).replace(/</g, '\\u003c') + ';\n';
}

/** Types `text` and waits for the debounce. */
async function type(document, text) {
  document.input.value = text;
  document.input.dispatch('input', { isComposing: false });
  await sleep(150);
}

function shown(document) {
  const items = document.panel.all('li').map((li) => {
    const a = li.all('a')[0];
    return {
      href: a.getAttribute('href'),
      title: a.all('span')[0].textContent,
      snippet: a.all('span')[1] ? a.all('span')[1].textContent : '',
      marks: a.all('mark').map((m) => m.textContent),
    };
  });
  return { hidden: document.panel.hidden, status: document.panel.all('p')[0].textContent, items };
}

const { window: bare } = page(null);
const api = bare.DealbookSearch;

const DOCS = [
  {
    url: 'preconditions.html',
    title: '一、合作前提条件',
    text: '显著成本优势：至少 30% 以上成本降低\n技术验证：PoC 验证延迟 < 5s，稳定性明显提升\n低迁移成本：迁移工作量 ≤ 2 人周',
  },
  {
    url: 'red-lines.html',
    title: '三、我们不接受的方案（明确红线）',
    text: '排他性协议：不接受任何排他性条款\n深度绑定：不接受专有技术导致的强绑定\n要求替换全部供应商：坚持多供应商策略',
  },
  {
    url: 'negotiation.html#strategy',
    title: '四、谈判策略',
    text: '强调我们的多供应商策略是既定方针\n成本降低不足 20% 时，不考虑迁移\n供应 商 分开写的时候不算',
  },
  {
    url: 'reports/2026-02-05-aliyun-review.html',
    title: '阿里云 · 方案评估 2026-02-05',
    text:
      '综合成本降低约 35%\nP95 延迟数据对方下周提供\n对方笔记：</script><img src=x onerror=alert(1)> & <!-- x -->\n' +
      'ＰｏＣ 计划两周，ＡＰＩ 调用层改造 3 人周，poc 资源费用对方承担\n' +
      '很长的一段：' + '背景说明。'.repeat(40) + '关键：延迟必须低于五秒。' + '补充材料。'.repeat(40),
  },
  { url: 'constructor.html', title: 'toString constructor __proto__', text: 'hasOwnProperty 😀𠀀𠀁 v2.0' },
];
const FIXTURE = buildIndex(api, DOCS);
// Values from the vm context have its own prototypes: compare plain copies.
const plain = (value) => JSON.parse(JSON.stringify(value));
const urls = (found) => plain(found.results.map((r) => r.url));

await test('search.js builds no markup from strings and asks no network', () => {
  for (const bad of ['.innerHTML', '.outerHTML', '.insertAdjacentHTML', 'document.write', 'eval(', 'fetch(', 'XMLHttpRequest', 'import(']) {
    assert.ok(!SCRIPT.includes(bad), `search.js uses ${bad}`);
  }
});

await test('tokeniser: CJK characters and pairs, lowercase words, full-width folded', () => {
  const terms = [...api.indexTerms('PoC 验证延迟 < 5s，成本降低 30%')];
  for (const t of ['poc', '验', '延迟', '证延', '5s', '成本', '30']) assert.ok(terms.includes(t), t);
  assert.ok(!terms.includes('%') && !terms.includes('PoC'));
  assert.deepEqual([...api.indexTerms('ＰｏＣ　３０％')], ['poc', '30']);
  assert.equal(api.normalize('ＰｏＣ İ Σ 𠀀'), 'poc İ σ 𠀀');
  assert.equal(api.normalize('ＡＢＣ😀'.repeat(3)).length, 'ＡＢＣ😀'.repeat(3).length);
  const units = plain(api.parseQuery('多供应商 PoC 成本 30% po'));
  assert.deepEqual(
    units.map((u) => [u.text, u.terms, u.prefix]),
    [
      ['多供应商', ['多供', '供应', '应商'], false],
      ['poc', ['poc'], false],
      ['成本', ['成本'], false],
      ['30', ['30'], false],
      ['po', ['po'], true],
    ],
  );
  assert.deepEqual(plain(api.parseQuery('排').map((u) => u.terms)), [['排']]);
  assert.deepEqual(plain(api.parseQuery('  %%  ')), []);
});

await test('queries find the right documents (fixture built in JS)', () => {
  const s = new api.Searcher(FIXTURE);
  assert.deepEqual(urls(s.search('排他')), ['red-lines.html']);
  assert.deepEqual(urls(s.search('排')), ['red-lines.html']);
  assert.deepEqual(urls(s.search('延迟')).sort(), ['preconditions.html', 'reports/2026-02-05-aliyun-review.html']);
  assert.deepEqual(urls(s.search('多供应商')), ['red-lines.html', 'negotiation.html#strategy']);
  assert.deepEqual(urls(s.search('PoC')), ['reports/2026-02-05-aliyun-review.html', 'preconditions.html'], 'two hits rank first');
  assert.deepEqual(urls(s.search('ｐｏｃ')), urls(s.search('PoC')));
  assert.deepEqual(urls(s.search('成本 30%')), ['preconditions.html']);
  assert.deepEqual(urls(s.search('谈判策略')), ['negotiation.html#strategy'], 'titles are searched');
  assert.deepEqual(urls(s.search('排他 延迟')), [], 'every unit must match');
  assert.deepEqual(urls(s.search('供应商')).length, 2, '「供应 商」 is not a hit');
  assert.deepEqual(urls(s.search('提')), ['preconditions.html', 'reports/2026-02-05-aliyun-review.html']);
  // Prefix for the word being typed, exact words otherwise.
  assert.deepEqual(urls(s.search('po')).sort(), ['preconditions.html', 'reports/2026-02-05-aliyun-review.html']);
  assert.deepEqual(urls(s.search('po ')), []);
  assert.deepEqual(urls(s.search('P9')), ['reports/2026-02-05-aliyun-review.html']);
  // Keys that are also Object.prototype's.
  assert.deepEqual(urls(s.search('constructor')), ['constructor.html']);
  assert.deepEqual(urls(s.search('hasOwnProperty')), ['constructor.html']);
  assert.deepEqual(urls(s.search('__proto__')), ['constructor.html'], '「_」 separates words');
  assert.deepEqual(urls(s.search('proto')), ['constructor.html']);
  assert.deepEqual(urls(s.search('𠀀')), ['constructor.html']);
  assert.deepEqual(urls(s.search('v2.0')), ['constructor.html']);
});

await test('results carry the matching paragraph with the hits marked', () => {
  const s = new api.Searcher(FIXTURE);
  const [r] = s.search('多供应商 替换').results;
  assert.equal(r.title, '三、我们不接受的方案（明确红线）');
  assert.equal(r.snippet.text, '要求替换全部供应商：坚持多供应商策略');
  assert.deepEqual(plain(r.snippet.marks.map(([a, b]) => r.snippet.text.slice(a, b))), ['替换', '多供应商']);
  const [t] = s.search('谈判').results;
  assert.deepEqual(plain(t.titleMarks.map(([a, b]) => t.title.slice(a, b))), ['谈判']);
  assert.equal(t.snippet.text, '强调我们的多供应商策略是既定方针', 'title-only hit: first paragraph');
  // Marks are on the original text, full-width and all.
  const [p] = s.search('poc 资源').results;
  assert.deepEqual(plain(p.snippet.marks.map(([a, b]) => p.snippet.text.slice(a, b))), ['ＰｏＣ', 'poc', '资源']);
  // A long paragraph: a window around the first hit.
  const [l] = s.search('五秒').results;
  assert.ok(l.snippet.cutBefore && l.snippet.cutAfter && l.snippet.text.length <= 121, l.snippet.text);
  assert.deepEqual(plain(l.snippet.marks.map(([a, b]) => l.snippet.text.slice(a, b))), ['五秒']);
});

await test('the page: typing shows linked, marked results; Escape and an empty query hide them', async () => {
  const { document, errors } = page(indexScript(FIXTURE), '../');
  const panel = document.panel;
  assert.equal(panel.getAttribute('role'), 'region');
  assert.equal(panel.getAttribute('aria-label'), '搜索结果');
  assert.equal(panel.all('p')[0].getAttribute('aria-live'), 'polite');
  assert.equal(panel.hidden, true);

  await type(document, '多供应商');
  let view = shown(document);
  assert.equal(view.hidden, false);
  assert.equal(view.status, '找到 2 个结果');
  assert.deepEqual(view.items.map((i) => i.href), ['../red-lines.html', '../negotiation.html#strategy']);
  assert.deepEqual(view.items[0].marks, ['多供应商']);

  await type(document, '成本 30%');
  view = shown(document);
  assert.equal(view.status, '找到 1 个结果');
  assert.deepEqual(view.items[0].marks, ['成本', '30', '成本']);

  await type(document, '区块链');
  view = shown(document);
  assert.equal(view.status, '没有找到「区块链」');
  assert.equal(view.items.length, 0);

  await type(document, 'poc');
  document.input.dispatch('keydown', { key: 'Escape' });
  assert.equal(panel.hidden, true);
  await type(document, 'poc');
  assert.equal(panel.hidden, false);
  await type(document, '   ');
  assert.equal(panel.hidden, true);
  assert.deepEqual(errors, []);
});

await test('the page: debounced, and no search while an IME is composing', async () => {
  const { document } = page(indexScript(FIXTURE), './');
  const input = document.input;
  input.dispatch('compositionstart');
  for (const partial of ['p', 'pa', 'paita', '排他']) {
    input.value = partial;
    input.dispatch('input', { isComposing: true });
  }
  input.dispatch('keydown', { key: 'Enter', isComposing: true });
  await sleep(150);
  assert.equal(document.panel.hidden, true, 'nothing shown while composing');
  input.dispatch('compositionend', { data: '排他' });
  input.dispatch('input', { isComposing: false });
  await sleep(30);
  assert.equal(document.panel.hidden, true, 'debounced');
  await sleep(120);
  const view = shown(document);
  assert.equal(view.hidden, false);
  assert.deepEqual(view.items.map((i) => i.href), ['./red-lines.html']);
});

await test('the page: keyboard moves through the result links; clicking outside hides', async () => {
  const { document } = page(indexScript(FIXTURE), './');
  await type(document, '延迟');
  const links = document.panel.all('a');
  assert.equal(links.length, 2);
  document.input.dispatch('keydown', { key: 'ArrowDown' });
  assert.equal(document.activeElement, links[0]);
  links[0].dispatch('keydown', { key: 'ArrowDown' });
  assert.equal(document.activeElement, links[1]);
  links[1].dispatch('keydown', { key: 'ArrowDown' });
  assert.equal(document.activeElement, links[1]);
  links[1].dispatch('keydown', { key: 'ArrowUp' });
  links[0].dispatch('keydown', { key: 'ArrowUp' });
  assert.equal(document.activeElement, document.input);
  links[0].focus();
  links[0].dispatch('keydown', { key: 'Escape' });
  assert.equal(document.activeElement, document.input);
  assert.equal(document.panel.hidden, true);
  // Focus comes back to a filled box: the results come back.
  document.outside.focus();
  document.input.focus();
  assert.equal(document.panel.hidden, false);
  document.click(document.panel.all('mark')[0]);
  assert.equal(document.panel.hidden, false);
  document.click(document.outside);
  assert.equal(document.panel.hidden, true);
  // Enter opens the first result.
  await type(document, '排他');
  const event = document.input.dispatch('keydown', { key: 'Enter' });
  assert.ok(event.defaultPrevented);
  assert.equal(document.panel.all('a')[0].clicks, 1);
});

await test('the page: vendor text stays text; at most 20 results', async () => {
  const { document } = page(indexScript(FIXTURE), './');
  await type(document, 'script onerror');
  const view = shown(document);
  assert.equal(view.items.length, 1);
  assert.ok(view.items[0].snippet.includes('</script><img src=x onerror=alert(1)>'));
  const tags = new Set(document.created);
  for (const tag of tags) assert.ok(['P', 'OL', 'LI', 'A', 'SPAN', 'MARK'].includes(tag), tag);

  const many = buildIndex(api, Array.from({ length: 30 }, (_, i) => ({ url: `d${i}.html`, title: `文档 ${i}`, text: '成本'.repeat(i + 1) })));
  const second = page(indexScript(many), './').document;
  await type(second, '成本');
  const all = shown(second);
  assert.equal(all.status, '找到 30 个结果，显示前 20 个');
  assert.equal(all.items.length, 20);
  assert.equal(all.items[0].href, './d29.html', 'most hits first');
});

await test('the page: a missing index is reported, not thrown', async () => {
  const { document, errors } = page(null, './');
  await type(document, '排他');
  assert.equal(shown(document).status, '搜索索引未加载，暂时无法搜索');
  assert.deepEqual(errors, []);
});

// ---- Indexes written by src/render/search (cargo test --lib search) ----

function loadGenerated(name) {
  const path = join(GENERATED, name);
  if (!existsSync(path)) return null;
  const context = vm.createContext({});
  context.window = context;
  const source = readFileSync(path, 'utf8');
  vm.runInContext(source, context, { filename: name });
  return { source, index: JSON.parse(JSON.stringify(context.DEALBOOK_SEARCH)) };
}

function checkParity(index) {
  // Recompute every term from the stored paragraphs with search.js's tokeniser.
  const rebuilt = buildIndex(api, []);
  const postings = new Map();
  let n = 0;
  for (const doc of index.docs) {
    for (const p of doc.p) {
      for (const term of api.indexTerms(p)) {
        if (!postings.has(term)) postings.set(term, []);
        postings.get(term).push(n);
      }
      n++;
    }
  }
  for (const term of [...postings.keys()].sort()) {
    const list = postings.get(term);
    rebuilt.terms[term] = list.map((x, i) => (i ? x - list[i - 1] : x));
  }
  const rustTerms = Object.keys(index.terms).sort();
  const jsTerms = Object.keys(rebuilt.terms).sort();
  const onlyRust = rustTerms.filter((t) => !(t in rebuilt.terms));
  const onlyJs = jsTerms.filter((t) => !Object.prototype.hasOwnProperty.call(index.terms, t));
  assert.deepEqual([onlyRust, onlyJs], [[], []], 'terms only in the Rust index / only in JS');
  for (const t of rustTerms) assert.deepEqual(index.terms[t], rebuilt.terms[t], t);
}

const rustFixture = loadGenerated('fixture-index.js');
const content = loadGenerated('content-index.js');
if (!rustFixture || !content) {
  console.log(`SKIP the Rust-written indexes: none in ${GENERATED}; run \`cargo test --lib search\` first`);
}

if (rustFixture) {
  await test('Rust fixture index: search.js tokenises exactly as src/render/search', () => {
    assert.ok(!/<|>|&/.test(rustFixture.source), 'escaped for <script>');
    checkParity(rustFixture.index);
  });
  await test('Rust fixture index: the queries of src/render/search tests agree', () => {
    const s = new api.Searcher(rustFixture.index);
    const found = (q) => urls(s.search(q)).sort();
    assert.deepEqual(found('排他'), ['red-lines.html']);
    assert.deepEqual(found('延迟'), ['preconditions.html', 'reports/2026-02-05-aliyun-review.html']);
    assert.deepEqual(found('多供应商'), ['negotiation.html#strategy', 'red-lines.html']);
    assert.deepEqual(found('PoC'), ['preconditions.html', 'reports/2026-02-05-aliyun-review.html']);
    assert.deepEqual(found('成本 30%'), ['preconditions.html']);
    assert.deepEqual(found('ελληνικά'), ['reports/mixed.html']);
    assert.deepEqual(found('ΣΊΣΥΦΟΣ'), ['reports/mixed.html']);
    assert.deepEqual(found('テスト'), ['reports/mixed.html']);
    const [r] = s.search('script').results;
    assert.equal(r.snippet.text, '对方笔记：</script><script>alert(1)</script> & <!-- x -->');
  });
}

if (content) {
  await test('content index: search.js tokenises exactly as src/render/search', () => checkParity(content.index));
  await test('content index: the typical queries find the right pages', async () => {
    const s = new api.Searcher(content.index);
    const report = [];
    for (const q of ['排他', '延迟', '多供应商', 'PoC', '成本 30%', '退出机制', '5s']) {
      const found = s.search(q);
      report.push(`${q}: ${found.total} → ${urls(found).slice(0, 4).join(', ')}`);
      assert.ok(found.total > 0, q);
      for (const r of found.results) {
        const marked = r.titleMarks.length + (r.snippet ? r.snippet.marks.length : 0);
        assert.ok(marked > 0, `${q}: ${r.url} shows no hit`);
      }
    }
    console.log(report.map((l) => '       ' + l).join('\n'));
    assert.ok(urls(s.search('排他')).includes('red-lines.html'));
    for (const page of ['negotiation.html', 'questions.html', 'decision-matrix.html']) {
      assert.ok(urls(s.search('多供应商')).includes(page), page);
    }
    assert.ok(urls(s.search('成本 30%')).includes('preconditions.html'));
    // Timing: a query over the whole site, index prepared.
    const started = process.hrtime.bigint();
    for (let i = 0; i < 100; i++) s.search(['排他', '延迟', 'p', '成本 30%'][i % 4]);
    const ms = Number(process.hrtime.bigint() - started) / 1e6 / 100;
    console.log(`       ${content.source.length} chars, ${Object.keys(content.index.terms).length} terms, ${ms.toFixed(2)} ms a query`);
  });
}

console.log(`\n${passed} passed, ${failures} failed`);
process.exit(failures ? 1 : 0);
