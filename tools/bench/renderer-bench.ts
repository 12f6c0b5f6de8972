/**
 * The renderer figures: the production JS gzipped, and the time from navigation to the Log on screen
 * painted in headless Chromium (a stub `window.sc` answers auth.state with a signed-out view), both next to
 * an empty React page built the same way.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { median, percentile } from './measure';
import { CHROMIUM_ARGS, CHROMIUM_EXECUTABLE } from '../chromium';
import type { AuthView } from '../../main/contract/ipc';
import { notMeasured, plain, timed } from './report';
import { firstViewJs, totalJs } from './bundle-size';
import { APP_LOCALES } from '../../main/contract/locale';
import { USABLE_MARK } from '../../main/contract/entry-page';

const CHROMIUM = CHROMIUM_EXECUTABLE;
const LOGIN_SELECTOR = '[data-testid=login-username]';
const EMPTY_SELECTOR = '[data-testid=empty-ready]';
const S = 'Renderer (production build; headless Chromium)';
/** The stand-in bridge's way to this process (see initScript). */
const BINDING = '__scBenchInvoke';

export interface RendererResult {
  chromium: string | null;
}

/**
 * The renderer as the sources build it now: `npm run build:renderer` every run (a dist/renderer left from an
 * older checkout would otherwise be measured silently); SC_BENCH_RENDERER_DIR measures a given build as is.
 */
function rendererBuild(root: string, log: (line: string) => void): string | null {
  const override = process.env.SC_BENCH_RENDERER_DIR;
  const dir = override ? path.resolve(override) : path.join(root, 'dist', 'renderer');
  if (override) return fs.existsSync(path.join(dir, 'index.html')) ? dir : null;
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
    scripts?: Record<string, string>;
  };
  if (!pkg.scripts?.['build:renderer']) {
    log('renderer: package.json has no "build:renderer" script');
    return null;
  }
  log('renderer: running npm run build:renderer ...');
  const result = spawnSync('npm', ['run', '--silent', 'build:renderer'], {
    cwd: root,
    stdio: ['ignore', 2, 2],
  });
  if (result.status !== 0) {
    log(`renderer: npm run build:renderer failed (exit ${String(result.status)})`);
    return null; // never the older build that may still be there
  }
  return fs.existsSync(path.join(dir, 'index.html')) ? dir : null;
}

/** The versions the baseline is built with: a cached build made with others is built again. */
function toolVersions(root: string): string {
  const version = (name: string) =>
    (
      JSON.parse(fs.readFileSync(path.join(root, 'node_modules', name, 'package.json'), 'utf8')) as {
        version: string;
      }
    ).version;
  return ['react', 'react-dom', 'vite', '@vitejs/plugin-react']
    .map((name) => `${name}@${version(name)}`)
    .join(' ');
}

/**
 * An empty React page (createRoot + one element in StrictMode), a production build with the app's React,
 * Vite and React plugin and the same target.
 */
async function emptyReactBuild(appRoot: string, benchDir: string): Promise<string> {
  const root = path.join(benchDir, 'empty-react');
  const out = path.join(root, 'dist');
  const stamp = path.join(root, 'built-with.txt');
  const versions = toolVersions(appRoot);
  if (
    fs.existsSync(path.join(out, 'index.html')) &&
    fs.existsSync(stamp) &&
    fs.readFileSync(stamp, 'utf8') === versions
  )
    return out;
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
  fs.writeFileSync(stamp, versions);
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

/** The signed-out view main would give a new window (what the Log on screen shows). */
function signedOutView(): AuthView {
  return {
    step: 'signedOut',
    serverNow: Date.now(),
    error: null,
    ssoEnabled: false,
    notice: null,
    locale: 'en',
  };
}

/**
 * Runs in the page before its scripts: a stand-in for the preload's `window.sc` and the paint observer. As
 * the real preload does, it has the start state at once (`initialAuthState`, main's answer to its
 * synchronous question) and sends every call through a real round trip to another process (a Playwright
 * binding answered by this Node process, as ipcRenderer.invoke is answered by Electron's main), so a build
 * that waits for a reply before its first frame pays for it here too.
 */
function initScript(selector: string, view: AuthView): string {
  return `(() => {
  const view = ${JSON.stringify(view)};
  const call = (name) => (payload) => window.${BINDING}(name, payload === undefined ? null : payload);
  const area = (name) => new Proxy({}, { get: (_t, verb) => verb === 'then' ? undefined : call(name + '.' + String(verb)) });
  const base = { onAuthState: () => () => {}, initialAuthState: () => ({ ok: true, value: view }) };
  window.sc = new Proxy(base, { get: (t, key) => key === 'then' ? undefined : key in t ? t[key] : area(key) });

  const marks = { fcp: null, seen: null, frame: null, usable: null };
  window.__scBench = marks;
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) if (e.name === 'first-contentful-paint') marks.fcp = e.startTime;
  }).observe({ type: 'paint', buffered: true });
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) if (e.name === ${JSON.stringify(USABLE_MARK)}) marks.usable ??= e.startTime;
  }).observe({ type: 'mark', buffered: true });
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

/** The stand-in bridge's other end: auth.state answers the view, everything else is refused. */
function answer(view: AuthView, name: unknown): unknown {
  if (name === 'auth.state') return { ok: true, value: { ...view, serverNow: Date.now() } };
  return { ok: false, error: { code: 'not-found', message: 'benchmark stub' } };
}

interface Marks {
  fcp: number | null;
  seen: number;
  frame: number;
  usable: number | null;
}

interface Paint {
  /** Navigation start → the screen painted, in ms. */
  painted: number;
  fcp: number | null;
  /** The first contentful paint already had the screen's element (no blank or loading frame before it). */
  inFirstPaint: boolean;
  /**
   * Navigation start → the page answers input: the app's script has hydrated the prerendered screen (its
   * mark); for the empty React page, its element rendered (no earlier markup to take over).
   */
  usable: number;
  /** In traced runs: the renderer's CPU time before the first contentful paint. */
  cpu?: Cpu;
}

/** ms of thread time: the renderer's main thread, and all its threads. */
interface Cpu {
  main: number;
  all: number;
}

interface Target {
  dir: string;
  selector: string;
  /** The page sets this performance mark when it is usable; without one, usable = its element appeared. */
  usableMark?: string;
}

/** Rounds measured after WARM_UP_ROUNDS: `name` from the environment (5–1,000), else `fallback`. */
function rounds(name: string, fallback: number): number {
  const asked = Number(process.env[name]);
  return Number.isInteger(asked) && asked >= 5 && asked <= 1_000 ? asked : fallback;
}
const WARM_UP_ROUNDS = 3;

interface PaintRun {
  /** One list per target, the i-th entries of the lists measured back to back. */
  paints: Paint[][];
  /** 1-minute load average before the first round and after the last. */
  load: { start: number; end: number };
}

/**
 * Paint times of each target in rounds: one run of each, back to back, the order reversed every other round,
 * so a load that changes during the benchmark weighs on the page and its baseline alike and neither always
 * goes first. A fresh browser context per run (no cache).
 */
async function paintTimes(
  browser: Browser,
  targets: readonly Target[],
  rounds: number,
  traced = false,
): Promise<PaintRun> {
  const servers = await Promise.all(targets.map((t) => serve(t.dir)));
  const paints: Paint[][] = targets.map(() => []);
  const start = os.loadavg()[0] ?? 0;
  try {
    for (let round = 0; round < rounds + WARM_UP_ROUNDS; round++) {
      const order = [...targets.keys()];
      if (round % 2 === 1) order.reverse();
      for (const index of order) {
        const paint = await paintOnce(browser, servers[index]!.url, targets[index]!, traced);
        if (round >= WARM_UP_ROUNDS) paints[index]!.push(paint);
      }
    }
  } finally {
    await Promise.all(servers.map((server) => server.close()));
  }
  return { paints, load: { start, end: os.loadavg()[0] ?? 0 } };
}

async function paintOnce(browser: Browser, url: string, target: Target, traced: boolean): Promise<Paint> {
  const { selector } = target;
  const awaitUsable = Boolean(target.usableMark);
  const context = await browser.newContext();
  let tracing = false;
  try {
    const view = signedOutView();
    await context.exposeBinding(BINDING, (_source, name: unknown) => answer(view, name));
    const page = await context.newPage();
    await page.addInitScript(initScript(selector, view));
    if (traced) {
      await browser.startTracing(page, { categories: TRACE_CATEGORIES });
      tracing = true;
    }
    await page.goto(url, { waitUntil: 'load' });
    // A function (run through the DevTools protocol, which the page's CSP does not block, unlike the
    // string predicates of waitForFunction); it reads the marks the init script keeps on the window.
    // (No named inner functions in it: tsx's keepNames would wrap them in a helper the page lacks.)
    const marks = await page.evaluate(async (usableToo: boolean): Promise<Marks> => {
      const scope = globalThis as unknown as {
        __scBench?: Partial<Marks> & { fcp: number | null; usable: number | null };
      };
      const started = performance.now();
      for (;;) {
        const m = scope.__scBench;
        const frame = m?.frame ?? null;
        if (m && frame !== null && typeof m.seen === 'number' && (!usableToo || m.usable !== null)) {
          if (m.fcp !== null || performance.now() - frame > 1_000)
            return { fcp: m.fcp, seen: m.seen, frame, usable: m.usable };
        }
        if (performance.now() - started > 15_000) throw new Error('the screen never appeared');
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    }, awaitUsable);
    // FCP (a presentation time) is the paint of the screen when the element was in the page before it;
    // otherwise (a blank or loading frame first) the frame after the element appeared.
    const inFirstPaint = marks.fcp !== null && marks.fcp >= marks.seen;
    const paint: Paint = {
      painted: inFirstPaint ? marks.fcp! : marks.frame,
      fcp: marks.fcp,
      inFirstPaint,
      usable: awaitUsable ? marks.usable! : marks.seen,
    };
    if (tracing) {
      tracing = false;
      const cpu = cpuBeforeFirstPaint(await browser.stopTracing());
      if (cpu) paint.cpu = cpu;
    }
    return paint;
  } finally {
    if (tracing) await browser.stopTracing().catch(() => undefined);
    await context.close();
  }
}

/** Trace categories for the CPU figure: top-level tasks with their thread time, navigation start, FCP. */
const TRACE_CATEGORIES = ['toplevel', 'loading', 'blink.user_timing', 'devtools.timeline'];

interface TraceEvent {
  name: string;
  cat?: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  tdur?: number;
  args?: { name?: string; data?: { navigationId?: string; documentLoaderURL?: string } };
}

/**
 * CPU time the page's renderer spent from navigation start to its first contentful paint (ms of thread
 * time, which other processes competing for the cores barely change, unlike wall time): on its main thread,
 * and on all its threads (script streaming and compiling run on worker threads). A task that straddles an
 * end counts in proportion.
 */
function cpuBeforeFirstPaint(trace: Buffer): Cpu | null {
  const events = (JSON.parse(trace.toString('utf8')) as { traceEvents: TraceEvent[] }).traceEvents;
  const fcp = events.find((e) => e.name === 'firstContentfulPaint');
  const navigationId = fcp?.args?.data?.navigationId;
  const start = events.find(
    (e) => e.name === 'navigationStart' && e.pid === fcp?.pid && e.args?.data?.navigationId === navigationId,
  );
  if (!fcp || !start) return null;
  const mainThread = fcp.tid;
  let main = 0;
  let all = 0;
  for (const e of events) {
    if (e.ph !== 'X' || e.pid !== fcp.pid || !e.cat?.split(',').includes('toplevel')) continue;
    if (e.name !== 'ThreadControllerImpl::RunTask' && e.name !== 'ThreadPool_RunTask') continue;
    const dur = e.dur ?? 0;
    const inside = Math.min(e.ts + dur, fcp.ts) - Math.max(e.ts, start.ts);
    if (inside <= 0 || dur <= 0) continue;
    const cpu = ((e.tdur ?? dur) * inside) / dur / 1_000;
    all += cpu;
    if (e.tid === mainThread) main += cpu;
  }
  return { main, all };
}

/**
 * When Log on answers input, beside its paint: the page is prerendered (tools/prerender), so it paints
 * before its script has run; it is usable once the script has hydrated it. Information, no budget.
 */
function usableRows(paints: Paint[], emptyPaints: Paint[], load: string): void {
  timed(
    S,
    '  navigation → Log on usable (script run, form hydrated: store connected, handlers attached)',
    { ns: paints.map((p) => p.usable * 1e6) },
    'ms',
    {
      baseline: {
        name: 'the empty React page rendered',
        samples: { ns: emptyPaints.map((p) => p.usable * 1e6) },
      },
      note: `the "sc-usable" mark the window sets after hydration; not the paint; ${load}`,
    },
  );
  const pairs = paints.map((p, i) => p.usable / emptyPaints[i]!.usable);
  plain({
    section: S,
    name: '  Log on usable ÷ empty React page rendered (same round)',
    value: median(pairs),
    unit: '×',
    p10: percentile(pairs, 10),
    p90: percentile(pairs, 90),
    samples: pairs.length,
    note: `information (the budget is on the paint); median of ${pairs.length} rounds' ratios; ${load}`,
  });
}

/**
 * The same comparison in CPU time (traced runs, apart from the timed ones so tracing does not weigh on
 * them): steadier than wall time on a shared machine, where the other processes' load mostly shows as
 * waiting for a core.
 */
async function cpuRows(
  browser: Browser,
  targets: readonly Target[],
  log: (line: string) => void,
): Promise<void> {
  const cpuRounds = rounds('SC_BENCH_CPU_ROUNDS', 15);
  log(`renderer: CPU time before the first paint, ${cpuRounds} traced rounds ...`);
  const run = await paintTimes(browser, targets, cpuRounds, true);
  const [empty, app] = run.paints as [Paint[], Paint[]];
  const load = `1-min load average ${run.load.start.toFixed(1)} → ${run.load.end.toFixed(1)}`;
  for (const [which, label] of [
    ['main', "the renderer's main thread"],
    ['all', 'all renderer threads'],
  ] as const) {
    const pairs = app.flatMap((p, i) => {
      const a = p.cpu?.[which];
      const b = empty[i]?.cpu?.[which];
      return a !== undefined && b ? [{ app: a, empty: b }] : [];
    });
    if (!pairs.length) {
      notMeasured(S, `  CPU before first paint, ${label}`, 'ms', 'not measured: no trace had both marks');
      continue;
    }
    const ratios = pairs.map((p) => p.app / p.empty);
    timed(S, `  CPU navigation → first paint, ${label}`, { ns: pairs.map((p) => p.app * 1e6) }, 'ms', {
      baseline: { name: 'the empty React page', samples: { ns: pairs.map((p) => p.empty * 1e6) } },
      note:
        `thread time from the trace; ${pairs.length} traced rounds; per-round ratio median ` +
        `${median(ratios).toFixed(2)} (p10..p90 ${percentile(ratios, 10).toFixed(2)}..` +
        `${percentile(ratios, 90).toFixed(2)}); ${load}`,
    });
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
    empty = await emptyReactBuild(root, benchDir);
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
      ...(dist ? [{ dir: dist, selector: LOGIN_SELECTOR, usableMark: USABLE_MARK }] : []),
    ];
    const paintRounds = rounds('SC_BENCH_PAINT_ROUNDS', 40);
    log(
      `renderer: paint timings in headless Chromium, ${paintRounds} rounds of the app and its baseline back to ` +
        `back (1-min load average ${(os.loadavg()[0] ?? 0).toFixed(1)}) ...`,
    );
    const run = await paintTimes(browser, targets, paintRounds);
    const load = `1-min load average ${run.load.start.toFixed(1)} → ${run.load.end.toFixed(1)}`;
    const emptyPaints = empty ? run.paints[0]! : [];
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
    const paints = run.paints.at(-1)!;
    const inFirst = paints.filter((p) => p.inFirstPaint).length;
    const emptyInFirst = emptyPaints.filter((p) => p.inFirstPaint).length;
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
                name: `an empty React page, same measure (in its first contentful paint: ${emptyInFirst}/${emptyPaints.length})`,
                samples: { ns: emptyPaints.map((p) => p.painted * 1e6) },
              },
            }
          : {}),
        note:
          `the Log on form was in the first contentful paint in ${inFirst}/${paints.length} runs (painted = that ` +
          `FCP; otherwise the frame after the field appeared); ${load}; a fresh browser context per run, served ` +
          'from 127.0.0.1',
      },
    );
    if (emptyPaints.length) {
      // The figure that holds on any machine: how much later than an empty React page, run for run.
      const pairs = paints.map((p, i) => p.painted / emptyPaints[i]!.painted);
      const ofMedians = median(paints.map((p) => p.painted)) / median(emptyPaints.map((p) => p.painted));
      plain({
        section: S,
        name: '  Log on painted ÷ empty React page painted (same round)',
        value: median(pairs),
        unit: '×',
        p10: percentile(pairs, 10),
        p90: percentile(pairs, 90),
        samples: pairs.length,
        budget: { max: 1.25, unit: '×' },
        note:
          `issue 15: at most 1.25 times an empty React page; median of ${pairs.length} rounds' ratios, ` +
          `quartiles ${percentile(pairs, 25).toFixed(2)}..${percentile(pairs, 75).toFixed(2)}, ratio of the ` +
          `medians ${ofMedians.toFixed(2)}; ${load}`,
      });
      usableRows(paints, emptyPaints, load);
      await cpuRows(browser, targets, log);
    }
    return { chromium: version };
  } finally {
    await browser.close();
  }
}
