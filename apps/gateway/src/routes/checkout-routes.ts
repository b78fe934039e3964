import {
  CURRENCY_MINOR_DIGITS,
  type InventoryCheckRequest,
  inventoryCheckRequestSchema,
  type PriceQuoteRequest,
  priceQuoteRequestSchema,
  type ReservationRequest,
  reservationRequestSchema,
} from '@understudy/contracts';
import type { z } from 'zod';
import type { RequestContext } from './bucketing';
import { type RouteConfig, type RouteConfigInput, routeConfigSchema } from './route-config';

/** Where a route's calls go: the monolith, or one of the modules. */
export type UpstreamName = 'monolith' | 'inventory' | 'pricing';

/**
 * The checkout routes the gateway serves: fixed in code (path, contract,
 * upstream paths), while everything an operator tunes — mode, percentage,
 * segments, comparison, guards — is the route's configuration in PostgreSQL.
 */
export interface CheckoutRoute<B = unknown> {
  readonly name: string;
  readonly path: string;
  readonly summary: string;
  readonly request: z.ZodType<B>;
  readonly monolithPath: string;
  readonly module: { readonly upstream: Exclude<UpstreamName, 'monolith'>; readonly path: string };
  /**
   * The route changes state: the module needs an Idempotency-Key (the gateway
   * makes a fresh one per request when the client sent none), and a module
   * failure after the request may have reached it is not retried on the monolith.
   */
  readonly isWrite: boolean;
  /** Segment and sticky-key inputs found in the validated body. */
  readonly context: (body: B) => Pick<RequestContext, 'cartToken' | 'customerId' | 'companyLocationId'>;
  /** The configuration seeded when the route is first seen: `monolith` mode, a comparison spec for the monolith's known quirks. */
  readonly defaults: RouteConfigInput;
}

const IGNORE_TIMESTAMPS = ['$.generatedAt'];

/** What the router needs of a route to call its upstreams. */
export type RouteTarget = Pick<CheckoutRoute, 'name' | 'monolithPath' | 'module' | 'isWrite'>;

export const INVENTORY_CHECK: CheckoutRoute<InventoryCheckRequest> = {
  name: 'inventory.check',
  path: '/v1/inventory/check',
  summary: 'Can this many units of a variant be sold now?',
  request: inventoryCheckRequestSchema,
  monolithPath: '/inventory/check',
  module: { upstream: 'inventory', path: '/v1/check' },
  isWrite: false,
  context: (body) => ({ cartToken: body.cartToken }),
  defaults: {
    name: 'inventory.check',
    tokenMigration: 'legacy-cart-token',
    comparison: {
      // The monolith stamps every answer and prints ids as numbers.
      ignore: IGNORE_TIMESTAMPS,
      transforms: [{ path: '$.variantId', op: 'toString' }],
    },
    timeouts: { primaryMs: 2_000, shadowMs: 500 },
  },
};

export const INVENTORY_RESERVE: CheckoutRoute<ReservationRequest> = {
  name: 'inventory.reserve',
  path: '/v1/inventory/reservations',
  summary: 'Hold units of one or more variants for a cart, all lines or none.',
  request: reservationRequestSchema,
  monolithPath: '/inventory/reservations',
  module: { upstream: 'inventory', path: '/v1/reservations' },
  isWrite: true,
  context: (body) => ({ cartToken: body.cartToken }),
  defaults: {
    name: 'inventory.reserve',
    tokenMigration: 'legacy-cart-token',
    comparison: {
      // Ids, tokens and clocks are each side's own; what must agree is the status and the lines held.
      ignore: [...IGNORE_TIMESTAMPS, '$.id', '$.cartToken', '$.createdAt', '$.expiresAt', '$.committedAt', '$.soldAt', '$.error.message'],
      transforms: [{ path: '**.variantId', op: 'toString' }],
      arraysAsSets: [
        { path: '$.lines', key: 'variantId' },
        { path: '$.error.details.lines', key: 'variantId' },
      ],
    },
    timeouts: { primaryMs: 3_000, shadowMs: 1_000 },
  },
};

/** pricing.quote's money tolerance per currency, derived from the one table of minor units (libs/contracts). */
export const HALF_MINOR_UNIT = {
  field: 'currency',
  absolute: Object.fromEntries(Object.entries(CURRENCY_MINOR_DIGITS).map(([currency, digits]) => [currency, 0.5 / 10 ** digits])),
};

export const PRICING_QUOTE: CheckoutRoute<PriceQuoteRequest> = {
  name: 'pricing.quote',
  path: '/v1/pricing/quote',
  summary: 'Price a cart for a buyer (B2B price lists, quantity breaks).',
  request: priceQuoteRequestSchema,
  monolithPath: '/pricing/quote',
  module: { upstream: 'pricing', path: '/v1/quotes' },
  isWrite: false,
  context: (body) => ({ cartToken: body.cartToken, customerId: body.customerId, companyLocationId: body.companyLocationId }),
  defaults: {
    name: 'pricing.quote',
    tokenMigration: 'legacy-cart-token',
    comparison: {
      // The monolith answers money as binary floats, unrounded; the modules as exact decimal strings.
      // What only the pricing module answers (freshness, compare-at, the winning catalog and list) is not compared:
      // the monolith has no such fields, and a catalog it ignores shows up where it matters, in the prices.
      ignore: [...IGNORE_TIMESTAMPS, '$.asOf', '$.lines[*].source', '$.lines[*].compareAtPrice', '$.lines[*].catalogId', '$.lines[*].priceListId', '$.error.message'],
      transforms: [
        { path: '**.variantId', op: 'toString' },
        { path: '$.lines[*].unitPrice', op: 'toNumber' },
        { path: '$.lines[*].lineTotal', op: 'toNumber' },
        { path: '$.subtotal', op: 'toNumber' },
      ],
      // Half the minor unit of the answer's currency (half a cent, half a yen): the most half-up rounding can move an amount.
      tolerance: [
        { path: '$.lines[*].unitPrice', absolute: 0.005, byCurrency: HALF_MINOR_UNIT },
        { path: '$.lines[*].lineTotal', absolute: 0.005, relative: 0.0001, byCurrency: HALF_MINOR_UNIT },
        { path: '$.subtotal', absolute: 0.005, relative: 0.0001, byCurrency: HALF_MINOR_UNIT },
      ],
    },
    timeouts: { primaryMs: 2_000, shadowMs: 500 },
  },
};

export const CHECKOUT_ROUTES: readonly CheckoutRoute[] = [INVENTORY_CHECK, INVENTORY_RESERVE, PRICING_QUOTE] as unknown as readonly CheckoutRoute[];

export function checkoutRoute(name: string): CheckoutRoute | undefined {
  return CHECKOUT_ROUTES.find((route) => route.name === name);
}

/** The seeded configuration of every checkout route (mode `monolith`), as stored on first boot. */
export function defaultRoutes(): RouteConfig[] {
  return CHECKOUT_ROUTES.map((route) => routeConfigSchema.parse(route.defaults));
}
