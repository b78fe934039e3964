import { GatewayRoutes1767398400000 } from './1767398400000-gateway-routes';

/** The gateway's migrations, oldest first. Applied by `main --migrate`. */
export const migrations = [GatewayRoutes1767398400000];
