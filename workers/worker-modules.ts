import { admissionModule } from './admission/admission-module.js';
import { analyticsModule } from './analytics/analytics-module.js';
import { metricsModule } from './metrics/metrics-module.js';
import { notificationModule } from './notifications/notification-module.js';
import type { WorkerModule } from './runtime/worker-context.js';
import { holdExpiryModule } from './seats/hold-expiry-module.js';
import { waitlistOfferModule } from './seats/waitlist-offer-module.js';

/** Every worker feature, started in this order and closed in reverse. */
export const workerModules: WorkerModule[] = [
  metricsModule,
  admissionModule,
  holdExpiryModule,
  waitlistOfferModule,
  analyticsModule,
  notificationModule,
];
