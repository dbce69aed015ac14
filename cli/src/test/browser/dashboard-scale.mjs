// The live dashboard at scale, in headless chromium: every engine row fills with what came over
// server-sent events, and the page's cost per update is measured in the browser. Run by cli's
// DashboardScaleBrowserIT, which owns the backend:
//   node dashboard-scale.mjs URL SCREENSHOT.png EXPECTED_ENGINES MEASURE_SECONDS [BASELINE.js]
// With BASELINE.js (another version of the page's script, e.g. `git show REV:.../dashboard.js`), a
// second tab runs the same page with that script on the same stream at the same time, and both are
// measured: a before/after comparison in one run.
// Measured per tab, by wrapping the page's EventSource listeners: the time to apply one SSE message
// (JSON.parse and the DOM updates of the page's handler, performance.now() around it), the message
// sizes, long tasks (PerformanceObserver 'longtask'), and the JS heap (performance.memory, precise).
// No limits are asserted (the machine is shared); the figures are printed: "RESULT <json>".
// Any failure: a message on stderr and exit code 1.
import { awaitLiveEngines, check, checkRows, engineRows, withChromium } from './chromium.mjs';
import { readFileSync } from 'node:fs';

const [url, screenshot, expectedText, secondsText, baselineJs] = process.argv.slice(2);
const expected = Number(expectedText);
const measureMs = 1000 * Number(secondsText);

// runs in every page before its own script
function instrument() {
  const perf = { handler: [], bytes: [], longTasks: [], measuring: false, snapshotMs: null, snapshotBytes: null };
  window.synergyPerf = perf;
  new PerformanceObserver((list) => {
    for (const t of list.getEntries()) if (perf.measuring) perf.longTasks.push(t.duration);
  }).observe({ type: 'longtask', buffered: true });
  const encoder = new TextEncoder();
  const add = EventSource.prototype.addEventListener;
  EventSource.prototype.addEventListener = function (type, listener, options) {
    if (type !== 'snapshot' && type !== 'delta') return add.call(this, type, listener, options);
    return add.call(this, type, function (ev) {
      const start = performance.now();
      listener.call(this, ev);
      const ms = performance.now() - start;
      const bytes = encoder.encode(ev.data).length;
      if (type === 'snapshot') { perf.snapshotMs = ms; perf.snapshotBytes = bytes; }
      else if (perf.measuring) { perf.handler.push(ms); perf.bytes.push(bytes); }
    }, options);
  };
}

function stats(values) {
  const v = [...values].sort((a, b) => a - b);
  const at = (q) => v.length ? v[Math.min(v.length - 1, Math.ceil(q * v.length) - 1)] : null;
  const round = (x) => x === null ? null : Math.round(x * 100) / 100;
  return { n: v.length, p50: round(at(0.5)), p99: round(at(0.99)), max: round(v.length ? v[v.length - 1] : null),
    mean: round(v.length ? v.reduce((a, b) => a + b, 0) / v.length : null) };
}

async function figures(page) {
  const raw = await page.evaluate(() => {
    const p = window.synergyPerf;
    return { handler: p.handler, bytes: p.bytes, longTasks: p.longTasks, snapshotMs: p.snapshotMs,
      snapshotBytes: p.snapshotBytes, heapUsed: performance.memory.usedJSHeapSize,
      heapTotal: performance.memory.totalJSHeapSize, domNodes: document.getElementsByTagName('*').length };
  });
  return { applyMs: stats(raw.handler), deltaBytes: stats(raw.bytes),
    longTasks: { count: raw.longTasks.length, totalMs: Math.round(raw.longTasks.reduce((a, b) => a + b, 0)),
      maxMs: Math.round(Math.max(0, ...raw.longTasks)) },
    snapshotApplyMs: Math.round(raw.snapshotMs * 100) / 100, snapshotBytes: raw.snapshotBytes,
    heapUsedMb: Math.round(raw.heapUsed / 1e4) / 100, heapTotalMb: Math.round(raw.heapTotal / 1e4) / 100,
    domNodes: raw.domNodes };
}

try {
  await withChromium(['--enable-precise-memory-info'], async (context) => {
    await context.addInitScript(instrument);
    const tabs = { current: await context.newPage() };
    if (baselineJs) {
      // the same page with the baseline's script in place of the served one
      const script = readFileSync(baselineJs, 'utf8');
      tabs.baseline = await context.newPage();
      await tabs.baseline.route((u) => u.pathname.endsWith('/dashboard/'), async (route) => {
        const response = await route.fetch();
        const html = (await response.text()).replace(/<script>[\s\S]*<\/script>/, () => '<script>\n' + script + '</script>');
        await route.fulfill({ response, body: html });
      });
    }
    const errors = [];
    for (const [name, page] of Object.entries(tabs)) {
      page.on('pageerror', (e) => errors.push(name + ': ' + e));
      await page.goto(url);
      check(await page.title() === 'SynergySched live', name + ': the page did not load');
    }
    for (const page of Object.values(tabs)) await awaitLiveEngines(page, expected, screenshot, 120_000);
    // steady state: every row is live; measure the next updates in all tabs at once
    for (const page of Object.values(tabs)) await page.evaluate(() => { window.synergyPerf.measuring = true; });
    await new Promise((resolve) => setTimeout(resolve, measureMs));
    for (const page of Object.values(tabs)) await page.evaluate(() => { window.synergyPerf.measuring = false; });

    const result = { engines: expected, measureSeconds: measureMs / 1000, tabs: {} };
    for (const [name, page] of Object.entries(tabs)) {
      const rows = await engineRows(page);
      check(rows.length === expected, `${name}: ${rows.length} engine rows, expected ${expected}`);
      checkRows(rows);
      result.tabs[name] = { figures: await figures(page), deltas: await page.evaluate(() => window.synergyDashboard.deltas),
        status: await page.locator('#status').textContent() };
      if (name === 'current') result.rows = rows;
    }
    check(errors.length === 0, 'errors in the page: ' + errors.join('; '));
    await tabs.current.screenshot({ path: screenshot, fullPage: true });
    const { rows, ...summary } = result;
    console.error('dashboard figures: ' + JSON.stringify(summary, null, 1));
    console.log('RESULT ' + JSON.stringify(result));
    console.log('SCREENSHOT ' + screenshot);
  });
} catch (e) {
  console.error('dashboard scale test failed: ' + (e && e.stack || e));
  process.exitCode = 1;
}
