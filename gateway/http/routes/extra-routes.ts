import type { AppContext } from '../../app-context.js';
import type { Router } from '../http-router.js';
import { registerAccessCodeRoutes } from './access-code-routes.js';
import { registerAnalyticsRoutes } from './analytics-routes.js';
import { registerDevMailRoutes } from './dev-mail-routes.js';
import { registerDocsRoutes } from './docs-routes.js';
import { registerMyBookingRoutes } from './my-booking-routes.js';
import { registerSeatLayoutRoutes } from './seat-layout-routes.js';
import { registerUserAdminRoutes } from './user-admin-routes.js';
import { registerVenueRoutes } from './venue-routes.js';

/** HTTP routes of later features (admin analytics...), registered after the core ones. */
export const extraHttpRoutes: ((router: Router, app: AppContext) => void)[] = [
  registerAnalyticsRoutes,
  registerVenueRoutes,
  registerMyBookingRoutes,
  registerUserAdminRoutes,
  registerSeatLayoutRoutes,
  registerAccessCodeRoutes,
  registerDevMailRoutes,
  registerDocsRoutes,
];
