import { admissionModule } from './admission/admission-module.js';
import { holdExpiryModule } from './seats/hold-expiry-module.js';
import { waitlistOfferModule } from './seats/waitlist-offer-module.js';
import type { WorkerModule } from './worker-context.js';

/** Every worker feature, started in this order and closed in reverse. */
export const workerModules: WorkerModule[] = [admissionModule, holdExpiryModule, waitlistOfferModule];
