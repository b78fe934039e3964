import { GatewayRoutes1767398400000 } from './1767398400000-gateway-routes';
import { GatewayIdempotency1767657600000 } from './1767657600000-gateway-idempotency';

/** The gateway's migrations, oldest first. Applied by `main --migrate`. */
export const migrations = [GatewayRoutes1767398400000, GatewayIdempotency1767657600000];
