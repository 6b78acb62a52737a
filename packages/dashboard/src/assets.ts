import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** A static file served by the dashboard. */
export interface Asset {
  type: string;
  body: Buffer;
}

const TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
};

/**
 * The page, its script and style (from this package's `assets/`) and uPlot (from the `uplot` dependency),
 * read once on first use. Nothing is fetched from a CDN; the user runs no build step.
 */
export function loadAssets(title: string, alertsApi: string): Map<string, Asset> {
  const here = dirname(fileURLToPath(import.meta.url));
  const dir = join(here, '..', 'assets');
  const require = createRequire(import.meta.url);
  const uplotDir = dirname(require.resolve('uplot/dist/uPlot.iife.min.js'));
  const file = (path: string) => readFileSync(path);
  const html = file(join(dir, 'index.html'))
    .toString('utf8')
    .replaceAll('{{TITLE}}', escapeHtml(title))
    .replaceAll('{{ALERTS_API}}', escapeHtml(alertsApi));
  const assets = new Map<string, Asset>([
    ['', { type: TYPES.html as string, body: Buffer.from(html) }],
    ['index.html', { type: TYPES.html as string, body: Buffer.from(html) }],
    ['app.js', { type: TYPES.js as string, body: file(join(dir, 'app.js')) }],
    ['style.css', { type: TYPES.css as string, body: file(join(dir, 'style.css')) }],
    ['uplot.js', { type: TYPES.js as string, body: file(join(uplotDir, 'uPlot.iife.min.js')) }],
    ['uplot.css', { type: TYPES.css as string, body: file(join(uplotDir, 'uPlot.min.css')) }],
  ]);
  return assets;
}

/** Escapes text for an HTML text node or a quoted attribute. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
