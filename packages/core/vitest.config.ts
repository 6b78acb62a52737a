import { workspaceConfig } from '../../vitest.shared';

export default workspaceConfig(import.meta.dirname);
