import { workspaceConfig } from '../vitest.shared.ts';

// One end-to-end file: it starts Prometheus, Alertmanager and the collector (building the collector first if
// scripts/services/extra-collector.sh has not), so its hooks get minutes, not seconds.
export default workspaceConfig(import.meta.dirname, {
  include: ['e2e/**/*.test.ts'],
  testTimeout: 180_000,
  hookTimeout: 900_000,
});
