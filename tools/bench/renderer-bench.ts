/**
 * The renderer figures: the production JS gzipped, and the time from navigation to the Log on screen
 * painted in headless Chromium (a stub `window.sc` answers auth.state with a signed-out view), both next to
 * an empty React page built the same way.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { median } from './measure';
import { CHROMIUM_ARGS, CHROMIUM_EXECUTABLE } from '../chromium';
import { notMeasured, plain, timed } from './report';
import { firstViewJs, totalJs } from './bundle-size';
import { APP_LOCALES } from '../../main/contract/locale';

const CHROMIUM = CHROMIUM_EXECUTABLE;
const LOGIN_SELECTOR = '[data-testid=login-username]';
const EMPTY_SELECTOR = '[data-testid=empty-ready]';
const S = 'Renderer (production build; headless Chromium)';

export interface RendererResult {
  chromium: string | null;
}

/** Finds dist/renderer, building it with `npm run build:renderer` when it is absent and the script exists. */
function rendererBuild(root: string, log: (line: string) => void): string | null {
  const override = process.env.SC_BENCH_RENDERER_DIR;
  const dir = override ? path.resolve(override) : path.join(root, 'dist', 'renderer');
  if (fs.existsSync(path.join(dir, 'index.html'))) return dir;
  if (override) return null;
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
    scripts?: Record<string, string>;
  };
  if (!pkg.scripts?.['build:renderer']) {
    log('renderer: dist/renderer is absent and package.json has no "build:renderer" script');
    return null;
  }
  log('renderer: dist/renderer is absent; running npm run build:renderer ...');
  const result = spawnSync('npm', ['run', '--silent', 'build:renderer'], {
    cwd: root,
    stdio: ['ignore', 2, 2],
  });
  if (result.status !== 0) log(`renderer: npm run build:renderer failed (exit ${String(result.status)})`);
  return fs.existsSync(path.join(dir, 'index.html')) ? dir : null;
}

/** An empty React page (createRoot + one element), built with the same Vite and React plugin. */
async function emptyReactBuild(benchDir: string): Promise<string> {
  const root = path.join(benchDir, 'empty-react');
  const out = path.join(root, 'dist');
  if (fs.existsSync(path.join(out, 'index.html'))) return out;
  fs.mkdirSync(root, { recursive: true });
  fs.writeFileSync(
    path.join(root, 'index.html'),
    '<!doctype html>\n<html lang="en"><head><meta charset="utf-8" /><title>empty</title></head>' +
      '<body><div id="root"></div><script type="module" src="./main.tsx"></script></body></html>\n',
  );
  fs.writeFileSync(
    path.join(root, 'main.tsx'),
    "import { StrictMode } from 'react';\nimport { createRoot } from 'react-dom/client';\n" +
      "createRoot(document.getElementById('root')!).render(\n" +
      '  <StrictMode><p data-testid="empty-ready">Ready</p></StrictMode>,\n);\n',
  );
  const { build } = await import('vite');
  const { default: react } = await import('@vitejs/plugin-react');
  await build({
    configFile: false,
    root,
    base: './',
    logLevel: 'warn',
    mode: 'production',
    plugins: [react()],
    build: { outDir: out, emptyOutDir: true, target: 'chrome130', modulePreload: { polyfill: false } },
  });
  return out;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

async function serve(dir: string): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    const pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const file = path.join(dir, pathname === '/' ? 'index.html' : pathname);
    if (!file.startsWith(dir) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, {
      'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream',
      'Cache-Control': 'no-store',
    });
    fs.createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/index.html`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Runs in the page before its scripts: the stub bridge and the paint observer. */
function initScript(selector: string): string {
  return `(() => {
  const view = { step: 'signedOut', serverNow: Date.now(), error: null, ssoEnabled: false, notice: null, locale: 'en' };
  const refuse = () => Promise.resolve({ ok: false, error: { code: 'not-found', message: 'benchmark stub' } });
  const area = (name) => new Proxy({}, {
    get: (_t, verb) => verb === 'then' ? undefined
      : name === 'auth' && verb === 'state' ? () => Promise.resolve({ ok: true, value: view }) : refuse,
  });
  const base = { onAuthState: () => () => {} };
  window.sc = new Proxy(base, { get: (t, key) => key === 'then' ? undefined : key in t ? t[key] : area(key) });

  const marks = { fcp: null, seen: null, frame: null };
  window.__scBench = marks;
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) if (e.name === 'first-contentful-paint') marks.fcp = e.startTime;
  }).observe({ type: 'paint', buffered: true });
  const check = () => {
    if (marks.seen !== null) return;
    const el = document.querySelector(${JSON.stringify(selector)});
    if (!el || el.getClientRects().length === 0) return;
    marks.seen = performance.now();
    observer.disconnect();
    requestAnimationFrame(() => setTimeout(() => { marks.frame = performance.now(); }, 0));
  };
  const observer = new MutationObserver(check);
  observer.observe(document, { childList: true, subtree: true, attributes: true });
})();`;
}

interface Marks {
  fcp: number | null;
  seen: number;
  frame: number;
}

interface Paint {
  painted: number;
  fcp: number | null;
}

interface Target {
  dir: string;
  selector: string;
}

/**
 * Paint times of each target, measured in turns (one run of each, then the next round), so a machine whose
 * load changes during the benchmark weighs on the page and its baseline alike. Two warm-up rounds.
 */
async function paintTimes(browser: Browser, targets: readonly Target[], runs: number): Promise<Paint[][]> {
  const servers = await Promise.all(targets.map((t) => serve(t.dir)));
  const out: Paint[][] = targets.map(() => []);
  try {
    for (let i = 0; i < runs + 2; i++) {
      for (const [index, target] of targets.entries()) {
        const paint = await paintOnce(browser, servers[index]!.url, target.selector);
        if (i >= 2) out[index]!.push(paint);
      }
    }
  } finally {
    await Promise.all(servers.map((server) => server.close()));
  }
  return out;
}

async function paintOnce(browser: Browser, url: string, selector: string): Promise<Paint> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.addInitScript(initScript(selector));
    await page.goto(url, { waitUntil: 'load' });
    // A function (run through the DevTools protocol, which the page's CSP does not block, unlike the
    // string predicates of waitForFunction); it reads the marks the init script keeps on the window.
    // (No named inner functions in it: tsx's keepNames would wrap them in a helper the page lacks.)
    const marks = await page.evaluate(async (): Promise<Marks> => {
      const scope = globalThis as unknown as { __scBench?: Partial<Marks> & { fcp: number | null } };
      const started = performance.now();
      for (;;) {
        const m = scope.__scBench;
        const frame = m?.frame ?? null;
        if (m && frame !== null && typeof m.seen === 'number') {
          if (m.fcp !== null || performance.now() - frame > 1_000) return { fcp: m.fcp, seen: m.seen, frame };
        }
        if (performance.now() - started > 15_000) throw new Error('the screen never appeared');
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    });
    // FCP (a presentation time) is the paint of the screen when nothing contentful came before it;
    // otherwise (a loading screen first) the frame after the element appeared.
    const painted = marks.fcp !== null && marks.fcp >= marks.seen ? marks.fcp : marks.frame;
    return { painted, fcp: marks.fcp };
  } finally {
    await context.close();
  }
}

export async function runRendererBench(
  root: string,
  benchDir: string,
  log: (line: string) => void,
): Promise<RendererResult> {
  const dist = rendererBuild(root, log);
  let empty: string | null = null;
  try {
    empty = await emptyReactBuild(benchDir);
  } catch (error) {
    log(
      `renderer: the empty React page could not be built: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const emptySize = empty ? totalJs(empty) : null;
  const kb = (bytes: number) => bytes / 1024;

  if (dist) {
    const size = totalJs(dist);
    plain({
      section: S,
      name: 'production JS, gzipped (every .js in dist/renderer, gzip -9; the budget counts all of it)',
      value: kb(size.gzip),
      unit: 'KB',
      budget: { max: 120, unit: 'KB' },
      ...(emptySize
        ? {
            baseline: {
              name: 'an empty React 19 page, same Vite build',
              value: kb(emptySize.gzip),
              unit: 'KB',
            },
          }
        : {}),
      note: `${size.files.length} file(s), ${kb(size.raw).toFixed(0)} KB before gzip`,
    });
    for (const locale of APP_LOCALES) {
      const first = firstViewJs(dist, locale);
      plain({
        section: S,
        name: `  of which the first view needs, in ${locale} (before Log on paints)`,
        value: kb(first.gzip),
        unit: 'KB',
        note: `${first.files.join(', ')}; the rest loads later (signed-in screens, other languages)`,
      });
    }
  } else {
    notMeasured(S, 'production JS, gzipped', 'KB', 'not measured: renderer build missing', 120);
  }

  if (!fs.existsSync(CHROMIUM)) {
    notMeasured(S, 'navigation → Log on screen painted', 'ms', `not measured: ${CHROMIUM} is missing`, 150);
    return { chromium: null };
  }
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
  try {
    const version = browser.version();
    const targets: Target[] = [
      ...(empty ? [{ dir: empty, selector: EMPTY_SELECTOR }] : []),
      ...(dist ? [{ dir: dist, selector: LOGIN_SELECTOR }] : []),
    ];
    log('renderer: paint timings in headless Chromium (the app and its baseline in turns) ...');
    const measured = await paintTimes(browser, targets, 15);
    const emptyPaints = empty ? measured[0]! : [];
    if (!dist) {
      notMeasured(S, 'navigation → Log on screen painted', 'ms', 'not measured: renderer build missing', 150);
      if (emptyPaints.length)
        timed(
          S,
          '  (baseline alone) empty React page painted',
          { ns: emptyPaints.map((p) => p.painted * 1e6) },
          'ms',
        );
      return { chromium: version };
    }
    const paints = measured.at(-1)!;
    const fcps = paints.map((p) => p.fcp).filter((v): v is number => v !== null);
    timed(
      S,
      'navigation → Log on screen painted (username field shown)',
      { ns: paints.map((p) => p.painted * 1e6) },
      'ms',
      {
        budgetMax: 150,
        ...(emptyPaints.length
          ? {
              baseline: {
                name: 'an empty React page, same measure',
                samples: { ns: emptyPaints.map((p) => p.painted * 1e6) },
              },
            }
          : {}),
        note: `painted = first-contentful-paint when the field came with it (else the frame after it appeared); FCP median ${fcps.length ? median(fcps).toFixed(1) : '-'} ms; a fresh browser context per run (no cache), served from 127.0.0.1`,
      },
    );
    if (emptyPaints.length) {
      // The figure that holds on any machine: how much later than an empty React page, measured in turns.
      const ratio = median(paints.map((p) => p.painted)) / median(emptyPaints.map((p) => p.painted));
      plain({
        section: S,
        name: '  Log on painted ÷ empty React page painted (same run)',
        value: ratio,
        unit: '×',
        budget: { max: 1.25, unit: '×' },
        note: 'issue 15: at most 1.25 times an empty React page',
      });
    }
    return { chromium: version };
  } finally {
    await browser.close();
  }
}
