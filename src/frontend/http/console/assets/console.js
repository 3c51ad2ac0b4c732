// inferd console: refreshes the figures every 2 s from GET /console/stats (differences between
// two reads: throughput, latency percentiles from the histogram's bucket counts, queue time,
// error share), sends the restricted APIs' keys the user entered, and runs the load/unload
// buttons and the image upload forms without leaving the page. The page works without it.
'use strict';
(() => {
  const PERIOD_MS = 2000;
  const DASH = '\u2014';
  let previous = new Map();  // "name/version" -> last stats entry
  let previousTime = 0;

  const keyInputs = () => Array.from(document.querySelectorAll('#keys input[data-header]'));
  function headers() {
    const h = {};
    for (const input of keyInputs()) if (input.value) h[input.dataset.header] = input.value;
    return h;
  }
  function restoreKeys() {
    for (const input of keyInputs()) {
      input.value = sessionStorage.getItem('inferd-key:' + input.dataset.header) || '';
      input.addEventListener('change', () => {
        sessionStorage.setItem('inferd-key:' + input.dataset.header, input.value);
        refreshModels();
        poll();
      });
    }
  }

  function micros(us) {
    if (us === null || us === undefined || !isFinite(us)) return DASH;
    if (us >= 1e6) return (us / 1e6).toFixed(2) + ' s';
    if (us >= 1e3) return (us / 1e3).toFixed(2) + ' ms';
    return us.toFixed(0) + ' \u00b5s';
  }
  function percent(part, whole) { return whole > 0 ? (100 * part / whole).toFixed(1) + ' %' : DASH; }

  // As the server's HistogramQuantile: linear inside the bucket that holds the rank.
  function quantile(bounds, counts, q) {
    const total = counts.reduce((a, b) => a + b, 0);
    if (total === 0) return null;
    const rank = q * total;
    let below = 0;
    for (let i = 0; i < bounds.length; i++) {
      if (counts[i] > 0 && below + counts[i] >= rank) {
        const lower = i === 0 ? 0 : bounds[i - 1];
        return lower + (bounds[i] - lower) * (rank - below) / counts[i];
      }
      below += counts[i];
    }
    return bounds.length ? bounds[bounds.length - 1] : null;
  }

  // Figures over the last period; since load (marked "cum") where the period saw no request.
  function figures(now, before, seconds) {
    const cumulative = {
      rps: null, p50: now.p50_us, p95: now.p95_us,
      queue: now.queue.count ? now.queue.ns / now.queue.count / 1e3 : null,
      errors: [now.fail, now.success + now.fail], cum: true,
    };
    if (!before || seconds <= 0 || now.inference_count < before.inference_count ||
        now.success < before.success || now.fail < before.fail) return cumulative;
    const ok = now.success - before.success;
    const failed = now.fail - before.fail;
    const result = { rps: (now.inference_count - before.inference_count) / seconds, cum: ok + failed === 0 };
    if (result.cum) return Object.assign(cumulative, { rps: 0 });
    const counts = now.latency_us.counts.map((c, i) => c - (before.latency_us.counts[i] || 0));
    result.p50 = quantile(now.latency_us.bounds, counts, 0.5);
    result.p95 = quantile(now.latency_us.bounds, counts, 0.95);
    const queued = now.queue.count - before.queue.count;
    result.queue = queued > 0 ? (now.queue.ns - before.queue.ns) / queued / 1e3 : null;
    result.errors = [failed, ok + failed];
    return result;
  }

  function show(row, f) {
    const cell = (name, text) => {
      const td = row.querySelector('td[data-f="' + name + '"]');
      if (!td) return;
      td.textContent = text;
      td.classList.toggle('cum', f.cum && name !== 'rps');
      td.title = f.cum && name !== 'rps' ? 'since load (no request in the last 2 s)' : 'last 2 s';
    };
    cell('rps', f.rps === null ? DASH : f.rps.toFixed(f.rps < 10 ? 1 : 0));
    cell('p50', micros(f.p50));
    cell('p95', micros(f.p95));
    cell('queue', micros(f.queue));
    cell('errors', percent(f.errors[0], f.errors[1]));
  }

  const live = () => document.getElementById('live');
  let timer = 0;
  async function poll() {
    clearTimeout(timer);
    try {
      const response = await fetch('/console/stats', { headers: headers(), cache: 'no-store' });
      const body = await response.json();
      if (!response.ok) throw new Error(body.error || response.statusText);
      const seconds = (body.time_ms - previousTime) / 1000;
      const seen = new Map();
      for (const m of body.models) {
        const id = m.name + '/' + m.version;
        seen.set(id, m);
        const row = document.querySelector('tr[data-model="' + CSS.escape(m.name) +
                                           '"][data-version="' + CSS.escape(m.version) + '"]');
        if (row) show(row, figures(m, previous.get(id), seconds));
      }
      previous = seen;
      previousTime = body.time_ms;
      live().textContent = 'live, every 2 s \u00b7 updated ' + new Date(body.time_ms).toLocaleTimeString();
      live().className = '';
    } catch (e) {
      live().textContent = 'live figures unavailable: ' + e.message;
      live().className = 'error';
    }
    timer = setTimeout(poll, PERIOD_MS);
  }

  // Re-reads the server-rendered list (with the keys, which a page load cannot send).
  async function refreshModels() {
    try {
      const response = await fetch('/console', { headers: headers(), cache: 'no-store' });
      if (!response.ok) return;
      const fresh = new DOMParser().parseFromString(await response.text(), 'text/html');
      for (const selector of ['#models tbody', '#uploads', '#index-note']) {
        const now = document.querySelector(selector);
        const next = fresh.querySelector(selector);
        if (now && next) now.replaceWith(document.adoptNode(next));
        else if (now) now.remove();
        else if (next && selector !== '#models tbody') {
          document.querySelector(selector === '#uploads' ? 'main' : '#models')
              .insertAdjacentElement(selector === '#uploads' ? 'beforeend' : 'beforebegin',
                                     document.adoptNode(next));
        }
      }
      previous = new Map();
    } catch (e) {
      // The list stays as it was; the next action or key change tries again.
    }
  }

  async function errorText(response) {
    try { return (await response.json()).error || response.statusText; } catch (e) { return response.statusText; }
  }

  async function runAction(form) {
    const result = document.getElementById('result');
    const button = form.querySelector('button');
    const label = button.textContent;
    const model = button.dataset.model;
    button.disabled = true;
    result.className = '';
    result.textContent = label + ' ' + model + '\u2026';
    try {
      const response = await fetch(form.action, { method: 'POST', headers: headers() });
      if (!response.ok) throw new Error(await errorText(response));
      result.textContent = label + ' ' + model + ': done';
    } catch (e) {
      result.textContent = label + ' ' + model + ' failed: ' + e.message;
      result.className = 'error';
    }
    button.disabled = false;
    await refreshModels();
    poll();
  }

  async function runPredict(form) {
    const output = form.querySelector('output');
    output.className = '';
    output.textContent = 'classifying\u2026';
    try {
      const response = await fetch(form.action, { method: 'POST', headers: headers(), body: new FormData(form) });
      if (!response.ok) throw new Error(await errorText(response));
      const body = await response.json();
      const table = document.createElement('table');
      table.className = 'topk';
      table.innerHTML = '<thead><tr><th>Label</th><th>Index</th><th>Score</th></tr></thead><tbody></tbody>';
      for (const p of body.predictions || []) {
        const tr = table.tBodies[0].insertRow();
        tr.insertCell().textContent = p.label;
        tr.insertCell().textContent = p.index;
        const score = tr.insertCell();
        score.textContent = Number(p.score).toFixed(4);
        score.className = 'num';
      }
      output.replaceChildren(table);
    } catch (e) {
      output.textContent = 'failed: ' + e.message;
      output.className = 'error';
    }
    poll();
  }

  document.addEventListener('submit', (event) => {
    const form = event.target;
    if (form.id === 'keys') event.preventDefault();
    else if (form.classList.contains('action')) { event.preventDefault(); runAction(form); }
    else if (form.classList.contains('predict')) { event.preventDefault(); runPredict(form); }
  });

  restoreKeys();
  if (Object.keys(headers()).length) refreshModels();
  poll();
})();
