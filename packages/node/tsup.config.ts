import { packageBuild } from '../../tsup.shared';

// The preload entry imports the package's own main entry (kept external), so there is one copy of the
// distro per module format.
export default packageBuild(['src/index.ts', 'src/register.ts'], { external: ['@otel-perf/node'] });
