/** The one place the processor takes its detector from: the package's streaming detector. */

export type { Detector, DetectorOptions } from './fallback-detector.js';
export { createDetector, DEFAULT_ALERT_THRESHOLD } from './fallback-detector.js';
