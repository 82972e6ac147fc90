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

async function main() {
  mkdirSync(SHOTS, { recursive: true });
  need(REPORTS.length > 0, 'the site has no reports/*.html');
  need(SECTIONS.length > 0, 'the site has no section page');
  const REPORT = REPORTS[REPORTS.length - 1]; // the newest meeting
  const SECTION = SECTIONS.includes('decision.html') ? 'decision.html' : SECTIONS[0];
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
