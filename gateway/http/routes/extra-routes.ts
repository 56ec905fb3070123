import type { AppContext } from '../../context/app-context.js';
import type { Router } from '../http-router.js';
import { registerAccessCodeRoutes } from './access-code-routes.js';
import { registerAnalyticsRoutes } from './analytics-routes.js';
import { registerBookingRoutes } from './booking-routes.js';
import { registerChallengeRoutes } from './challenge-routes.js';
import { registerConsoleRoutes } from './console-routes.js';
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
  registerBookingRoutes,
  registerUserAdminRoutes,
  registerSeatLayoutRoutes,
  registerAccessCodeRoutes,
  registerConsoleRoutes,
  registerDevMailRoutes,
  registerDocsRoutes,
  registerChallengeRoutes,
];
