import { channel } from 'node:diagnostics_channel';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { diag } from '@opentelemetry/api';
import { safeCall } from '@otel-perf/core';
import { ALERT_CHANNEL } from './semconv.js';
import type { Alert, AlertEvent, AlertmanagerConfig } from './types.js';

const alertChannel = channel(ALERT_CHANNEL);

/** Message published on `otel-perf:anomaly:alert`. */
export interface AlertMessage {
  event: AlertEvent;
  alert: Alert;
}

/** Publishes on the diagnostics channel; costs one check when nobody listens. */
export function publish(alert: Alert, event: AlertEvent): void {
  if (alertChannel.hasSubscribers)
    safeCall('anomaly alert channel subscriber', () =>
      alertChannel.publish({ event, alert } satisfies AlertMessage),
    );
}

/** Calls every listener; a throwing or rejecting one goes to diag and the others still run. */
export function callListeners(
  listeners: Iterable<(alert: Alert, event: AlertEvent) => unknown>,
  alert: Alert,
  event: AlertEvent,
): void {
  for (const fn of listeners)
    safeCall('anomaly onAlert callback', fn, { ...alert, labels: { ...alert.labels } }, event);
}

/** The Alertmanager v2 representation of an alert. */
export function toAlertmanager(alert: Alert, extra: Record<string, string> = {}): Record<string, unknown> {
  return {
    labels: {
      alertname: alert.rule,
      severity: alert.level,
      signal: alert.signal,
      ...alert.labels,
      ...extra,
    },
    annotations: {
      summary: alert.reason,
      series: alert.series,
      value: String(alert.value),
      baseline: String(alert.baseline),
      score: String(alert.score),
      alert_id: alert.id,
    },
    startsAt: alert.firedAt ?? alert.startsAt,
    ...(alert.endsAt ? { endsAt: alert.endsAt } : {}),
  };
}

/**
 * Pushes alerts to Alertmanager's `POST /api/v2/alerts`: each transition at once, and firing alerts again every
 * `resendMs` (Alertmanager resolves alerts it stops hearing about). Failures go to diag; nothing waits on them,
 * and the sockets never keep the process alive.
 */
export class AlertmanagerPush {
  private readonly url: URL;
  private readonly resendMs: number;
  private readonly timeoutMs: number;
  private lastResend = 0;
  private readonly inFlight = new Set<Promise<void>>();
  failures = 0;
  sent = 0;

  constructor(private readonly config: AlertmanagerConfig) {
    let url: URL;
    try {
      url = new URL('api/v2/alerts', config.url.endsWith('/') ? config.url : `${config.url}/`);
    } catch {
      throw new Error(
        `@otel-perf/anomaly: alertmanager.url must be an http(s) URL, got ${JSON.stringify(config.url)}`,
      );
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      throw new Error(
        `@otel-perf/anomaly: alertmanager.url must be an http(s) URL, got ${JSON.stringify(config.url)}`,
      );
    this.url = url;
    this.resendMs = config.resendMs ?? 60_000;
    this.timeoutMs = config.timeoutMs ?? 5000;
  }

  /** Sends one transition now. */
  notify(alert: Alert): void {
    this.post([alert]);
  }

  /** Sends the firing alerts again if `resendMs` passed since the last time. */
  resend(firing: Alert[], now: number): void {
    if (this.lastResend === 0) this.lastResend = now;
    if (firing.length === 0 || now - this.lastResend < this.resendMs) return;
    this.lastResend = now;
    this.post(firing);
  }

  /** Waits for the requests in flight, at most `maxWaitMs` (their own timeout bounds them too). */
  async flush(maxWaitMs = this.timeoutMs): Promise<void> {
    if (this.inFlight.size === 0) return;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, maxWaitMs);
      timer.unref();
    });
    await Promise.race([Promise.all([...this.inFlight]), deadline]);
    clearTimeout(timer);
  }

  private post(alerts: Alert[]): void {
    const body = JSON.stringify(alerts.map((a) => toAlertmanager(a, this.config.labels)));
    const send = this.url.protocol === 'https:' ? httpsRequest : httpRequest;
    const p = new Promise<void>((resolve) => {
      let settled = false;
      const done = (err?: unknown) => {
        if (settled) return;
        settled = true;
        if (err) {
          this.failures++;
          diag.warn(`otel-perf anomaly: pushing ${alerts.length} alert(s) to Alertmanager failed`, err);
        } else this.sent += alerts.length;
        resolve();
      };
      try {
        const req = send(
          this.url,
          {
            method: 'POST',
            headers: {
              ...this.config.headers,
              'content-type': 'application/json',
              'content-length': Buffer.byteLength(body),
            },
            timeout: this.timeoutMs,
          },
          (res) => {
            res.resume();
            res.on('end', () =>
              done(res.statusCode && res.statusCode < 300 ? undefined : new Error(`HTTP ${res.statusCode}`)),
            );
            res.on('error', done);
          },
        );
        req.on('socket', (s) => s.unref());
        req.on('timeout', () => req.destroy(new Error(`timed out after ${this.timeoutMs} ms`)));
        req.on('error', done);
        req.end(body);
      } catch (err) {
        done(err);
      }
    });
    this.inFlight.add(p);
    void p.finally(() => this.inFlight.delete(p));
  }
}
