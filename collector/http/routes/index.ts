// Every built-in resource's routes, in one list.
import type { Route } from '../router.js';
import { healthRoutes } from './health.js';

export const BUILTIN_ROUTES: Route[] = [...healthRoutes];
