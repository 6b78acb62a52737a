// The otel-perf live dashboard. Plain browser JavaScript, no build step; charts by uPlot (served alongside).
// Every piece of text that comes from the service (routes, pool and cache names, alert reasons) is set with
// textContent or as an attribute value, never parsed as HTML.

const BANDS = ['excellent', 'good', 'acceptable', 'slow', 'poor', 'critical'];
const BAND_LABELS = {
  excellent: '< 100 ms',
  good: '< 500 ms',
  acceptable: '< 1 s',
  slow: '< 2.5 s',
  poor: '< 10 s',
  critical: '> 10 s',
};
const alertsApi = document.body.dataset.alertsApi || '/api/alerts';
const state = { frames: [], windowS: 900, charts: {}, source: undefined };

const $ = (sel, root = document) => root.querySelector(sel);
const el = (tag, props = {}, ...children) => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === 'class') e.className = v;
    else if (k === 'text') e.textContent = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v);
  }
  for (const c of children) e.append(c);
  return e;
};

const fmtSeconds = (s) =>
  s == null
    ? '–'
    : s < 0.001
      ? `${(s * 1e6).toFixed(0)} µs`
      : s < 1
        ? `${(s * 1000).toFixed(s < 0.01 ? 2 : 1)} ms`
        : `${s.toFixed(2)} s`;
const fmtPercent = (r) => (r == null ? '–' : `${(r * 100).toFixed(r < 0.01 && r > 0 ? 2 : 1)} %`);
const fmtBytes = (b) =>
  b == null ? '–' : b >= 1 << 30 ? `${(b / 2 ** 30).toFixed(2)} GiB` : `${(b / 2 ** 20).toFixed(1)} MiB`;
const fmtRate = (r) => (r == null ? '–' : r >= 100 ? r.toFixed(0) : r.toFixed(1));

// ---- charts ---------------------------------------------------------------------------------------------
const CARDS = {
  latency: { id: 'card-latency', get: (f) => f.http?.p99 ?? null, fmt: fmtSeconds },
  errors: { id: 'card-errors', get: (f) => f.http?.errorRate ?? null, fmt: fmtPercent },
  eventloop: { id: 'card-eventloop', get: (f) => f.runtime?.eventLoopDelayP99 ?? null, fmt: fmtSeconds },
  memory: { id: 'card-memory', get: (f) => f.runtime?.heapUsed ?? null, fmt: fmtBytes },
  cpu: { id: 'card-cpu', get: (f) => f.runtime?.cpu ?? null, fmt: fmtPercent },
};

function makeChart(key) {
  const target = $(`#${CARDS[key].id} [data-chart]`);
  const width = Math.max(180, target.clientWidth || 200);
  return new uPlot(
    {
      width,
      height: 90,
      legend: { show: false },
      cursor: { show: false },
      axes: [{ show: false }, { show: false }],
      scales: { x: { time: true } },
      series: [{}, { stroke: '#4aa3ff', width: 1.5, fill: 'rgba(74,163,255,0.12)', spanGaps: true }],
    },
    [[], []],
    target,
  );
}

function renderCards() {
  const xs = state.frames.map((f) => f.t / 1000);
  for (const [key, card] of Object.entries(CARDS)) {
    state.charts[key] ??= makeChart(key);
    const ys = state.frames.map((f) => card.get(f));
    state.charts[key].setData([xs, ys]);
    const last = [...ys].reverse().find((v) => v != null);
    const value = $(`#${card.id} [data-value]`);
    value.textContent = card.fmt(last ?? null);
    value.dataset.hasData = last != null ? 'true' : 'false';
  }
}

// ---- banner ---------------------------------------------------------------------------------------------
function renderBanner(frame) {
  const banner = $('#banner');
  const h = frame?.health;
  let cls = 'unknown';
  let text = 'no health data';
  if (h && h.score != null) {
    cls = h.score > 85 ? 'healthy' : h.score >= 70 ? 'degraded' : 'unhealthy';
    text = cls;
  } else if (h) {
    cls = h.status === 'pass' ? 'healthy' : h.status === 'warn' ? 'degraded' : 'unhealthy';
    text = cls;
  }
  banner.className = `banner ${cls}`;
  $('#banner-text').textContent = text;
  $('#banner-score').textContent = h?.score != null ? `score ${h.score.toFixed(0)} / 100` : '';
}

// ---- tables ---------------------------------------------------------------------------------------------
function fillTable(selector, rows) {
  const body = $(`${selector} tbody`);
  body.replaceChildren(...rows);
}

function renderRoutes(frame) {
  const routes = frame?.http?.routes ?? [];
  fillTable(
    '#routes',
    routes.map((r) => {
      const total = BANDS.reduce((n, b) => n + (r.bands[b] ?? 0), 0);
      const bar = el('div', { class: 'bar', title: BANDS.map((b) => `${b}: ${r.bands[b] ?? 0}`).join(', ') });
      for (const b of BANDS) {
        const n = r.bands[b] ?? 0;
        if (n > 0) bar.append(el('span', { class: `b-${b}`, style: `width:${(100 * n) / total}%` }));
      }
      return el(
        'tr',
        { 'data-route': r.route },
        el('td', { class: 'route', text: r.route, title: r.route }),
        el('td', { text: fmtRate(r.rps) }),
        el('td', { text: fmtPercent(r.errorRate) }),
        el('td', { text: fmtSeconds(r.p50) }),
        el('td', { text: fmtSeconds(r.p90) }),
        el('td', { text: fmtSeconds(r.p95) }),
        el('td', { text: fmtSeconds(r.p99) }),
        el('td', { text: fmtSeconds(r.p999) }),
        el('td', {}, bar),
      );
    }),
  );
}

function renderPanels(frame) {
  const pools = frame?.db?.pools ?? [];
  $('#pools-panel').hidden = pools.length === 0;
  fillTable(
    '#pools',
    pools.map((p) =>
      el(
        'tr',
        {},
        el('td', { text: p.name || '(default)' }),
        el('td', { text: String(p.used) }),
        el('td', { text: String(p.idle) }),
        el('td', { text: p.max == null ? '–' : String(p.max) }),
        el('td', { text: String(p.pending) }),
        el('td', { text: fmtSeconds(p.waitMean) }),
        el('td', { text: String(p.timeouts) }),
      ),
    ),
  );
  const caches = frame?.cache?.caches ?? [];
  $('#cache-panel').hidden = caches.length === 0;
  fillTable(
    '#caches',
    caches.map((c) =>
      el(
        'tr',
        {},
        el('td', { text: c.name }),
        el('td', { text: c.layer }),
        el('td', { text: String(c.requests) }),
        el('td', { text: fmtPercent(c.hitRatio) }),
      ),
    ),
  );
  const breakers = frame?.breakers ?? [];
  $('#breakers-panel').hidden = breakers.length === 0;
  fillTable(
    '#breakers',
    breakers.map((b) =>
      el(
        'tr',
        {},
        el('td', { text: b.name }),
        el('td', { class: `state-${b.state}`, text: b.state.replace('_', ' ') }),
      ),
    ),
  );
}

// ---- alerts ---------------------------------------------------------------------------------------------
function alertText(a, ...keys) {
  for (const k of keys) if (a[k] != null) return String(a[k]);
  return '';
}

async function alertAction(alert, action, body) {
  const token = $('#token').value.trim();
  sessionStorage.setItem('otel-perf-token', token);
  const err = $('#alerts-error');
  err.hidden = true;
  try {
    const res = await fetch(`${alertsApi}/${encodeURIComponent(alert.id)}/${action}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body ?? {}),
    });
    if (!res.ok) throw new Error(`${action} failed: HTTP ${res.status} ${await res.text()}`);
    alert.acknowledged = action === 'acknowledge' ? true : alert.acknowledged;
    await refreshAlerts();
  } catch (e) {
    err.textContent = String(e.message ?? e);
    err.hidden = false;
  }
}

function renderAlerts(active) {
  const list = $('#alerts');
  $('#alert-count').textContent = String(active.length);
  $('#alerts-empty').hidden = active.length > 0;
  list.replaceChildren(
    ...active.map((a) => {
      const level = alertText(a, 'level') || 'warning';
      const acked = a.acknowledged === true || a.state === 'acknowledged' || a.acknowledgedAt != null;
      return el(
        'li',
        { class: `${level}${acked ? ' acknowledged' : ''}`, 'data-alert-id': String(a.id) },
        el('strong', { text: `${level.toUpperCase()} · ${alertText(a, 'rule', 'name', 'signal')}` }),
        el('div', { class: 'reason', text: alertText(a, 'reason', 'message', 'summary') }),
        el('div', { class: 'muted', text: alertText(a, 'series', 'seriesKey') }),
        acked
          ? el('span', { class: 'muted', text: 'acknowledged' })
          : el('button', {
              text: 'Acknowledge',
              'data-action': 'acknowledge',
              onclick: () => alertAction(a, 'acknowledge'),
            }),
        el('button', {
          text: 'Silence 1 h',
          'data-action': 'silence',
          onclick: () => alertAction(a, 'silence', { until: new Date(Date.now() + 3600_000).toISOString() }),
        }),
      );
    }),
  );
}

async function refreshAlerts() {
  try {
    const res = await fetch(`${alertsApi}?state=active`);
    if (res.ok) {
      const body = await res.json();
      renderAlerts(Array.isArray(body) ? body : (body.alerts ?? []));
      return;
    }
  } catch {}
  renderAlerts(state.frames.at(-1)?.alerts?.active ?? []);
}

// ---- data flow ------------------------------------------------------------------------------------------
function render() {
  const last = state.frames.at(-1);
  renderBanner(last);
  renderCards();
  renderRoutes(last);
  renderPanels(last);
  if (last?.alerts) renderAlerts(last.alerts.active);
}

function trim() {
  const since = Date.now() - state.windowS * 1000;
  state.frames = state.frames.filter((f) => f.t >= since);
}

async function loadHistory() {
  const res = await fetch(`/api/metrics/history?window=${state.windowS}`);
  const body = await res.json();
  state.frames = body.frames;
  render();
  return body.intervalMs;
}

function connect(intervalMs) {
  state.source?.close();
  const source = new EventSource(`/api/metrics/stream?interval=${intervalMs}`);
  state.source = source;
  source.addEventListener('open', () => {
    $('#live').className = 'live on';
  });
  source.addEventListener('error', () => {
    $('#live').className = 'live off';
  });
  source.addEventListener('frame', (ev) => {
    const frame = JSON.parse(ev.data);
    if (state.frames.at(-1)?.t !== frame.t) state.frames.push(frame);
    trim();
    render();
  });
}

function legend() {
  $('#bands-legend').replaceChildren(
    ...BANDS.map((b) => el('span', {}, el('i', { class: `b-${b}` }), `${b} ${BAND_LABELS[b]}`)),
  );
}

async function main() {
  legend();
  $('#token').value = sessionStorage.getItem('otel-perf-token') ?? '';
  $('#window').addEventListener('change', async (e) => {
    state.windowS = Number(e.target.value);
    await loadHistory();
  });
  const intervalMs = await loadHistory();
  connect(intervalMs);
  await refreshAlerts();
}

main().catch((e) => {
  $('#banner-text').textContent = `dashboard error: ${e.message ?? e}`;
});
