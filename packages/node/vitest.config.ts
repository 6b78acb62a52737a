import { workspaceConfig } from '../../vitest.shared.ts';

// The subprocess tests need the built package: test/global-setup.ts builds it (and its dependencies).
export default workspaceConfig(import.meta.dirname, { globalSetup: ['test/global-setup.ts'] });
