/** Every dashboard, by the file name its JSON is written to (`dashboards/<name>.json`). */
import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { anomaliesDashboard } from './dashboards/anomalies.ts';
import { breakersDashboard } from './dashboards/breakers.ts';
import { cacheDashboard } from './dashboards/cache.ts';
import { databaseDashboard } from './dashboards/database.ts';
import { overviewDashboard } from './dashboards/overview.ts';
import { runtimeDashboard } from './dashboards/runtime.ts';

export const DASHBOARDS: Readonly<Record<string, () => Dashboard>> = {
  overview: overviewDashboard,
  database: databaseDashboard,
  cache: cacheDashboard,
  breakers: breakersDashboard,
  runtime: runtimeDashboard,
  anomalies: anomaliesDashboard,
};

/** The JSON text of a dashboard as committed: two-space indent, trailing newline. */
export function dashboardJson(dashboard: Dashboard): string {
  return `${JSON.stringify(dashboard, null, 2)}\n`;
}
