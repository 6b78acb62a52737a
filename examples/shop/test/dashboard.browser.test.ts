import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type NodeProcess, runNode } from '@otel-perf/test-utils';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { embeddedEnv, stop } from './spawn.js';

const here = resolve(import.meta.dirname, '..');
const artifacts = join(here, 'test', 'artifacts');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * The built-in dashboard in real headless Chromium (Debian's package, installed by
 * scripts/services/extra-chromium.sh), served by the distro inside the preloaded shop, with traffic from
 * the shop's load generator.
 */
const TOKEN = 'browser-test-token-0123456789';

/**
 * The demo's config, plus an anomaly rule that a burst of 500s on `/error` fires within a second or two
 * (the shipped rules wait a minute before firing), so the test can watch an alert arrive live.
 */
function testConfig(): string {
  const file = join(mkdtempSync(join(tmpdir(), 'otel-perf-browser-')), 'otel-perf.json');
  writeFileSync(
    file,
    JSON.stringify({
      serviceName: 'shop',
      printEndpoints: true,
      dashboard: { intervalMs: 1000, title: 'shop' },
      health: { drainDelayMs: 0 },
      anomaly: {
        intervalMs: 1000,
        thresholds: [
          { name: 'errorBurst', signal: 'http.server.error_ratio', op: 'gt', value: 0.5, level: 'warning' },
        ],
      },
    }),
  );
  return file;
}

let shop: NodeProcess;
let load: NodeProcess | undefined;
let browser: Browser;
let page: Page;
let metrics: string;
let app: string;

beforeAll(async () => {
  shop = runNode(['--require', '@otel-perf/node/register', join(here, 'src', 'main.js')], {
    cwd: here,
    env: embeddedEnv({ OTEL_PERF_CONFIG: testConfig(), OTEL_PERF_ANOMALY_API_TOKEN: TOKEN }),
    group: true,
    timeoutMs: 300_000,
  });
  metrics = (
    await shop.waitForOutput(/metrics server listening on (http:\/\/\S+)/, 120_000, 'all')
  )[1] as string;
  app = (await shop.waitForOutput(/\[shop\] listening on (http:\/\/\S+)/, 120_000, 'all'))[1] as string;
  load = runNode(
    [join(here, 'src', 'loadgen.js'), '--target', app, '--scenario', 'steady', '--duration', '60'],
    {
      cwd: here,
      env: embeddedEnv(),
      group: true,
      timeoutMs: 300_000,
    },
  );
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  page = await browser.newPage({ viewport: { width: 1400, height: 1100 } });
  page.on('pageerror', (e) => {
    pageErrors.push(String(e));
  });
}, 120_000);

const pageErrors: string[] = [];

afterAll(async () => {
  await browser?.close().catch(() => undefined);
  if (load) await stop(load);
  if (shop) await stop(shop);
});

/** Non-blank pixels in a chart canvas (uPlot draws lines on a transparent canvas). */
function inkedPixels(selector: string): Promise<number> {
  return page.$eval(selector, (c) => {
    const canvas = c as HTMLCanvasElement;
    const data = canvas.getContext('2d')?.getImageData(0, 0, canvas.width, canvas.height).data;
    let n = 0;
    if (data) for (let i = 3; i < data.length; i += 4) if ((data[i] ?? 0) > 0) n++;
    return n;
  });
}

describe('built-in dashboard in headless Chromium', () => {
  it('loads and goes live', async () => {
    const res = await page.goto(`${metrics}/dashboard/`);
    expect(res?.status()).toBe(200);
    await expect(page.title()).resolves.toBe('shop · performance');
    await page.waitForSelector('#live.on', { timeout: 20_000 });
  });

  it('charts and tables show the generated traffic', async () => {
    await page.waitForFunction(
      () =>
        [...document.querySelectorAll('#routes tbody tr')].some((r) =>
          r.textContent?.includes('/products/:id'),
        ),
      undefined,
      { timeout: 60_000 },
    );
    await page.waitForFunction(
      () => /\d/.test(document.querySelector('#card-latency [data-value]')?.textContent ?? ''),
      undefined,
      {
        timeout: 30_000,
      },
    );
    // Two frames at least, so the charts have a line to draw.
    await page.waitForTimeout(2500);
    expect(await inkedPixels('#card-latency canvas')).toBeGreaterThan(50);
    expect(await inkedPixels('#card-memory canvas')).toBeGreaterThan(50);
    const banner = await page.textContent('#banner-text');
    expect(banner).toMatch(/healthy|degraded|unhealthy/);
    await page.waitForSelector('#breakers-panel:not([hidden])', { timeout: 30_000 });
    expect(await page.textContent('#breakers')).toContain('payments');
    await page.waitForSelector('#pools-panel:not([hidden])', { timeout: 30_000 });
    expect(await page.textContent('#pools')).toContain('shop');
    await page.waitForSelector('#cache-panel:not([hidden])', { timeout: 30_000 });
    expect(await page.textContent('#caches')).toContain('products');
  });

  it('shows a new alert live, and acknowledging it works', async () => {
    expect(await page.textContent('#alert-count')).toBe('0');
    for (let i = 0; i < 40; i++) expect((await fetch(`${app}/error?rate=1`)).status).toBe(500);
    const item = await page.waitForSelector('#alerts li[data-alert-id]', { timeout: 30_000 });
    expect(await item.textContent()).toContain('errorBurst');
    const id = await item.getAttribute('data-alert-id');
    // Without the token the API refuses, and the page says so.
    await page.fill('#token', '');
    await page.click(`#alerts li[data-alert-id="${id}"] button[data-action="acknowledge"]`);
    await page.waitForSelector('#alerts-error:not([hidden])');
    expect(await page.textContent('#alerts-error')).toMatch(/401/);
    await page.fill('#token', TOKEN);
    await page.click(`#alerts li[data-alert-id="${id}"] button[data-action="acknowledge"]`);
    await page.waitForSelector(`#alerts li.acknowledged[data-alert-id="${id}"]`, { timeout: 10_000 });
    const { alerts } = (await (await fetch(`${metrics}/api/alerts?state=active`)).json()) as {
      alerts: { id: string; acknowledged: boolean }[];
    };
    expect(alerts.find((a) => a.id === id)?.acknowledged).toBe(true);
  });

  it('keeps a screenshot as a test artifact', async () => {
    mkdirSync(artifacts, { recursive: true });
    const file = join(artifacts, 'dashboard.png');
    const png = await page.screenshot({ path: file, fullPage: true });
    expect(png.length).toBeGreaterThan(10_000);
    expect(pageErrors).toEqual([]);
  });
});
