// What the dashboard's browser tests share: Debian's chromium (headless, through playwright-core;
// no browser download) in a fresh user-data dir, and reading back what the engine table shows next
// to what the page received over server-sent events.
import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function check(condition, message) {
  if (!condition) throw new Error(message);
}

/** Runs body(context) in a fresh headless chromium; the user-data dir is removed afterwards. */
export async function withChromium(extraArgs, body) {
  const userDataDir = mkdtempSync(join(tmpdir(), 'synergysched-chromium-'));
  let context;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
      headless: true,
      viewport: { width: 1500, height: 1000 },
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync', ...extraArgs],
    });
    return await body(context);
  } finally {
    if (context) await context.close().catch(() => {});
    rmSync(userDataDir, { recursive: true, force: true });
  }
}

/**
 * Waits until the page has at least n engines, each with 3 step samples, an SLO window and routed
 * requests, all received over SSE; on timeout saves a screenshot and says what the page has.
 */
export async function awaitLiveEngines(page, n, screenshot, timeout) {
  await page.waitForFunction((n) => {
    const m = window.synergyDashboard;
    if (!m || m.deltas < 3 || m.engines.size < n) return false;
    let ready = 0;
    m.engines.forEach((e) => { if (e.steps.length >= 3 && e.slo.length >= 1 && e.routed > 0) ready++; });
    return ready >= n && m.overall.length >= 1;
  }, n, { timeout, polling: 500 }).catch(async (e) => {
    const seen = await page.evaluate(() => {
      const m = window.synergyDashboard;
      return m && { deltas: m.deltas, overall: m.overall.length, engines: [...m.engines.values()]
        .map((e) => ({ id: e.id, steps: e.steps.length, slo: e.slo.length, routed: e.routed })) };
    });
    await page.screenshot({ path: screenshot, fullPage: true }).catch(() => {});
    throw new Error('the page did not fill with live data; it has ' + JSON.stringify(seen)
      + ' (screenshot ' + screenshot + '): ' + e.message);
  });
}

/** Every engine row as shown, next to what came over SSE for that engine. */
export function engineRows(page) {
  return page.evaluate(() => {
    const m = window.synergyDashboard;
    return [...document.querySelectorAll('#engines tbody tr')].map((tr) => {
      const e = m.engines.get(tr.dataset.engine);
      const last = e.steps[e.steps.length - 1];
      return {
        id: tr.dataset.engine,
        measuredText: tr.querySelector('.measured').textContent,
        predictedText: tr.querySelector('.predicted').textContent,
        errorText: tr.querySelector('.error').textContent,
        sloText: tr.querySelector('td.slo').textContent,
        hintText: tr.querySelector('.hint').textContent,
        routedText: tr.querySelector('.routed').textContent,
        measuredPolylinePoints: tr.querySelector('polyline.l-meas').points.numberOfItems,
        predictedPolylinePoints: tr.querySelector('polyline.l-pred').points.numberOfItems,
        sse: { steps: e.steps.length, lastMeasuredMs: last[2], lastPredictedMs: last[1], modelError: e.modelError,
          routed: e.routed, slo: e.slo.length, lastSlo: e.slo[e.slo.length - 1][1], hint: e.hint },
      };
    });
  });
}

/** The table shows exactly what came over SSE, row by row. */
export function checkRows(rows) {
  for (const r of rows) {
    check(r.measuredText === r.sse.lastMeasuredMs.toFixed(2),
      `${r.id}: measured ${r.measuredText} is not the streamed ${r.sse.lastMeasuredMs}`);
    check(r.predictedText === r.sse.lastPredictedMs.toFixed(2),
      `${r.id}: predicted ${r.predictedText} is not the streamed ${r.sse.lastPredictedMs}`);
    check(r.routedText === String(r.sse.routed), `${r.id}: routed ${r.routedText} is not ${r.sse.routed}`);
    check(r.measuredPolylinePoints === r.sse.steps, `${r.id}: chart has ${r.measuredPolylinePoints} of ${r.sse.steps} points`);
  }
}
