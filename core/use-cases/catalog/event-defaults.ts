import type { AdmissionSettings } from '../../contract/primitives.js';

/** Config values an event falls back on when the admin does not set them. */
export interface EventDefaults {
  holdTtlSeconds: number;
  maxSeatsPerUser: number;
  admission: AdmissionSettings;
}
