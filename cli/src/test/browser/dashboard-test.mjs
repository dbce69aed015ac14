// Drives Debian's chromium (headless, through playwright-core; no browser download) against the
// live dashboard. Run by cli's DashboardBrowserIT, which owns the backend:
//   node dashboard-test.mjs URL SCREENSHOT.png UNREACHABLE.png EXPECTED_ENGINES
// Protocol on stdout/stdin: prints "RESULT <json>" (what the page shows, read back from the DOM and
// from what it received over SSE), "SCREENSHOT <path>", then "STOP_BACKEND"; waits for a line
// "stopped" on stdin; then waits for the page's "backend unreachable" message and prints
// "UNREACHABLE <text>". Any failure: a message on stderr and exit code 1.
import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const [url, screenshot, unreachableShot, expectedText] = process.argv.slice(2);
const expected = Number(expectedText);
const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
const lines = createInterface({ input: process.stdin });
const nextLine = () => new Promise((resolve) => lines.once('line', resolve));

function check(condition, message) {
  if (!condition) throw new Error(message);
}

const userDataDir = mkdtempSync(join(tmpdir(), 'synergysched-chromium-'));
let context;
try {
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath,
    headless: true,
    viewport: { width: 1500, height: 1000 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = context.pages()[0] || await context.newPage();
  const consoleErrors = [];
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  await page.goto(url);
  check(await page.title() === 'SynergySched live', 'the page did not load: title ' + await page.title());

  // live data: several deltas over SSE, every engine with step samples and an SLO window
  await page.waitForFunction((n) => {
    const m = window.synergyDashboard;
    if (!m || m.deltas < 3 || m.engines.size < n) return false;
    let ready = 0;
    m.engines.forEach((e) => { if (e.steps.length >= 3 && e.slo.length >= 1 && e.routed > 0) ready++; });
    return ready >= n && m.overall.length >= 1;
  }, expected, { timeout: 120_000, polling: 500 }).catch(async (e) => {
    const seen = await page.evaluate(() => {
      const m = window.synergyDashboard;
      return m && { deltas: m.deltas, overall: m.overall.length, engines: [...m.engines.values()]
        .map((e) => ({ id: e.id, steps: e.steps.length, slo: e.slo.length, routed: e.routed })) };
    });
    await page.screenshot({ path: screenshot, fullPage: true }).catch(() => {});
    throw new Error('the page did not fill with live data; it has ' + JSON.stringify(seen)
      + ' (screenshot ' + screenshot + '): ' + e.message);
  });

  const result = await page.evaluate(() => {
    const m = window.synergyDashboard;
    const rows = [...document.querySelectorAll('#engines tbody tr')].map((tr) => {
      const e = m.engines.get(tr.dataset.engine);
      const last = e.steps[e.steps.length - 1];
      return {
        id: tr.dataset.engine,
        measuredText: tr.querySelector('.measured').textContent,
        predictedText: tr.querySelector('.predicted').textContent,
        errorText: tr.querySelector('.error').textContent,
        sloText: tr.querySelector('.slo').textContent,
        hintText: tr.querySelector('.hint').textContent,
        routedText: tr.querySelector('.routed').textContent,
        measuredPolylinePoints: tr.querySelector('polyline.l-meas').getAttribute('points').trim().split(/\s+/).length,
        predictedPolylinePoints: tr.querySelector('polyline.l-pred').getAttribute('points').trim().split(/\s+/).length,
        sse: { steps: e.steps.length, lastMeasuredMs: last[2], lastPredictedMs: last[1], modelError: e.modelError,
          routed: e.routed, slo: e.slo.length, hint: e.hint },
      };
    });
    return {
      snapshots: m.snapshots,
      deltas: m.deltas,
      status: document.getElementById('status').textContent,
      sloChartPoints: Number(document.querySelector('#chart-slo polyline').dataset.points),
      routedChartPoints: Number(document.querySelector('#chart-routed polyline').dataset.points),
      overallSlo: document.getElementById('t-slo').textContent,
      decisionRows: document.querySelectorAll('#decisions tbody tr').length,
      deadLetters: [...document.querySelectorAll('#deadletters tbody tr:not(.empty)')].map((tr) => tr.textContent),
      rows,
    };
  });
  check(consoleErrors.length === 0, 'errors in the page: ' + consoleErrors.join('; '));
  for (const r of result.rows) {
    // the table shows exactly what came over SSE
    check(r.measuredText === r.sse.lastMeasuredMs.toFixed(2),
      `${r.id}: measured ${r.measuredText} is not the streamed ${r.sse.lastMeasuredMs}`);
    check(r.predictedText === r.sse.lastPredictedMs.toFixed(2),
      `${r.id}: predicted ${r.predictedText} is not the streamed ${r.sse.lastPredictedMs}`);
    check(r.routedText === String(r.sse.routed), `${r.id}: routed ${r.routedText} is not ${r.sse.routed}`);
    check(r.measuredPolylinePoints === r.sse.steps, `${r.id}: chart has ${r.measuredPolylinePoints} of ${r.sse.steps} points`);
  }
  console.log('RESULT ' + JSON.stringify(result));
  await page.screenshot({ path: screenshot, fullPage: true });
  console.log('SCREENSHOT ' + screenshot);

  console.log('STOP_BACKEND');
  check((await nextLine()).trim() === 'stopped', 'expected "stopped" on stdin');
  const banner = page.locator('#unreachable');
  await banner.waitFor({ state: 'visible', timeout: 30_000 });
  const text = (await banner.textContent()).replace(/\s+/g, ' ').trim();
  const status = await page.locator('#status').textContent();
  check(/Backend unreachable/.test(text), 'banner text: ' + text);
  check(status === 'backend unreachable', 'status badge: ' + status);
  await page.screenshot({ path: unreachableShot, fullPage: false });
  console.log('UNREACHABLE ' + text);
} catch (e) {
  console.error('dashboard browser test failed: ' + (e && e.stack || e));
  process.exitCode = 1;
} finally {
  if (context) await context.close().catch(() => {});
  rmSync(userDataDir, { recursive: true, force: true });
  lines.close();
}
