// The explorer's page (page.h). The script builds one slider per parameter from
// /api/scenario, posts the values to /api/run when a slider moves and draws the answer:
// the outcome table (text only, from the numbers) and the charts (SVG drawn by the server
// with the report's chart code and escaped there). Text that came from the scenario is
// only ever set through textContent.
#include "explore/page.h"

#include "report/report.h"

namespace geosim::explore {

std::string page_html() {
  return R"html(<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="geosim explore">
<title>geosim explore</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/explore.css">
<script src="/explore.js" defer></script>
</head>
<body>
<header>
<h1 id="title">geosim explore</h1>
<p class="meta"><span id="scenario-meta">loading the scenario…</span></p>
<p id="status" class="status" role="status" aria-live="polite">starting…</p>
<p id="banner" class="warning" role="alert" hidden></p>
</header>
<div class="layout">
<aside id="controls">
<h2>Parameters</h2>
<p class="note">Each slider reruns the scenario with the same seed (common random numbers),
so a change in the numbers comes from the parameter, not from new random draws. The box
beside a slider takes any value <code>--set</code> takes (Enter applies it).</p>
<div class="buttons"><button type="button" id="reset">Reset to the file's values</button></div>
<div id="params"></div>
<section id="save-panel">
<h2>Save</h2>
<p class="note">Writes <code>NAME.yaml</code> (a variant that <code>extends</code> the scenario
and sets the values that differ from the file's, with the seed and replicates) and the result
folder <code>NAME/</code> (what <code>geosim run NAME.yaml --out NAME</code> writes, with its
report) inside the save folder <code id="save-dir"></code>.</p>
<label for="save-name">Name (a path inside the save folder)</label>
<input type="text" id="save-name" autocomplete="off" spellcheck="false">
<label class="check"><input type="checkbox" id="save-overwrite"> replace an earlier save of this
name</label>
<div class="buttons"><button type="button" id="save">Save</button></div>
<p id="save-status" class="note" role="status"></p>
</section>
</aside>
<main>
<h2>Outcomes</h2>
<p id="run-meta" class="meta"></p>
<div class="table-scroll">
<table id="outcomes" class="numbers-table">
<thead><tr><th>outcome</th><th>statistic</th><th class="num">value</th>
<th class="num">95% interval</th><th class="num">5th–95th percentile</th></tr></thead>
<tbody></tbody>
</table>
</div>
<h2>Charts</h2>
<div id="charts"></div>
<details id="about"><summary>About this scenario</summary><p id="description"></p>
<p class="note" id="scenario-path"></p></details>
</main>
</div>
</body>
</html>
)html";
}

std::string page_js() {
  return R"js('use strict';
// geosim explore: sliders -> POST /api/run -> table and charts (docs/explore.md).
(function () {
  const $ = (id) => document.getElementById(id);
  const state = {
    scenario: null,
    texts: {},          // parameter name -> value text in force
    inflight: 0,        // run requests on their way
    inflightSeq: 0,     // the values of the newest request sent
    pending: false,     // the values changed while one was
    seq: 0,             // bumped by every change of a value
    inputAt: {},        // seq -> time of the input that made it
    drawnSeq: 0,
  };
  // Read by the browser test and the latency benchmark.
  window.geosimExplore = { draws: 0, lastLatencyMs: null, lastRunMs: null, lastError: null,
                           saves: 0, lastSave: null };

  // Shares as the report shows them (report/html.h, display_percent): one decimal, or two
  // significant digits of a share, or of its gap to 100%, that one decimal would show as 0%
  // or 100%.
  function fmtPct(x) {
    if (x === null || x === undefined) return '–';
    const v = 100 * x;
    const small = v !== 0 && Math.abs(v) < 0.1;
    const nearAll = v >= 50 && v < 100 && 100 - v < 0.1;
    if (small || nearAll) {
      const gap = small ? Math.abs(v) : 100 - v;
      const k = Math.min(12, Math.ceil(-Math.log10(gap)) + 1);
      return v.toFixed(k).replace(/0+$/, '').replace(/\.$/, '') + '%';
    }
    return v.toFixed(1) + '%';
  }
  function fmtNum(x) {
    if (x === null || x === undefined) return '–';
    const a = Math.abs(x);
    if (a !== 0 && (a >= 1e6 || a < 1e-3)) return x.toExponential(3);
    return String(Number(x.toPrecision(4)));
  }
  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function showBanner(text) {
    const b = $('banner');
    if (text) { b.textContent = text; b.hidden = false; } else { b.textContent = ''; b.hidden = true; }
  }
  function showRefusal(name, text) {
    for (const d of document.querySelectorAll('.param')) {
      const r = d.querySelector('.refusal');
      const box = d.querySelector('input.box');
      if (d.dataset.name === name && text) {
        r.textContent = text; r.hidden = false; box.classList.add('bad');
      } else if (!text || d.dataset.name !== name) {
        if (!text) { r.textContent = ''; r.hidden = true; box.classList.remove('bad'); }
      }
    }
  }

  function overrides() {
    const out = {};
    for (const p of state.scenario.parameters) {
      const t = state.texts[p.name];
      if (t !== p.file_value) out[p.name] = t;
    }
    return out;
  }

  // While a run is on its way, slider moves (input events, e.g. a drag) wait for it, so the
  // page keeps redrawing at the pace of the runs; a final value (the slider released, Enter
  // in a box, a key press) replaces a stale run at once: the server stops the older run.
  function changed(final) {
    state.seq += 1;
    state.inputAt[state.seq] = performance.now();
    request(final);
  }
  function request(final) {
    if (state.inflight === 0) {
      if (state.seq !== state.inflightSeq) send();
      return;
    }
    if (state.inflightSeq === state.seq) return;  // the latest values are on their way
    if (final) return send();
    state.pending = true;
  }

  async function send() {
    state.inflight += 1;
    state.pending = false;
    const seq = state.seq;
    state.inflightSeq = seq;
    $('status').textContent = 'running…';
    const payload = JSON.stringify({ values: overrides() });
    let res, body;
    // A kept-alive connection the server closed as idle just as it was reused fails the
    // fetch without an answer: try again on a new one before giving up.
    for (let attempt = 1; ; attempt++) {
      try {
        res = await fetch('/api/run', {
          method: 'POST', headers: { 'Content-Type': 'application/json' }, body: payload,
        });
        body = await res.json();
        break;
      } catch (e) {
        if (attempt < 3) continue;
        state.inflight -= 1;
        showBanner('The explorer does not answer (' + e + '). Is geosim explore still running?');
        $('status').textContent = 'no answer';
        return;
      }
    }
    state.inflight -= 1;
    if (res.ok) {
      if (seq > state.drawnSeq) {
        showRefusal(null, null);
        showBanner(null);
        window.geosimExplore.lastError = null;
        draw(body, seq);
      }
    } else if (res.status !== 409 && seq === state.seq) {  // 409: superseded by a newer run
      const msg = body && body.error ? body.error : ('HTTP ' + res.status);
      window.geosimExplore.lastError = msg;
      showBanner('Refused: ' + msg + ' (the numbers shown are for the last values accepted)');
      if (body && body.parameter) showRefusal(body.parameter, msg);
      $('status').textContent = 'refused';
    }
    if (state.pending && state.inflight === 0 && state.seq !== state.inflightSeq) send();
  }

  function draw(r, seq) {
    drawTable(r);
    $('charts').innerHTML = r.charts;  // SVG from the server, escaped there
    $('run-meta').textContent = r.replicates + ' replicates, seed ' + r.seed +
        ' (scenario ' + r.scenario + ')';
    const t0 = state.inputAt[seq];
    for (const k of Object.keys(state.inputAt)) if (Number(k) <= seq) delete state.inputAt[k];
    state.drawnSeq = seq;
    // Latency: from the input to the frame that shows its result.
    requestAnimationFrame(() => setTimeout(() => {
      const g = window.geosimExplore;
      g.lastRunMs = r.run_ms;
      g.lastLatencyMs = t0 === undefined ? null : performance.now() - t0;
      g.draws += 1;
      g.lastValues = r.values;
      $('status').textContent = 'run ' + r.run_ms.toFixed(0) + ' ms' +
          (g.lastLatencyMs === null ? '' : ', drawn ' + g.lastLatencyMs.toFixed(0) +
           ' ms after the input');
    }, 0));
  }

  function drawTable(r) {
    const by = {};
    for (const row of r.summary) {
      (by[row.outcome] = by[row.outcome] || {})[row.statistic] = row;
    }
    const tbody = $('outcomes').querySelector('tbody');
    const rows = [];
    for (const o of state.scenario.outcomes) {
      const s = by[o.name] || {};
      const pick = [];  // [statistic, as a percentage, with the 5th-95th percentiles]
      if (o.kind === 'cases') {
        for (const l of o.labels) pick.push(['share:' + l, true, false]);
      } else if (s.probability) {
        pick.push(['probability', true, false]);
      } else {
        pick.push(['mean', false, true]);
        if (s.share_reached) pick.push(['share_reached', true, false]);
      }
      let first = true;
      for (const [stat, pct, spread] of pick) {
        const row = s[stat];
        if (!row) continue;
        const tr = el('tr');
        tr.dataset.outcome = o.name;
        tr.dataset.statistic = stat;
        tr.dataset.value = row.value === null ? '' : String(row.value);
        tr.appendChild(el('td', first ? 'name' : 'name cont', first ? o.name : ''));
        tr.appendChild(el('td', '', stat.replace('share_reached', 'share reached')));
        const f = pct ? fmtPct : fmtNum;
        tr.appendChild(el('td', 'num', f(row.value)));
        tr.appendChild(el('td', 'num', row.ci_low === null ? '' :
            f(row.ci_low) + ' – ' + f(row.ci_high)));
        const lo = s.p05, hi = s.p95;
        tr.appendChild(el('td', 'num', spread && lo && hi && lo.value !== null ?
            fmtNum(lo.value) + ' – ' + fmtNum(hi.value) : ''));
        rows.push(tr);
        first = false;
      }
    }
    tbody.replaceChildren(...rows);
  }

  function buildParams() {
    const box = $('params');
    for (const p of state.scenario.parameters) {
      state.texts[p.name] = p.value;
      const d = el('div', 'param');
      d.dataset.name = p.name;
      const label = el('label');
      label.htmlFor = 'slider-' + p.name;
      label.appendChild(el('code', '', p.name));
      const range = el('span', 'range', ' ' + p.min + ' to ' + p.max +
                       (p.declared ? '' : ' (not declared)'));
      label.appendChild(range);
      d.appendChild(label);
      const row = el('div', 'row');
      const slider = el('input');
      slider.type = 'range';
      slider.id = 'slider-' + p.name;
      slider.min = p.min; slider.max = p.max; slider.step = p.step;
      slider.value = p.value;
      slider.setAttribute('aria-label', p.name);
      const text = el('input', 'box');
      text.type = 'text';
      text.id = 'box-' + p.name;
      text.value = p.value;
      text.spellcheck = false;
      text.setAttribute('aria-label', p.name + ' value');
      slider.addEventListener('input', () => {
        text.value = slider.value;
        state.texts[p.name] = slider.value;
        changed(false);
      });
      slider.addEventListener('change', () => request(true));
      text.addEventListener('change', () => {
        const t = text.value.trim();
        state.texts[p.name] = t;
        const x = Number(t);
        if (t !== '' && Number.isFinite(x)) slider.value = x;
        changed(true);
      });
      row.appendChild(slider);
      row.appendChild(text);
      d.appendChild(row);
      if (p.doc) d.appendChild(el('div', 'doc', p.doc));
      if (p.note) d.appendChild(el('div', 'note range-note', p.note));
      const refusal = el('div', 'refusal');
      refusal.hidden = true;
      d.appendChild(refusal);
      box.appendChild(d);
    }
  }

  function reset() {
    for (const p of state.scenario.parameters) {
      state.texts[p.name] = p.file_value;
      $('slider-' + p.name).value = p.file_value;
      $('box-' + p.name).value = p.file_value;
    }
    showRefusal(null, null);
    changed(true);
  }

  async function save() {
    const status = $('save-status');
    status.textContent = 'saving…';
    status.classList.remove('bad');
    let res, body;
    try {
      res = await fetch('/api/save', {
        method: 'POST', headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ values: overrides(), name: $('save-name').value.trim(),
                               overwrite: $('save-overwrite').checked }),
      });
      body = await res.json();
    } catch (e) {
      status.textContent = 'The explorer does not answer (' + e + ').';
      status.classList.add('bad');
      return;
    }
    if (res.ok) {
      status.textContent = 'Saved ' + body.yaml + ' and the result folder ' + body.folder +
          '. Reproduce it with: ' + body.command;
      window.geosimExplore.saves += 1;
      window.geosimExplore.lastSave = body;
    } else {
      status.textContent = (body && body.error) ? body.error : ('HTTP ' + res.status);
      status.classList.add('bad');
      window.geosimExplore.lastSave = { error: status.textContent };
      if (body && body.parameter) showRefusal(body.parameter, body.error);
    }
  }

  async function init() {
    let s;
    try {
      const res = await fetch('/api/scenario');
      s = await res.json();
      if (!res.ok) throw new Error(s.error || ('HTTP ' + res.status));
    } catch (e) {
      showBanner('Cannot read the scenario from the explorer: ' + e);
      return;
    }
    state.scenario = s;
    document.title = 'geosim explore: ' + (s.title || s.id);
    $('title').textContent = s.title || s.id;
    $('scenario-meta').textContent = 'scenario ' + s.id + ' · ' + s.replicates +
        ' replicates · seed ' + s.seed + ' · geosim explore';
    $('description').textContent = s.description;
    $('scenario-path').textContent = 'file: ' + s.path;
    $('save-dir').textContent = s.save_dir;
    $('save-name').value = s.default_name;
    buildParams();
    $('reset').addEventListener('click', reset);
    $('save').addEventListener('click', save);
    changed(true);
  }
  init();
})();
)js";
}

std::string page_css() {
  return std::string(report::stylesheet()) + R"css(
body { max-width: none; padding: 0 20px 32px; }
header { padding: 12px 0 8px; }
.status { font-size: 0.9em; color: #333; margin: 4px 0; min-height: 1.2em; }
.layout { display: flex; gap: 24px; align-items: flex-start; }
aside { flex: 0 0 380px; max-height: calc(100vh - 40px); overflow-y: auto; position: sticky;
        top: 8px; padding-right: 8px; }
main { flex: 1 1 auto; min-width: 0; }
.table-scroll { overflow-x: auto; }  /* a narrow window scrolls the table, never clips it */
main .figure { display: block; border-top: 1px solid #e3e3e3; padding: 8px 0; }
#charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(460px, 1fr));
          gap: 0 24px; }
.param { border-top: 1px solid #e3e3e3; padding: 6px 0 8px; }
.param label { display: block; }
.param .range { color: #555; font-size: 0.85em; }
.param .row { display: flex; gap: 8px; align-items: center; }
.param input[type=range] { flex: 1 1 auto; }
.param input.box { width: 6.5em; font: inherit; font-size: 0.9em; }
input.bad, .bad { border-color: #D55E00; color: #D55E00; }
.param .doc { font-size: 0.85em; color: #333; }
.refusal { border-left: 4px solid #D55E00; background: #fbeee6; padding: 4px 8px;
           font-size: 0.85em; margin-top: 4px; word-break: break-word; }
.buttons { margin: 8px 0; }
button { font: inherit; padding: 4px 12px; }
#save-panel label { display: block; margin-top: 6px; }
#save-panel input[type=text] { width: 100%; box-sizing: border-box; font: inherit; }
#save-panel .check { font-size: 0.9em; }
#save-status { word-break: break-all; }
td.name.cont { color: transparent; }
@media (max-width: 900px) { .layout { display: block; } aside { max-height: none;
  position: static; } }
)css";
}

}  // namespace geosim::explore
