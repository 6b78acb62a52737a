/** The one place the processor takes its detector from: the package's streaming detector (`src/detector`). */
export type { Detector, DetectorOptions } from './detector/index.js';
export { createDetector, DEFAULT_ALERT_THRESHOLD } from './detector/index.js';
