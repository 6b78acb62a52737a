'use strict';
// A bounded load generator for the shop, loopback only.
//   node loadgen.js --target http://127.0.0.1:3000 --scenario steady|spike|errors|slowdb|cycle --duration 60
// Every run stops by itself after --duration seconds or --max-requests requests, whichever comes first.
const http = require('node:http');
const { parseArgs } = require('node:util');

const SCENARIOS = {
  // rate: requests/s; mix: [weight, method, path, body?]
  steady: {
    rate: 40,
    mix: [
      [6, 'GET', '/products/:id'],
      [2, 'GET', '/products'],
      [1, 'POST', '/orders'],
    ],
  },
  spike: {
    rate: 200,
    mix: [
      [6, 'GET', '/products/:id'],
      [2, 'GET', '/products'],
      [1, 'GET', '/cpu?ms=20'],
    ],
  },
  errors: {
    rate: 40,
    mix: [
      [3, 'GET', '/products/:id'],
      [2, 'GET', '/error?rate=0.5'],
      [1, 'POST', '/orders'],
    ],
    chaos: { paymentsFailRate: 0.6 },
  },
  slowdb: {
    rate: 30,
    mix: [
      [4, 'GET', '/products'],
      [2, 'GET', '/products/:id'],
      [1, 'POST', '/orders'],
    ],
    chaos: { dbSlowMs: 300 },
  },
};
const CYCLE = ['steady', 'spike', 'steady', 'errors', 'steady', 'slowdb'];
const CALM = { dbSlowMs: 0, paymentsFailRate: 0, paymentsLatencyMs: 5 };

function assertLoopback(target) {
  const { hostname } = new URL(target);
  if (!['127.0.0.1', 'localhost', '[::1]', '::1'].includes(hostname) && !hostname.startsWith('127.')) {
    throw new Error(`loadgen only sends traffic to loopback addresses, not ${hostname}`);
  }
}

function request(agent, target, method, path, body) {
  return new Promise((resolve) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = http.request(
      new URL(path, target),
      {
        method,
        agent,
        headers: payload
          ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }
          : {},
        timeout: 20_000,
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve(0));
    req.end(payload);
  });
}

function pick(mix) {
  const total = mix.reduce((n, m) => n + m[0], 0);
  let r = Math.random() * total;
  for (const m of mix) {
    r -= m[0];
    if (r <= 0) return m;
  }
  return mix[0];
}

/** Runs one scenario for `seconds` (bounded by `budget.left` requests). Returns { sent, byStatus }. */
async function runScenario(target, name, seconds, budget, agent) {
  const s = SCENARIOS[name];
  if (!s) throw new Error(`unknown scenario ${name}; one of ${Object.keys(SCENARIOS).join(', ')}`);
  await request(agent, target, 'POST', '/chaos', { ...CALM, ...(s.chaos ?? {}) });
  const stats = { sent: 0, byStatus: {} };
  const end = Date.now() + seconds * 1000;
  const inflight = new Set();
  const tickMs = 50;
  while (Date.now() < end && budget.left > 0) {
    const n = Math.max(1, Math.round((s.rate * tickMs) / 1000));
    for (let i = 0; i < n && budget.left > 0 && inflight.size < 256; i++) {
      const [, method, template] = pick(s.mix);
      const id = 1 + Math.floor(Math.random() ** 2 * 200);
      const path = template.replace(':id', String(id));
      const body = method === 'POST' ? { productId: id, quantity: 1 + (id % 3) } : undefined;
      budget.left--;
      stats.sent++;
      const p = request(agent, target, method, path, body).then((code) => {
        stats.byStatus[code] = (stats.byStatus[code] ?? 0) + 1;
        inflight.delete(p);
      });
      inflight.add(p);
    }
    await new Promise((r) => setTimeout(r, tickMs));
  }
  await Promise.all(inflight);
  await request(agent, target, 'POST', '/chaos', CALM);
  return stats;
}

async function main() {
  const { values } = parseArgs({
    options: {
      target: { type: 'string', default: 'http://127.0.0.1:3000' },
      scenario: { type: 'string', default: 'cycle' },
      duration: { type: 'string', default: '60' },
      'max-requests': { type: 'string', default: '200000' },
      quiet: { type: 'boolean', default: false },
    },
  });
  assertLoopback(values.target);
  const duration = Math.min(Number(values.duration) || 60, 3600);
  const budget = { left: Math.min(Number(values['max-requests']) || 200_000, 2_000_000) };
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const deadline = Date.now() + duration * 1000;
  const names = values.scenario === 'cycle' ? CYCLE : [values.scenario];
  let i = 0;
  while (Date.now() < deadline && budget.left > 0) {
    const name = names[i++ % names.length];
    const seconds = Math.min(values.scenario === 'cycle' ? 30 : duration, (deadline - Date.now()) / 1000);
    const stats = await runScenario(values.target, name, seconds, budget, agent);
    if (!values.quiet)
      console.log(`[loadgen] ${name}: ${stats.sent} requests ${JSON.stringify(stats.byStatus)}`);
    if (values.scenario !== 'cycle') break;
  }
  agent.destroy();
}

if (require.main === module) {
  main().catch((err) => {
    console.error(`[loadgen] ${err.message}`);
    process.exitCode = 1;
  });
}

module.exports = { SCENARIOS, runScenario, assertLoopback };
