// Real-browser checks of a built dealbook site, in Debian's Chromium.
//
//   node tests/browser/run.mjs SITE_DIR SHOTS_DIR
//
// SITE_DIR is the folder `dealbook build --output DIR` wrote; this script builds nothing. It
// serves SITE_DIR over http on 127.0.0.1 (a tiny built-in server, closed at the end) and also
// opens it through file:// URLs, then checks:
//   - vnu (the Nu Html Checker, --errors-only) over every .html file: no error;
//   - axe-core (wcag2a, wcag2aa) on index.html, decision.html, meetings.html and one report, in
//     the light and the dark colour scheme at 1280 px and at 375 px: no violation of impact
//     serious or critical;
//   - the offline search: Chinese queries (排他, 延迟) and PoC show result links that lead to
//     pages holding the query, from the home page, from a report (../ links) and from file://;
//   - at a 375 px wide viewport no page scrolls sideways;
//   - in print media the top bar, the sidebar, the table of contents and the pager are hidden;
//   - phones first: on the longest report at 375 px the site menu is folded behind its button
//     (which opens it from the keyboard, with and without JavaScript) and the verdict and its
//     reasons come before the page's table of contents; at 1280 px the sidebar shows unasked;
//   - tables at 320, 375 and 1280 px and in print (A4 text width), every page: no cell narrower
//     than two characters, no date and no cell of two to four Chinese characters split over two
//     lines, and (320 and 375 px) nothing wider than the viewport outside a horizontal scroll
//     container;
//   - printed on A4 (page.pdf), each report takes at most one page more than its own PDF;
//   - from file://, every relative link, stylesheet and script resolves (fragments included),
//     and no page logs a script error or fails to load a resource;
//   - screenshots at 1280 px and 375 px (full page) of index.html and a report, in SHOTS_DIR.
// Every tool it needs must be there: a missing one fails the run, nothing is skipped.
// Exit code: 0 all passed, 1 a check failed, 2 usage error or missing tool.
//
// Environment: DEALBOOK_CHROMIUM (default /usr/bin/chromium), DEALBOOK_BROWSER_TIMEOUT_MS
// (whole-run limit, default 150000).

import { createServer } from 'node:http';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, createReadStream } from 'node:fs';
import { dirname, extname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(join(here, 'package.json'));

const CHROMIUM = process.env.DEALBOOK_CHROMIUM || '/usr/bin/chromium';
const RUN_LIMIT_MS = Number(process.env.DEALBOOK_BROWSER_TIMEOUT_MS || 150000);
const STEP_MS = 15000; // any one browser action, navigation or wait
const VNU_MS = 90000;
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const INSTALL_HINT = 'run: npm ci --prefix tests/browser (and apt-get install chromium default-jre-headless if missing)';

// ---------------------------------------------------------------- arguments and tools

function die(code, message) {
  console.error(`browser: ${message}`);
  process.exit(code);
}

const [siteArg, shotsArg] = process.argv.slice(2);
if (!siteArg || !shotsArg) die(2, 'usage: node tests/browser/run.mjs SITE_DIR SHOTS_DIR');
const SITE = resolve(siteArg);
const SHOTS = resolve(shotsArg);
if (!existsSync(join(SITE, 'index.html'))) die(2, `${SITE} has no index.html: pass the folder \`dealbook build --output DIR\` wrote`);

function requireTool(name) {
  try {
    return require(name);
  } catch (error) {
    die(2, `missing npm package ${name} (${error.code || error.message}); ${INSTALL_HINT}`);
  }
}
const { chromium } = requireTool('playwright-core');
let AXE_SOURCE;
try {
  AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
} catch (error) {
  die(2, `missing npm package axe-core (${error.code || error.message}); ${INSTALL_HINT}`);
}
let VNU_JAR;
try {
  VNU_JAR = join(dirname(require.resolve('vnu-jar/package.json')), 'build', 'dist', 'vnu.jar');
} catch {
  die(2, `missing npm package vnu-jar; ${INSTALL_HINT}`);
}
if (!existsSync(VNU_JAR)) die(2, `missing ${VNU_JAR}; ${INSTALL_HINT}`);
{
  const java = spawnSync('java', ['-version'], { encoding: 'utf8', timeout: 20000 });
  if (java.error || java.status !== 0) {
    die(2, `java does not run (${java.error ? java.error.message : `exit ${java.status}`}); vnu needs Java 8+: ${INSTALL_HINT}`);
  }
}
if (!existsSync(CHROMIUM)) die(2, `no Chromium at ${CHROMIUM}; ${INSTALL_HINT}`);

// The whole run is bounded: past the limit it fails, whatever it was waiting for.
const watchdog = setTimeout(() => {
  console.error(`browser: FAIL the run took longer than ${RUN_LIMIT_MS} ms; stopped`);
  console.log(`browser: ${passed} passed, ${failed + 1} failed`);
  process.exit(1);
}, RUN_LIMIT_MS);
watchdog.unref();

// ---------------------------------------------------------------- the site's files

function walk(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...walk(path));
    else out.push(path);
  }
  return out;
}
const FILES = walk(SITE);
const HTML = FILES.filter((f) => f.endsWith('.html')).map((f) => relative(SITE, f).split(sep).join('/'));
const REPORTS = HTML.filter((f) => f.startsWith('reports/'));
const SECTIONS = HTML.filter((f) => !f.includes('/') && f !== 'index.html' && f !== 'meetings.html');

// ---------------------------------------------------------------- results

let passed = 0;
let failed = 0;
async function check(name, body) {
  const started = Date.now();
  try {
    const note = await body();
    passed++;
    console.log(`ok   ${name}${note ? ` (${note})` : ''} [${Date.now() - started} ms]`);
  } catch (error) {
    failed++;
    console.log(`FAIL ${name} [${Date.now() - started} ms]`);
    const text = error && error.report ? error.message : String(error && error.stack ? error.stack : error);
    console.log(text.replace(/^/gm, '     '));
  }
}
function fail(message) {
  const error = new Error(message);
  error.report = true;
  throw error;
}
function need(condition, message) {
  if (!condition) fail(message);
}

// ---------------------------------------------------------------- a tiny http server

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.pdf': 'application/pdf',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.otf': 'font/otf',
  '.woff2': 'font/woff2',
};
function serve() {
  const server = createServer((req, res) => {
    let path;
    try {
      path = decodeURIComponent(new URL(req.url, 'http://127.0.0.1').pathname);
    } catch {
      res.writeHead(400).end();
      return;
    }
    if (path.endsWith('/')) path += 'index.html';
    const file = resolve(SITE, '.' + path);
    if ((file !== SITE && !file.startsWith(SITE + sep)) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, {
      'content-type': TYPES[extname(file)] || 'application/octet-stream',
      'cache-control': 'no-store',
    });
    createReadStream(file).pipe(res);
  });
  server.keepAliveTimeout = 1000;
  server.requestTimeout = STEP_MS;
  return new Promise((ok, ko) => {
    server.once('error', ko);
    server.listen(0, '127.0.0.1', () => ok(server));
  });
}

// ---------------------------------------------------------------- vnu

let vnuChild = null;
// Whatever way the run ends, vnu's JVM ends with it (playwright-core closes Chromium itself).
process.on('exit', () => {
  if (vnuChild && vnuChild.exitCode === null && vnuChild.signalCode === null) vnuChild.kill('SIGKILL');
});

function runVnu(files) {
  return new Promise((ok, ko) => {
    const child = (vnuChild = spawn('java', ['-Xss4m', '-jar', VNU_JAR, '--errors-only', '--format', 'json', ...files], {
      stdio: ['ignore', 'pipe', 'pipe'],
    }));
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      ko(new Error(`vnu took longer than ${VNU_MS} ms; killed`));
    }, VNU_MS);
    child.on('error', (e) => {
      clearTimeout(timer);
      ko(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      ok({ code, stdout, stderr });
    });
  });
}

// ---------------------------------------------------------------- the browser

const problems = []; // script errors and failed loads, from every page of the run
function watch(page, label) {
  page.setDefaultTimeout(STEP_MS);
  page.setDefaultNavigationTimeout(STEP_MS);
  const where = () => page.url().replace(/^http:\/\/127\.0\.0\.1:\d+\//, '');
  page.on('pageerror', (e) => problems.push(`${where()} (${label}): script error: ${e.message}`));
  page.on('console', (m) => {
    // A failed load is reported below with its URL; the console only repeats it.
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) {
      problems.push(`${where()} (${label}): console error: ${m.text()}`);
    }
  });
  page.on('requestfailed', (r) => {
    const error = r.failure()?.errorText || '';
    if (!r.url().endsWith('/favicon.ico')) problems.push(`${where()}: loading ${r.url()} failed: ${error}`);
  });
  page.on('response', (r) => {
    if (r.status() >= 400 && !r.url().endsWith('/favicon.ico')) problems.push(`${where()}: ${r.url()}: HTTP ${r.status()}`);
  });
  return page;
}

// ---------------------------------------------------------------- layout probes (run in the page)

// What is wrong with the page's tables as laid out now: cells narrower than two characters of
// their own font (letter-by-letter wrapping), and text that must stay on one line but does not:
// a date (2026-03-18) anywhere in a cell, or a whole cell of two to four Chinese characters
// (未知, 结果, 未触发, 火山引擎). Cells that are not shown (a folded menu, a visually hidden
// header row) are skipped.
function tableCellProblems() {
  const out = [];
  const shown = (el) => {
    for (let e = el; e && e !== document.body; e = e.parentElement) {
      const r = e.getBoundingClientRect();
      if (r.width <= 1 || r.height <= 1) return false;
    }
    return true;
  };
  const name = (cell) => {
    const table = cell.closest('table');
    const kind = table && table.className ? `table.${table.className.split(/\s+/).join('.')}` : 'table';
    return `${kind} ${cell.tagName.toLowerCase()} ${JSON.stringify(cell.textContent.trim().slice(0, 40))}`;
  };
  // The vertical extent of a list of rects, against the height of one line.
  const lines = (rects) => {
    const boxes = [...rects].filter((q) => q.width > 0 && q.height > 0);
    if (!boxes.length) return 0;
    const line = Math.max(...boxes.map((q) => q.height));
    const span = Math.max(...boxes.map((q) => q.bottom)) - Math.min(...boxes.map((q) => q.top));
    return span / line;
  };
  for (const cell of document.querySelectorAll('td, th')) {
    if (!shown(cell)) continue;
    const cs = getComputedStyle(cell);
    const font = parseFloat(cs.fontSize);
    const inner = cell.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight);
    if (inner < 2 * font - 0.5) out.push(`${name(cell)}: ${inner.toFixed(1)} px wide inside, under two characters (${2 * font} px)`);
    const text = cell.textContent.trim();
    if (/^\p{Script=Han}{2,4}$/u.test(text)) {
      const rects = [];
      const walk = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
      for (let n; (n = walk.nextNode()); ) {
        if (!n.data.trim()) continue;
        const range = document.createRange();
        range.selectNodeContents(n);
        rects.push(...range.getClientRects());
      }
      if (lines(rects) > 1.5) out.push(`${name(cell)}: the word ${JSON.stringify(text)} wraps`);
    }
    const walk = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let n; (n = walk.nextNode()); ) {
      for (const m of n.data.matchAll(/\d{4}-\d{2}-\d{2}/g)) {
        const range = document.createRange();
        range.setStart(n, m.index);
        range.setEnd(n, m.index + m[0].length);
        if (lines(range.getClientRects()) > 1.5) out.push(`${name(cell)}: the date ${m[0]} wraps`);
      }
    }
  }
  return out;
}

// Elements reaching past the right edge of the viewport, other than inside a horizontal scroll
// container (overflow-x auto or scroll) that itself fits, or inside a visually hidden box (1 px,
// clipped: a table header kept for screen readers); outermost offenders only.
function widerThanViewport() {
  const width = document.documentElement.clientWidth;
  const contained = (el) => {
    for (let e = el.parentElement; e && e !== document.body; e = e.parentElement) {
      const o = getComputedStyle(e).overflowX;
      const r = e.getBoundingClientRect();
      if (o !== 'visible' && r.width <= 1) return true;
      if ((o === 'auto' || o === 'scroll') && r.right <= width + 1) return true;
    }
    return false;
  };
  const path = (el) => {
    const parts = [];
    for (let e = el; e && e !== document.body; e = e.parentElement) {
      parts.unshift(e.tagName.toLowerCase() + (e.id ? `#${e.id}` : '') + [...e.classList].map((c) => `.${c}`).join(''));
    }
    return parts.join(' > ');
  };
  const out = [];
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.right <= width + 1) continue;
    if (contained(el)) continue;
    if (out.some((o) => o.el.contains(el))) continue;
    out.push({ el, text: `${path(el)} (right edge ${Math.round(r.right)} px)` });
  }
  return { scrollWidth: document.documentElement.scrollWidth, width, offenders: out.slice(0, 5).map((o) => o.text) };
}

// The number of pages of a PDF (Chromium's and dealbook's write one /Type /Page object each).
function pdfPages(bytes) {
  const count = (Buffer.from(bytes).toString('latin1').match(/\/Type\s*\/Page(?![A-Za-z])/g) || []).length;
  need(count > 0, 'could not count the pages of a PDF (no /Type /Page object)');
  return count;
}

// ---------------------------------------------------------------- meetings charts

// The charts of meetings.html at 375 px and 1280 px: each is as wide as its figure (a viewBox,
// no fixed width); no two of its <text> elements overlap (their getBBox() boxes, in the chart's
// own units) or leave the viewBox; no threshold label covers a point; every text is drawn at
// least 11 px (its font size times the chart's scale).
async function checkMeetingsCharts(newContext, base) {
  for (const width of [375, 1280]) {
    await check(`meetings.html charts at ${width} px: as wide as their column, texts apart and at least 11 px`, async () => {
      const ctx = await newContext({ viewport: { width, height: 900 }, deviceScaleFactor: 1 });
      try {
        const p = watch(await ctx.newPage(), `charts-${width}`);
        await p.goto(base + 'meetings.html', { waitUntil: 'load' });
        await p.evaluate(() => document.fonts && document.fonts.ready);
        const r = await p.evaluate(() => {
          const bad = [];
          let texts = 0;
          let smallest = Infinity;
          const charts = [...document.querySelectorAll('svg.chart')];
          charts.forEach((svg, n) => {
            const name = `chart ${n + 1} (${svg.querySelector('.chart-title')?.textContent})`;
            const own = svg.getBoundingClientRect();
            const column = svg.parentElement.getBoundingClientRect();
            const view = svg.viewBox.baseVal;
            if (svg.hasAttribute('width') || !view || view.width === 0) bad.push(`${name}: no viewBox, or a fixed width`);
            if (Math.abs(own.width - column.width) > 1) bad.push(`${name}: ${own.width.toFixed(0)} px wide in a ${column.width.toFixed(0)} px column`);
            const scale = svg.getScreenCTM().a;
            const items = [...svg.querySelectorAll('text')].map((t) => ({
              el: t,
              text: t.textContent,
              box: t.getBBox(),
              px: parseFloat(getComputedStyle(t).fontSize) * scale,
            }));
            const apart = (a, b) => a.x + a.width <= b.x + 0.01 || b.x + b.width <= a.x + 0.01 || a.y + a.height <= b.y + 0.01 || b.y + b.height <= a.y + 0.01;
            const show = (b) => `[${b.x.toFixed(1)}, ${b.y.toFixed(1)}, ${(b.x + b.width).toFixed(1)}, ${(b.y + b.height).toFixed(1)}]`;
            texts += items.length;
            items.forEach((a, i) => {
              smallest = Math.min(smallest, a.px);
              if (a.px < 11) bad.push(`${name}: "${a.text}" is drawn ${a.px.toFixed(1)} px high`);
              const b = a.box;
              if (b.x < view.x || b.y < view.y || b.x + b.width > view.x + view.width || b.y + b.height > view.y + view.height) {
                bad.push(`${name}: "${a.text}" ${show(b)} leaves the viewBox`);
              }
              for (const other of items.slice(i + 1)) {
                if (!apart(a.box, other.box)) bad.push(`${name}: "${a.text}" ${show(a.box)} overlaps "${other.text}" ${show(other.box)}`);
              }
            });
            const dots = [...svg.querySelectorAll('.dot')].map((d) => d.getBBox());
            for (const label of items.filter((t) => t.el.classList.contains('threshold-label'))) {
              const hit = dots.find((d) => !apart(d, label.box));
              if (hit) bad.push(`${name}: "${label.text}" ${show(label.box)} covers a point ${show(hit)}`);
            }
          });
          return { charts: charts.length, texts, smallest, bad };
        });
        need(r.charts > 0, 'meetings.html has no svg.chart');
        need(!r.bad.length, r.bad.join('\n'));
        return `${r.charts} chart(s), ${r.texts} texts, the smallest ${r.smallest.toFixed(1)} px`;
      } finally {
        await ctx.close();
      }
    });
  }
}

async function main() {
  mkdirSync(SHOTS, { recursive: true });
  need(REPORTS.length > 0, 'the site has no reports/*.html');
  need(SECTIONS.length > 0, 'the site has no section page');
  const REPORT = REPORTS[REPORTS.length - 1]; // the newest meeting
  const SECTION = SECTIONS.includes('decision.html') ? 'decision.html' : SECTIONS[0];
  // The longest report (most HTML), for the phone-layout checks.
  const LONG_REPORT = [...REPORTS].sort((a, b) => statSync(join(SITE, b)).size - statSync(join(SITE, a)).size)[0];
  console.log(`browser: site ${SITE} (${HTML.length} pages), report ${REPORT}, screenshots into ${SHOTS}`);

  // vnu runs in its own process while the browser works.
  const vnu = runVnu(HTML.map((f) => join(SITE, f)));
  vnu.catch(() => {}); // awaited in its check

  const server = await serve();
  const BASE = `http://127.0.0.1:${server.address().port}/`;
  const FILE_BASE = pathToFileURL(SITE + sep).href;

  let browser;
  try {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      chromiumSandbox: false,
      args: CHROMIUM_ARGS,
      timeout: 30000,
    });
  } catch (error) {
    server.close();
    die(2, `Chromium (${CHROMIUM}) did not start: ${error.message.split('\n')[0]}; ${INSTALL_HINT}`);
  }
  // Without a Chinese font every page is boxes: the screenshots and the layout checks would be
  // worthless. Two different characters drawn alike are the same missing-glyph box.
  {
    const probe = await browser.newPage();
    const same = await probe.evaluate(() => {
      const draw = (ch) => {
        const c = document.createElement('canvas');
        c.width = 40;
        c.height = 40;
        const g = c.getContext('2d');
        g.font = '32px sans-serif';
        g.fillText(ch, 2, 32);
        return c.toDataURL();
      };
      return draw('排') === draw('迟');
    });
    await probe.close();
    if (same) {
      await browser.close();
      server.close();
      die(2, 'Chromium finds no Chinese font (every character draws as the same box): apt-get install fonts-noto-cjk');
    }
  }
  console.log(`browser: Chromium ${browser.version()}, playwright-core ${require('playwright-core/package.json').version}, axe-core ${require('axe-core/package.json').version}`);

  try {
    // Network use is loopback and file:// only: anything else is aborted and reported.
    async function context(options = {}) {
      const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
      await ctx.route(/^(?!http:\/\/127\.0\.0\.1:|file:|data:|about:)/, (route) => {
        problems.push(`request outside the site: ${route.request().url()}`);
        return route.abort();
      });
      return ctx;
    }
    const desktop = await context();
    const page = watch(await desktop.newPage(), 'desktop');

    // ---- 1. vnu
    await check(`vnu --errors-only: ${HTML.length} html files`, async () => {
      const { code, stdout, stderr } = await vnu;
      let messages;
      try {
        messages = JSON.parse(stderr || stdout).messages;
      } catch {
        fail(`vnu printed no JSON (exit ${code}):\n${stderr}${stdout}`);
      }
      const errors = messages.filter((m) => m.type === 'error' || m.type === 'non-document-error');
      if (errors.length) {
        fail(
          `${errors.length} error(s):\n` +
            errors
              .map((m) => {
                const file = m.url ? relative(SITE, fileURLToPath(m.url)) : '?';
                const where = m.lastLine ? `:${m.lastLine}:${m.firstColumn ?? m.lastColumn}` : '';
                return `${file}${where}: ${m.message}${m.extract ? `\n    ${JSON.stringify(m.extract)}` : ''}`;
              })
              .join('\n'),
        );
      }
      need(code === 0, `vnu exited ${code}:\n${stderr}`);
    });

    // ---- 2. axe-core: light and dark colour schemes at 1280 px, and light at 375 px (where
    // the layout changes and wide tables scroll inside their wrapper)
    const narrowAxe = watch(await (await context({ viewport: { width: 375, height: 812 } })).newPage(), 'axe-375');
    for (const [variant, p, scheme] of [
      ['light', page, 'light'],
      ['dark', page, 'dark'],
      ['375 px', narrowAxe, 'light'],
    ]) {
      for (const target of ['index.html', 'decision.html', 'meetings.html', REPORT]) {
        await check(`axe wcag2a+wcag2aa (${variant}): ${target}`, async () => {
          await p.emulateMedia({ media: 'screen', colorScheme: scheme });
          const response = await p.goto(BASE + target, { waitUntil: 'load' });
          need(response && response.ok(), `${target}: HTTP ${response && response.status()}`);
          await p.addScriptTag({ content: AXE_SOURCE });
          const result = await p.evaluate(
            () =>
              window.axe.run(document, {
                runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] },
                resultTypes: ['violations'],
              }),
          );
          const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
          const minor = result.violations.filter((v) => !bad.includes(v));
          if (bad.length) {
            fail(
              bad
                .map(
                  (v) =>
                    `[${v.impact}] ${v.id}: ${v.help} (${v.helpUrl})\n` +
                    v.nodes
                      .map((n) => `    ${n.target.join(' ')}\n      ${n.html.slice(0, 200)}\n      ${(n.failureSummary || '').replace(/\n/g, '\n      ')}`)
                      .join('\n'),
                )
                .join('\n'),
            );
          }
          return minor.length ? `minor/moderate, not failing: ${minor.map((v) => `${v.id} ×${v.nodes.length}`).join(', ')}` : '';
        });
      }
    }
    await page.emulateMedia({ media: 'screen', colorScheme: 'light' });
    await narrowAxe.context().close();

    // ---- 3. search
    // Types `query` into an emptied search box and waits until the results panel shows result
    // links and has stopped changing (the script debounces input), at most 5 s.
    async function search(p, query) {
      const input = p.locator('#search-input');
      const panelState = () =>
        p.evaluate(() => {
          const el = document.getElementById('search-results');
          if (!el) return { missing: true };
          return {
            hidden: el.hidden,
            links: el.querySelectorAll('a[href]').length,
            html: el.innerHTML,
            text: el.textContent.trim().slice(0, 300),
          };
        });
      await input.fill('');
      await p.waitForFunction(() => document.getElementById('search-results')?.hidden !== false, null, { timeout: 5000 });
      await input.click();
      await input.pressSequentially(query, { delay: 20 });
      const deadline = Date.now() + 5000;
      let last = null;
      let since = 0;
      for (;;) {
        const state = await panelState();
        need(!state.missing, 'the page has no #search-results');
        const value = await input.inputValue();
        const ready = value === query && !state.hidden && state.links > 0;
        if (ready && last && state.html === last.html && Date.now() - since >= 300) break;
        if (!last || state.html !== last.html) since = Date.now();
        last = state;
        if (Date.now() > deadline) {
          fail(`typing ${JSON.stringify(query)} into #search-input shows no result link within 5 s: hidden=${state.hidden}, links=${state.links}, text=${JSON.stringify(state.text)}`);
        }
        await p.waitForTimeout(50);
      }
      return p.locator('#search-results a[href]');
    }
    // Follows the first result and checks the page it opens holds the query.
    async function follow(p, links, query) {
      const href = await links.first().evaluate((a) => a.href);
      await links.first().click();
      await p.waitForURL(href, { waitUntil: 'load' });
      const text = await p.evaluate(() => document.body.innerText);
      need(
        text.toLowerCase().includes(query.toLowerCase()),
        `the first result for ${JSON.stringify(query)} (${href}) opens ${p.url()}, which does not show ${JSON.stringify(query)}`,
      );
      return href;
    }
    for (const query of ['排他', '延迟', 'PoC']) {
      await check(`search from index.html: ${query}`, async () => {
        await page.goto(BASE + 'index.html');
        const links = await search(page, query);
        const count = await links.count();
        const href = await follow(page, links, query);
        return `${count} result(s), first ${href.replace(BASE, '')}`;
      });
    }
    await check(`search from ${REPORT}: 排他 then 延迟 (links through ../)`, async () => {
      await page.goto(BASE + REPORT);
      await search(page, '排他');
      const links = await search(page, '延迟');
      const count = await links.count();
      const hrefs = await links.evaluateAll((as) => as.map((a) => a.href));
      for (const href of hrefs) {
        const path = new URL(href).pathname.slice(1);
        need(existsSync(join(SITE, decodeURIComponent(path))), `result link ${href} names no file of the site`);
      }
      await follow(page, links, '延迟');
      return `${count} result(s), all resolve`;
    });
    await check('search over file://: 延迟', async () => {
      await page.goto(FILE_BASE + 'index.html');
      const links = await search(page, '延迟');
      const href = await follow(page, links, '延迟');
      need(href.startsWith('file:'), `result link ${href} is not relative`);
      return `${await page.evaluate(() => location.pathname.split('/').pop())}`;
    });

    // ---- 4. no sideways scrolling at 375 px, every page
    await check(`375 px viewport: none of ${HTML.length} pages scrolls sideways`, async () => {
      const narrow = await context({ viewport: { width: 375, height: 812 }, deviceScaleFactor: 1 });
      const p = watch(await narrow.newPage(), 'narrow');
      const bad = [];
      for (const target of HTML) {
        await p.goto(BASE + target, { waitUntil: 'load' });
        const m = await p.evaluate(() => {
          const width = document.documentElement.clientWidth;
          const offenders = [];
          for (const el of document.body.querySelectorAll('*')) {
            const r = el.getBoundingClientRect();
            if (r.width === 0 || r.right <= width + 1) continue;
            // The outermost offender of a branch is the one to fix; skip its descendants.
            if (offenders.some((o) => o.el.contains(el))) continue;
            offenders.push({ el, right: Math.round(r.right) });
          }
          const name = (el) =>
            el.tagName.toLowerCase() + (el.id ? `#${el.id}` : '') + [...el.classList].map((c) => `.${c}`).join('');
          const path = (el) => {
            const parts = [];
            for (let e = el; e && e !== document.body; e = e.parentElement) parts.unshift(name(e));
            return parts.join(' > ');
          };
          return {
            scrollWidth: document.documentElement.scrollWidth,
            width,
            offenders: offenders.slice(0, 5).map((o) => `${path(o.el)} (right edge ${o.right}px): ${JSON.stringify(o.el.textContent.trim().slice(0, 60))}`),
          };
        });
        if (m.scrollWidth > 375 + 1) bad.push(`${target}: scrollWidth ${m.scrollWidth} > 375\n    ${m.offenders.join('\n    ')}`);
      }
      await narrow.close();
      need(!bad.length, bad.join('\n'));
    });

    // ---- 4b. phones first: a report at 375 px starts with its verdict; the site menu is folded
    // behind its <summary> (a real button: Enter opens it, with or without JavaScript), the
    // page's table of contents follows the verdict and its reasons. At 1280 px the sidebar is
    // there without a click and the table of contents sits at the top, beside the verdict.
    for (const js of [true, false]) {
      await check(`phones first at 375 px${js ? '' : ' without JavaScript'}: ${LONG_REPORT}`, async () => {
        const ctx = await context({ viewport: { width: 375, height: 812 }, javaScriptEnabled: js });
        try {
          const p = watch(await ctx.newPage(), js ? 'phone' : 'phone-nojs');
          await p.goto(BASE + LONG_REPORT, { waitUntil: 'load' });
          const where = () =>
            p.evaluate(() => {
              const box = (el) => {
                if (!el) return null;
                const r = el.getBoundingClientRect();
                return { top: r.top + scrollY, bottom: r.bottom + scrollY, shown: r.width > 0 && r.height > 0 };
              };
              const toc = document.querySelector('.toc');
              const first = toc && toc.querySelector('a[href^="#"]');
              return {
                verdict: box(document.querySelector('.verdict')),
                reasons: box(first && document.getElementById(decodeURIComponent(first.getAttribute('href').slice(1)))),
                toc: box(toc),
                button: box(document.querySelector('details:has(.sidebar) > summary')),
                buttonHoldsNav: !!document.querySelector('details:has(> summary) .sidebar'),
                // (checkVisibility: a closed <details> skips its content, yet the content still
                // answers getBoundingClientRect.)
                links: [...document.querySelectorAll('.sidebar a')].filter((a) => a.checkVisibility({ visibilityProperty: true })).length,
                total: document.querySelectorAll('.sidebar a').length,
              };
            });
          const before = await where();
          need(before.verdict && before.toc && before.reasons, `no .verdict, .toc or reasons heading on the page: ${JSON.stringify(before)}`);
          need(before.buttonHoldsNav && before.button && before.button.shown, 'no menu button: the .sidebar is not inside a <details> with a shown <summary>');
          need(before.links === 0, `${before.links} of ${before.total} menu links show before the menu is opened`);
          need(before.verdict.bottom <= 812, `the verdict ends at ${Math.round(before.verdict.bottom)} px, below the first screen (812 px)`);
          need(before.toc.top > before.reasons.top && before.toc.top > before.verdict.bottom, `the table of contents (top ${Math.round(before.toc.top)} px) comes before the verdict (${Math.round(before.verdict.bottom)}) or the reasons (${Math.round(before.reasons.top)})`);
          await p.locator('details:has(.sidebar) > summary').first().focus();
          await p.keyboard.press('Enter');
          const after = await where();
          need(after.links === after.total && after.total > 0, `after Enter on the menu button ${after.links} of ${after.total} menu links show`);
          if (js) {
            // The opened menu passes axe too (the 375 px axe runs see it folded).
            await p.addScriptTag({ content: AXE_SOURCE });
            const result = await p.evaluate(() => window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] }, resultTypes: ['violations'] }));
            const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
            need(!bad.length, `axe with the menu open: ${bad.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`).join('; ')}`);
          }
        } finally {
          await ctx.close();
        }
      });
    }
    await check(`1280 px keeps the sidebar and the table of contents at the top: ${LONG_REPORT}`, async () => {
      await page.goto(BASE + LONG_REPORT, { waitUntil: 'load' });
      const m = await page.evaluate(() => {
        const links = [...document.querySelectorAll('.sidebar a')];
        const toc = document.querySelector('.toc').getBoundingClientRect();
        const verdict = document.querySelector('.verdict').getBoundingClientRect();
        const summary = document.querySelector('details:has(.sidebar) > summary');
        return {
          shown: links.filter((a) => a.checkVisibility({ visibilityProperty: true })).length,
          total: links.length,
          tocTop: toc.top,
          tocLeft: toc.left,
          verdictTop: verdict.top,
          verdictRight: verdict.right,
          summary: summary ? summary.getBoundingClientRect().height : 0,
        };
      });
      need(m.total > 0 && m.shown === m.total, `${m.shown} of ${m.total} sidebar links show at 1280 px`);
      need(m.summary === 0, 'the menu button shows at 1280 px');
      need(m.tocTop < m.verdictTop && m.tocLeft >= m.verdictRight, `the table of contents is not at the top right beside the verdict: ${JSON.stringify(m)}`);
    });

    // ---- 4c. tables and widths at phone and desktop widths, every page
    for (const width of [320, 375, 1280]) {
      await check(`${width} px: table cells at least two characters wide, no date or short word split${width < 800 ? ', nothing wider than the viewport' : ''} (${HTML.length} pages)`, async () => {
        const ctx = await context({ viewport: { width, height: 800 }, deviceScaleFactor: 1 });
        const p = watch(await ctx.newPage(), `cells-${width}`);
        const bad = [];
        try {
          for (const target of HTML) {
            await p.goto(BASE + target, { waitUntil: 'load' });
            for (const problem of await p.evaluate(tableCellProblems)) bad.push(`${target}: ${problem}`);
            if (width < 800) {
              const m = await p.evaluate(widerThanViewport);
              if (m.scrollWidth > width + 1 || m.offenders.length) {
                bad.push(`${target}: scrollWidth ${m.scrollWidth} (viewport ${m.width})\n    ${m.offenders.join('\n    ')}`);
              }
            }
          }
        } finally {
          await ctx.close();
        }
        need(!bad.length, bad.slice(0, 30).join('\n') + (bad.length > 30 ? `\n… and ${bad.length - 30} more` : ''));
      });
    }

    // ---- 4d. the meetings charts: full width, labels apart, text at least 11 px
    await checkMeetingsCharts(context, BASE);

    // ---- 5. print media
    for (const target of ['index.html', SECTION, 'meetings.html', REPORT]) {
      await check(`print media hides .top, .sidebar (and .toc, .pager): ${target}`, async () => {
        await page.goto(BASE + target);
        await page.emulateMedia({ media: 'print' });
        const shown = await page.evaluate(() => {
          const out = [];
          for (const sel of ['.top', '.sidebar', '.toc', '.pager']) {
            const els = document.querySelectorAll(sel);
            if (!els.length && (sel === '.top' || sel === '.sidebar')) out.push(`${sel}: not on the page`);
            for (const el of els) {
              const display = getComputedStyle(el).display;
              if (display !== 'none') out.push(`${sel}: display ${display}`);
            }
          }
          return out;
        });
        await page.emulateMedia({ media: 'screen' });
        need(!shown.length, shown.join('\n'));
      });
    }

    // ---- 5b. print layout: at the width of A4 text (210 mm less 15 mm margins each side =
    // 680 px) in print media every page fits and its tables are neither squeezed nor split
    // inside a date or a short word.
    await check(`print media at A4 text width (680 px): ${HTML.length} pages fit, table cells not squeezed`, async () => {
      const ctx = await context({ viewport: { width: 680, height: 1000 }, deviceScaleFactor: 1 });
      const p = watch(await ctx.newPage(), 'print-680');
      const bad = [];
      try {
        await p.emulateMedia({ media: 'print' });
        for (const target of HTML) {
          await p.goto(BASE + target, { waitUntil: 'load' });
          for (const problem of await p.evaluate(tableCellProblems)) bad.push(`${target}: ${problem}`);
          const m = await p.evaluate(widerThanViewport);
          if (m.scrollWidth > 681) bad.push(`${target}: scrollWidth ${m.scrollWidth} on paper\n    ${m.offenders.join('\n    ')}`);
        }
      } finally {
        await ctx.close();
      }
      need(!bad.length, bad.slice(0, 30).join('\n') + (bad.length > 30 ? `\n… and ${bad.length - 30} more` : ''));
    });

    // ---- 5c. a report printed from the browser (A4) takes at most one page more than the
    // report's own PDF, which dealbook wrote beside it.
    await check(`printed on A4, each of ${REPORTS.length} reports takes at most its PDF's pages + 1`, async () => {
      const ctx = await context();
      const p = watch(await ctx.newPage(), 'print-pdf');
      const counts = [];
      const bad = [];
      try {
        for (const target of REPORTS) {
          await p.goto(BASE + target, { waitUntil: 'load' });
          await p.evaluate(() => document.fonts && document.fonts.ready);
          const printed = pdfPages(await p.pdf({ format: 'A4' }));
          const own = pdfPages(readFileSync(join(SITE, target.replace(/\.html$/, '.pdf'))));
          counts.push(`${target.replace('reports/', '')} ${printed}/${own}`);
          if (printed > own + 1) bad.push(`${target}: ${printed} printed pages, its PDF has ${own}`);
        }
      } finally {
        await ctx.close();
      }
      need(!bad.length, bad.join('\n'));
      return `printed/PDF pages: ${counts.join(', ')}`;
    });

    // ---- 6. file://: relative links, fragments, assets, no script errors
    await check(`file://: every link and asset of ${HTML.length} pages resolves`, async () => {
      const ids = new Map(); // page -> Set of ids
      const links = [];
      const bad = [];
      for (const target of HTML) {
        await page.goto(FILE_BASE + target, { waitUntil: 'load' });
        const found = await page.evaluate(() => ({
          ids: [...document.querySelectorAll('[id], a[name]')].map((e) => e.id || e.name),
          refs: [
            ...[...document.querySelectorAll('a[href], link[href], area[href]')].map((e) => [e.tagName, e.getAttribute('href'), e.href]),
            ...[...document.querySelectorAll('script[src], img[src], iframe[src], source[src]')].map((e) => [e.tagName, e.getAttribute('src'), e.src]),
          ],
          // (file:// sheets are cross-origin to their page: cssRules can't be read, .sheet can.)
          sheets: [...document.querySelectorAll('link[rel~=stylesheet]')].map((l) => [l.getAttribute('href'), !!l.sheet]),
          search: typeof window.DEALBOOK_SEARCH,
        }));
        ids.set(target, new Set(found.ids));
        for (const [tag, raw, abs] of found.refs) links.push({ from: target, tag, raw, abs });
        if (!found.sheets.length) bad.push(`${target}: no stylesheet loaded over file://`);
        for (const [href, loaded] of found.sheets) if (!loaded) bad.push(`${target}: stylesheet ${href} did not load over file://`);
        if (found.search !== 'object') bad.push(`${target}: search-index.js did not set window.DEALBOOK_SEARCH over file://`);
      }
      for (const { from, tag, raw, abs } of links) {
        if (/^(mailto:|tel:)/i.test(raw)) continue;
        if (/^[a-z][a-z0-9+.-]*:/i.test(raw) || raw.startsWith('//')) {
          if (tag !== 'A') bad.push(`${from}: <${tag.toLowerCase()}> loads ${raw} from outside the site`);
          continue; // an outbound <a> link is allowed
        }
        const url = new URL(abs);
        if (url.protocol !== 'file:') {
          bad.push(`${from}: ${raw} -> ${abs}`);
          continue;
        }
        const file = fileURLToPath(url);
        if (!file.startsWith(SITE + sep) && file !== SITE) {
          bad.push(`${from}: ${raw} leaves the site (${file})`);
          continue;
        }
        if (!existsSync(file) || statSync(file).isDirectory()) {
          bad.push(`${from}: <${tag.toLowerCase()}> ${raw}: no such file ${relative(SITE, file)}`);
          continue;
        }
        if (url.hash && url.hash !== '#') {
          const page = relative(SITE, file).split(sep).join('/');
          const id = decodeURIComponent(url.hash.slice(1));
          if (ids.has(page) && !ids.get(page).has(id)) bad.push(`${from}: ${raw}: ${page} has no element with id ${JSON.stringify(id)}`);
        }
      }
      need(!bad.length, [...new Set(bad)].join('\n'));
      return `${links.length} references`;
    });

    // ---- 7. screenshots
    await check('screenshots at 1280 px and 375 px (full page): index.html and a report', async () => {
      const written = [];
      for (const [width, height] of [
        [1280, 900],
        [375, 812],
      ]) {
        const ctx = await context({ viewport: { width, height }, deviceScaleFactor: 1 });
        const p = watch(await ctx.newPage(), `shot-${width}`);
        for (const [target, name] of [
          ['index.html', 'index'],
          [REPORT, 'report'],
        ]) {
          await p.goto(BASE + target, { waitUntil: 'load' });
          await p.evaluate(() => document.fonts && document.fonts.ready);
          const file = join(SHOTS, `${name}-${width}.png`);
          const png = await p.screenshot({ path: file, fullPage: true });
          // A page that scrolls sideways makes a wider shot: the 375 px check reports that.
          need(png.length > 1000 && png.readUInt32BE(16) >= width, `${file}: not a PNG at least ${width} px wide`);
          written.push(`${name}-${width}.png ${png.readUInt32BE(16)}x${png.readUInt32BE(20)}`);
        }
        await ctx.close();
      }
      return written.join(', ');
    });

    // ---- 8. nothing went wrong on the way
    await check('no script error, console error or failed load on any page', async () => {
      need(!problems.length, [...new Set(problems)].join('\n'));
    });
  } finally {
    await browser.close().catch(() => {});
    server.closeAllConnections?.();
    server.close();
  }
}

const started = Date.now();
try {
  await main();
} catch (error) {
  failed++;
  console.log(`FAIL the run stopped: ${error && error.stack ? error.stack : error}`);
}
console.log(`browser: took ${((Date.now() - started) / 1000).toFixed(1)} s`);
console.log(`browser: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
