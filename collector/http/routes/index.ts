// Every built-in resource's routes, in one list (the alert routes are mounted by the models
// through startCollector's `routes`).
import type { Route } from '../router.js';
import { commandRoutes } from './commands.js';
import { enrollRoutes } from './enroll.js';
import { enterpriseRoutes } from './enterprises.js';
import { facilityRoutes } from './facilities.js';
import { gatewayRoutes } from './gateways.js';
import { healthRoutes } from './health.js';
import { meterRoutes } from './meters.js';
import { modelParamRoutes } from './model-params.js';
import { orderRoutes } from './orders.js';
import { quarantineRoutes } from './quarantine.js';
import { rankingRoutes } from './rankings.js';
import { tokenRoutes } from './tokens.js';
import { viewRoutes } from './views.js';
import { webhookRoutes } from './webhooks.js';

export const BUILTIN_ROUTES: Route[] = [
  ...healthRoutes,
  ...gatewayRoutes,
  ...commandRoutes,
  ...enrollRoutes,
  ...enterpriseRoutes,
  ...facilityRoutes,
  ...meterRoutes,
  ...quarantineRoutes,
  ...tokenRoutes,
  ...orderRoutes,
  ...viewRoutes,
  ...webhookRoutes,
  ...rankingRoutes,
  ...modelParamRoutes,
];
