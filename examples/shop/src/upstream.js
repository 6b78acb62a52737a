'use strict';
// A flaky "payments" upstream on loopback, controllable at run time: failure rate and added latency.
// The shop calls it through an opossum circuit breaker.
const http = require('node:http');

function startPaymentsUpstream() {
  const settings = { failRate: 0, latencyMs: 5 };
  const server = http.createServer((_req, res) => {
    const fail = Math.random() < settings.failRate;
    setTimeout(() => {
      res.writeHead(fail ? 503 : 200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(fail ? { error: 'payments unavailable' } : { authorised: true }));
    }, settings.latencyMs);
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      resolve({
        url: `http://127.0.0.1:${port}/authorise`,
        settings,
        stop: () => new Promise((r) => server.close(r)),
      });
    });
    server.unref();
  });
}

/** POSTs to the upstream with a timeout; rejects on a non-2xx answer. */
function authorise(url, amountCents, timeoutMs = 1000) {
  return new Promise((resolve, reject) => {
    const body = JSON.stringify({ amountCents });
    const req = http.request(
      url,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        timeout: timeoutMs,
      },
      (res) => {
        let data = '';
        res.setEncoding('utf8');
        res.on('data', (d) => {
          data += d;
        });
        res.on('end', () =>
          res.statusCode === 200
            ? resolve(JSON.parse(data))
            : reject(new Error(`payments answered ${res.statusCode}`)),
        );
      },
    );
    req.on('timeout', () => req.destroy(new Error('payments timed out')));
    req.on('error', reject);
    req.end(body);
  });
}

module.exports = { startPaymentsUpstream, authorise };
