// Input-to-redraw latency of `geosim explore` (docs/performance.md, "The explorer").
//
//   node bench/explore/latency.mjs GEOSIM [--replicates N] [--threads T] [--moves M]
//
// Starts `geosim explore` on the flagship (scenarios/kazakhstan-2022/intervention-request.yaml)
// with N replicates (default 10,000) on T threads (default 2), opens the page in Debian's
// headless Chromium through puppeteer-core (installed in tests/explore/node_modules by
// `scripts/setup --test-deps`), and measures in the same session:
//   single  - M slider moves (arrow keys on grievance0, each waiting for its redraw): the
//             time from the slider's input event to the frame after the page drew that
//             value's result (window.geosimExplore.lastLatencyMs), and the run's own time
//             (run_ms, measured on the server)
//   drag    - 60 input events 16 ms apart (a drag across the slider) and a change event (the
//             slider released), then the time from the release to the frame showing the
//             last value
//   http    - M POSTs of /api/run from Node (no browser): the round trip of the endpoint
// and prints the medians, 90th percentiles and maxima, with the machine's load average.
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const args = process.argv.slice(2);
const geosim = args[0];
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const replicates = opt('--replicates', 10000);
const threads = opt('--threads', 2);
const moves = opt('--moves', 20);
if (!geosim) {
  console.error('usage: node bench/explore/latency.mjs GEOSIM [--replicates N] [--threads T] ' +
                '[--moves M]');
  process.exit(2);
}
const puppeteer = createRequire(path.join(root, 'tests', 'explore', 'package.json'))('puppeteer-core');
const flagship = path.join(root, 'scenarios', 'kazakhstan-2022', 'intervention-request.yaml');

const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * (s.length - 1) + 0.5))];
};
const line = (name, xs) => console.log(
    `${name.padEnd(34)} median ${quantile(xs, 0.5).toFixed(0).padStart(4)} ms   p90 ` +
    `${quantile(xs, 0.9).toFixed(0).padStart(4)} ms   max ${Math.max(...xs).toFixed(0).padStart(4)} ms` +
    `   (n = ${xs.length})`);

const saveDir = path.join(tmpdir(), 'geosim-explore-bench-' + process.pid);
const child = spawn(geosim, ['explore', flagship, '--port', '0', '--no-open', '--replicates',
                             String(replicates), '--threads', String(threads), '--save-dir', saveDir],
                    { stdio: ['ignore', 'pipe', 'inherit'] });
const url = await new Promise((resolve, reject) => {
  let text = '';
  child.stdout.on('data', (d) => {
    text += d;
    const m = text.match(/(http:\/\/127\.0\.0\.1:\d+\/)/);
    if (m) resolve(m[1]);
  });
  child.on('exit', (c) => reject(new Error('geosim explore exited ' + c)));
});
const profile = path.join(tmpdir(), 'geosim-explore-bench-chromium-' + process.pid);
const browser = await puppeteer.launch({
  executablePath: '/usr/bin/chromium', headless: true, userDataDir: profile,
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
});
try {
  const load0 = loadavg()[0];
  const page = await browser.newPage();
  await page.setViewport({ width: 1400, height: 1100 });
  await page.goto(url, { waitUntil: 'load' });
  await page.waitForFunction(() => window.geosimExplore && window.geosimExplore.draws >= 1);
  const state = () => page.evaluate(() => ({ ...window.geosimExplore }));

  // Single moves: alternate right and left so the value stays inside the range.
  const single = [];
  const runs = [];
  await page.focus('#slider-grievance0');
  for (let i = 0; i < moves; i++) {
    const before = (await state()).draws;
    await page.keyboard.press(i % 2 === 0 ? 'ArrowRight' : 'ArrowLeft');
    await page.waitForFunction((n) => window.geosimExplore.draws > n, { timeout: 30000, polling: 100 }, before);
    const s = await state();
    single.push(s.lastLatencyMs);
    runs.push(s.lastRunMs);
  }

  // Drags: 60 inputs 16 ms apart, then wait for the last value's frame.
  const drag = [];
  for (let k = 0; k < 5; k++) {
    await page.evaluate(async (k) => {
      const s = document.getElementById('slider-grievance0');
      const lo = Number(s.min), hi = Number(s.max);
      for (let i = 0; i < 60; i++) {
        const t = k % 2 === 0 ? i / 59 : 1 - i / 59;
        s.value = lo + t * (hi - lo);
        s.dispatchEvent(new Event('input', { bubbles: true }));
        await new Promise((r) => setTimeout(r, 16));
      }
      s.dispatchEvent(new Event('change', { bubbles: true }));  // released
      window.__last = s.value;
    }, k);
    const last = await page.evaluate(() => window.__last);
    await page.waitForFunction((v) => window.geosimExplore.lastValues &&
                                   window.geosimExplore.lastValues.grievance0 === v &&
                                   window.geosimExplore.lastLatencyMs !== null,
                               { timeout: 30000, polling: 100 }, last);
    await new Promise((r) => setTimeout(r, 50));
    drag.push((await state()).lastLatencyMs);
  }

  // The endpoint alone, from Node.
  const http = [];
  const origin = url.replace(/\/$/, '');
  for (let i = 0; i < moves; i++) {
    const t0 = performance.now();
    const res = await fetch(url + 'api/run', {
      method: 'POST', headers: { 'Content-Type': 'application/json', Origin: origin },
      body: JSON.stringify({ values: { grievance0: String(0.5 + 0.01 * (i % 10)) } }),
    });
    await res.json();
    http.push(performance.now() - t0);
  }
  const load1 = loadavg()[0];
  console.log(`geosim explore, flagship, ${replicates} replicates, ${threads} threads; load ` +
              `average ${load0.toFixed(2)} -> ${load1.toFixed(2)}`);
  line('run on the server (run_ms)', runs);
  line('single move: input to redraw', single);
  line('drag: last input to redraw', drag);
  line('POST /api/run round trip (Node)', http);
  console.log(`redraw / run (medians): ${(quantile(single, 0.5) / quantile(runs, 0.5)).toFixed(2)}`);
} catch (e) {
  console.error('FAILED: ' + e.message);
  process.exitCode = 1;
} finally {
  try {
    const page = (await browser.pages()).at(-1);
    if (process.exitCode) console.error(await page.evaluate(() => JSON.stringify({
      g: window.geosimExplore, status: document.getElementById('status').textContent,
      banner: document.getElementById('banner').textContent,
      slider: document.getElementById('slider-grievance0').value, last: window.__last })));
  } catch (e) { /* the page is gone */ }
  await browser.close();
  rmSync(profile, { recursive: true, force: true });
  rmSync(saveDir, { recursive: true, force: true });
  child.kill('SIGINT');
}
