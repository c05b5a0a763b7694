// geosim explore in a real browser (ctest: explore.browser; docs/explore.md). Starts
// `geosim explore` on a free port, opens the page in Debian's headless Chromium through
// puppeteer-core, moves a slider with the keyboard and the mouse and sees the probability
// change, types a refused value and sees --set's message, presses Save, then runs
// `geosim run` on the saved variant and checks that its summary.csv (and
// trajectories.csv) equal the saved folder's byte for byte. A screenshot of the page is
// written to OUT/explore.png.
//
//   node browser_test.mjs GEOSIM SCENARIO OUT
// Needs node_modules (scripts/setup --test-deps runs `npm ci` here) and /usr/bin/chromium;
// either missing fails the test.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const [geosim, scenario, out] = process.argv.slice(2);
if (!geosim || !scenario || !out) {
  console.error('usage: node browser_test.mjs GEOSIM SCENARIO OUT');
  process.exit(2);
}

let passed = 0;
let failed = 0;
function check(ok, what) {
  if (ok) {
    passed += 1;
    console.log('ok: ' + what);
  } else {
    failed += 1;
    console.log('FAILED: ' + what);
  }
}

function findChromium() {
  for (const p of ['/usr/bin/chromium', '/usr/bin/chromium-browser'])
    if (existsSync(p)) return p;
  return null;
}

let puppeteer;
try {
  puppeteer = createRequire(path.join(here, 'package.json'))('puppeteer-core');
} catch (e) {
  console.error('puppeteer-core is not installed in ' + here +
                '/node_modules; scripts/setup --test-deps installs it (npm ci): ' + e.message);
  process.exit(1);
}
const chromium = findChromium();
if (!chromium) {
  console.error('chromium is not installed (/usr/bin/chromium); scripts/setup --test-deps ' +
                'installs it');
  process.exit(1);
}

// Starts `geosim explore` and resolves with its URL (the first line it prints).
function startExplorer(saveDir) {
  const child = spawn(geosim, ['explore', scenario, '--port', '0', '--no-open', '--replicates',
                               '10000', '--threads', '2', '--save-dir', saveDir],
                      { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  const url = new Promise((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error('geosim explore printed no URL: ' + stderr)),
                             30000);
    child.stdout.on('data', (d) => {
      text += d;
      const m = text.match(/geosim explore: (http:\/\/127\.0\.0\.1:\d+\/)/);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    child.on('exit', (code) => reject(new Error('geosim explore exited (' + code + '): ' + stderr)));
  });
  return { child, url, stderr: () => stderr };
}

const probabilityOf = (page, outcome) => page.$eval(
    `tr[data-outcome="${outcome}"][data-statistic="probability"]`, (tr) => Number(tr.dataset.value));
const draws = (page) => page.evaluate(() => window.geosimExplore.draws);
async function waitForDrawAfter(page, n, name, value) {
  await page.waitForFunction(
      (n, name, value) => window.geosimExplore.draws > n && window.geosimExplore.lastValues &&
          (name === null || window.geosimExplore.lastValues[name] === value),
      { timeout: 30000 }, n, name, value);
}

const saveDir = path.join(out, 'explore-saves');
rmSync(saveDir, { recursive: true, force: true });
rmSync(path.join(out, 'explore-rerun'), { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const server = startExplorer(saveDir);
const profile = path.join(tmpdir(), 'geosim-explore-chromium-' + process.pid);
let browser;
let code = 1;
try {
  const url = await server.url;
  check(url.startsWith('http://127.0.0.1:'), 'geosim explore prints its URL on 127.0.0.1: ' + url);
  browser = await puppeteer.launch({
    executablePath: chromium,
    headless: true,
    userDataDir: profile,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
           '--disable-component-update', '--disable-sync', '--hide-scrollbars'],
  });
  const page = await browser.newPage();
  await page.setViewport({ width: 1400, height: 1100 });
  const consoleErrors = [];
  // A refused value is answered 422 and a superseded run 409, which Chromium logs as
  // failed loads: expected.
  page.on('console', (m) => {
    if (m.type() === 'error' && !/status of (422|409)/.test(m.text())) consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  await page.goto(url, { waitUntil: 'load' });
  await page.waitForFunction(() => window.geosimExplore && window.geosimExplore.draws >= 1,
                             { timeout: 30000 });
  const sliders = await page.$$eval('input[type=range]', (s) => s.map((x) => x.id));
  const params = await page.evaluate(async () => (await (await fetch('/api/scenario')).json())
                                                      .parameters.length);
  check(sliders.length === params && params > 0,
        `one slider per declared parameter (${sliders.length} sliders, ${params} parameters)`);
  const doc = await page.$eval('.param[data-name="grievance0"] .doc', (d) => d.textContent);
  check(doc.includes('grievance'), 'the slider shows the parameter\'s doc');
  const charts = await page.$$eval('#charts svg[data-chart]', (s) => s.length);
  check(charts >= 3, `the report's charts are drawn (${charts})`);
  const zeros = await page.$$eval('#outcomes tbody tr', (rows) => rows.filter((r) =>
      Number(r.dataset.value) > 0 && r.children[2].textContent === '0.0%').map((r) =>
      r.dataset.outcome + ' ' + r.dataset.statistic + ' = ' + r.dataset.value));
  check(zeros.length === 0, 'no share above 0 is shown as 0.0% ' + zeros.join(', '));
  const p0 = await probabilityOf(page, 'request_made');
  check(p0 > 0 && p0 < 1, 'the outcome table shows P(request_made) = ' + p0);

  // Move the slider with the keyboard: End takes it to its maximum (0.8).
  let n = await draws(page);
  await page.focus('#slider-grievance0');
  await page.keyboard.press('End');
  await waitForDrawAfter(page, n, 'grievance0', '0.8');
  const p1 = await probabilityOf(page, 'request_made');
  check(p1 !== p0, `moving grievance0 to 0.8 changes P(request_made): ${p0} -> ${p1}`);
  const latency = await page.evaluate(() => window.geosimExplore.lastLatencyMs);
  console.log(`input to redraw: ${latency.toFixed(0)} ms (10,000 replicates, 2 threads)`);

  // And with the mouse: a click at the left end of the track.
  n = await draws(page);
  const box = await (await page.$('#slider-grievance0')).boundingBox();
  await page.mouse.click(box.x + 2, box.y + box.height / 2);
  await waitForDrawAfter(page, n, null, null);
  const g = await page.$eval('#box-grievance0', (b) => b.value);
  const p2 = await probabilityOf(page, 'request_made');
  check(Number(g) < 0.4 && p2 !== p1, `a click on the track sets grievance0 to ${g}: P = ${p2}`);

  // A drag: 60 moves 16 ms apart, then the release. Runs in flight are superseded; the page
  // ends on the released value's numbers, the same as a run of that value alone.
  await page.evaluate(async () => {
    const s = document.getElementById('slider-grievance0');
    const lo = Number(s.min), hi = Number(s.max);
    for (let i = 0; i < 60; i++) {
      s.value = lo + (i / 59) * 0.77 * (hi - lo);
      s.dispatchEvent(new Event('input', { bubbles: true }));
      await new Promise((r) => setTimeout(r, 16));
    }
    s.dispatchEvent(new Event('change', { bubbles: true }));
    window.__released = s.value;
  });
  const released = await page.evaluate(() => window.__released);
  await page.waitForFunction((v) => window.geosimExplore.lastValues.grievance0 === v,
                             { timeout: 30000 }, released);
  await new Promise((r) => setTimeout(r, 1000));  // nothing older may be drawn after it
  const afterDrag = await page.evaluate(() => window.geosimExplore.lastValues.grievance0);
  const pDrag = await probabilityOf(page, 'request_made');
  const pAlone = await page.evaluate(async (v) => {
    const r = await fetch('/api/run', { method: 'POST', headers: { 'Content-Type': 'application/json' },
                                        body: JSON.stringify({ values: { grievance0: v } }) });
    const j = await r.json();
    return j.summary.find((x) => x.outcome === 'request_made' && x.statistic === 'probability').value;
  }, released);
  check(afterDrag === released && pDrag === pAlone,
        `after a drag the page shows the released value ${released}: P = ${pDrag} (alone: ${pAlone})`);

  // A value --set refuses: the message is shown beside the parameter and in the banner.
  await page.click('#box-grievance0', { clickCount: 3 });
  await page.keyboard.type('0.95');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => {
    const r = document.querySelector('.param[data-name="grievance0"] .refusal');
    return r && !r.hidden && r.textContent.length > 0;
  }, { timeout: 30000 });
  const refusal = await page.$eval('.param[data-name="grievance0"] .refusal', (r) => r.textContent);
  check(refusal.includes('outside its declared range') && refusal.includes('grievance0=0.95'),
        'a refused value shows --set\'s message: ' + refusal);
  const banner = await page.$eval('#banner', (b) => !b.hidden && b.textContent.startsWith('Refused'));
  check(banner, 'the banner says the value was refused');

  // A good value again, then Save.
  n = await draws(page);
  await page.click('#box-grievance0', { clickCount: 3 });
  await page.keyboard.type('0.7');
  await page.keyboard.press('Enter');
  await waitForDrawAfter(page, n, 'grievance0', '0.7');
  const cleared = await page.$eval('.param[data-name="grievance0"] .refusal', (r) => r.hidden);
  check(cleared, 'an accepted value clears the refusal');
  n = await draws(page);
  await page.focus('#slider-lpg_shock');
  await page.keyboard.press('ArrowRight');
  await waitForDrawAfter(page, n, null, null);
  const lpg = await page.$eval('#box-lpg_shock', (b) => b.value);
  await page.screenshot({ path: path.join(out, 'explore.png'), fullPage: false });

  await page.click('#save-name', { clickCount: 3 });
  await page.keyboard.type('browser/variant');
  await page.click('#save');
  await page.waitForFunction(() => window.geosimExplore.lastSave !== null, { timeout: 60000 });
  const saved = await page.evaluate(() => window.geosimExplore.lastSave);
  check(saved && saved.yaml && !saved.error, 'Save writes the variant: ' + JSON.stringify(saved));
  const status = await page.$eval('#save-status', (s) => s.textContent);
  check(status.startsWith('Saved '), 'the page says where it saved: ' + status);
  await page.screenshot({ path: path.join(out, 'explore-saved.png'), fullPage: true });

  const yamlPath = path.join(saveDir, 'browser', 'variant.yaml');
  const yaml = readFileSync(yamlPath, 'utf8');
  check(yaml.includes('extends: ') && yaml.includes('  grievance0: 0.7\n') &&
        yaml.includes(`  lpg_shock: ${lpg}\n`) && yaml.includes('  replicates: 10000\n'),
        'the variant extends the scenario and sets grievance0 and lpg_shock:\n' + yaml);
  const rerun = path.join(out, 'explore-rerun');
  const r = spawnSync(geosim, ['run', yamlPath, '-q', '--out', rerun], { encoding: 'utf8' });
  check(r.status === 0, 'geosim run on the saved variant succeeds ' + (r.stderr || ''));
  for (const f of ['summary.csv', 'trajectories.csv']) {
    const a = readFileSync(path.join(rerun, f));
    const b = readFileSync(path.join(saveDir, 'browser', 'variant', f));
    check(a.length > 0 && a.equals(b), `geosim run on the variant gives the saved ${f} byte for byte`);
  }
  // The page's last numbers are the saved ones.
  const shown = await probabilityOf(page, 'request_made');
  const csv = readFileSync(path.join(rerun, 'summary.csv'), 'utf8').split('\n')
                  .find((l) => l.includes(',request_made,probability,'));
  check(csv && Number(csv.split(',')[3]) === shown,
        `the page showed the saved P(request_made) = ${shown}`);
  check(consoleErrors.length === 0, 'no console errors (CSP included): ' + consoleErrors.join('; '));
  code = failed === 0 ? 0 : 1;
} catch (e) {
  console.log('FAILED: ' + (e.stack || e));
  console.log('geosim explore said: ' + server.stderr());
  failed += 1;
  code = 1;
} finally {
  if (browser) await browser.close();
  rmSync(profile, { recursive: true, force: true });
  const stopped = new Promise((resolve) => {
    if (server.child.exitCode !== null) resolve(server.child.exitCode);
    server.child.on('exit', (c) => resolve(c));
  });
  server.child.kill('SIGINT');
  const exit = await stopped;
  check(exit === 0, 'geosim explore stops cleanly on Ctrl-C (exit ' + exit + ')');
  if (failed > 0) code = 1;
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(code);
