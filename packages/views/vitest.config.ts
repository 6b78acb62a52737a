import { workspaceConfig } from '../../vitest.shared.ts';

// `--expose-gc`: test/memory.test.ts measures the heap after `global.gc()`.
export default workspaceConfig(import.meta.dirname, { execArgv: ['--expose-gc'] });
