// Drives Debian's chromium (headless, through playwright-core; no browser download) against the
// live dashboard. Run by cli's DashboardBrowserIT, which owns the backend:
//   node dashboard-test.mjs URL SCREENSHOT.png UNREACHABLE.png EXPECTED_ENGINES
// Protocol on stdout/stdin: prints "RESULT <json>" (what the page shows, read back from the DOM and
// from what it received over SSE), "SCREENSHOT <path>", then "STOP_BACKEND"; waits for a line
// "stopped" on stdin; then waits for the page's "backend unreachable" message and prints
// "UNREACHABLE <text>". Any failure: a message on stderr and exit code 1.
import { createInterface } from 'node:readline';
import { awaitLiveEngines, check, checkRows, engineRows, withChromium } from './chromium.mjs';

const [url, screenshot, unreachableShot, expectedText] = process.argv.slice(2);
const expected = Number(expectedText);
const lines = createInterface({ input: process.stdin });
const nextLine = () => new Promise((resolve) => lines.once('line', resolve));

try {
  await withChromium([], async (context) => {
    const page = context.pages()[0] || await context.newPage();
    const consoleErrors = [];
    page.on('pageerror', (e) => consoleErrors.push(String(e)));
    await page.goto(url);
    check(await page.title() === 'SynergySched live', 'the page did not load: title ' + await page.title());

    // live data: several deltas over SSE, every engine with step samples and an SLO window
    await awaitLiveEngines(page, expected, screenshot, 120_000);

    const result = await page.evaluate(() => {
      const m = window.synergyDashboard;
      return {
        snapshots: m.snapshots,
        deltas: m.deltas,
        status: document.getElementById('status').textContent,
        sloChartPoints: Number(document.querySelector('#chart-slo polyline').dataset.points),
        routedChartPoints: Number(document.querySelector('#chart-routed polyline').dataset.points),
        overallSlo: document.getElementById('t-slo').textContent,
        decisionRows: document.querySelectorAll('#decisions tbody tr').length,
        deadLetters: [...document.querySelectorAll('#deadletters tbody tr:not(.empty)')].map((tr) => tr.textContent),
      };
    });
    result.rows = await engineRows(page);
    check(consoleErrors.length === 0, 'errors in the page: ' + consoleErrors.join('; '));
    checkRows(result.rows);
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
  });
} catch (e) {
  console.error('dashboard browser test failed: ' + (e && e.stack || e));
  process.exitCode = 1;
} finally {
  lines.close();
}
