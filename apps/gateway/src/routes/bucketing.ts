import { BUCKET_COUNT, type RouteConfig, type RouteMode, type Segment } from './route-config';

/**
 * Which upstream answers a request, and whether the other one is called in
 * the shadow. Deterministic: the same sticky key always lands in the same
 * bucket, on every replica and after every restart, so one cart sees one path
 * for its whole life.
 *
 * What `shadowPercent` means in each mode (a request is "in" when its bucket
 * is below percent × 100, so raising the percentage only ever adds carts —
 * a cart in at 10% is still in at 50%):
 *
 * | mode           | in the percentage                         | the rest                          |
 * |----------------|-------------------------------------------|-----------------------------------|
 * | monolith       | —                                         | monolith, no shadow               |
 * | shadow         | monolith answers, module shadowed         | monolith, no shadow               |
 * | module-primary | module answers, monolith shadowed and the | monolith answers, module shadowed |
 * |                | fallback when the module fails            |                                   |
 * | module-only    | — (always everything)                     | module, no shadow, no fallback    |
 *
 * In `module-primary` the percentage is the share of requests the *module*
 * answers, and every request is compared either way: the step before it
 * (shadow 100%) already sent all traffic to the module, so the extra calls
 * are a known load, the guards keep a full sample, and moving the percentage
 * never changes the load on either side — only who answers.
 *
 * A route with segments applies only to requests matching one of them; any
 * other request is served as in `monolith` mode.
 */

export interface RequestContext {
  /** Always present; the sticky key of last resort. */
  readonly requestId: string;
  readonly cartToken?: string | undefined;
  readonly customerId?: string | undefined;
  readonly customerTags?: readonly string[] | undefined;
  readonly shopDomain?: string | undefined;
  readonly companyLocationId?: string | undefined;
  /** Request headers; names are matched case-insensitively. */
  readonly headers?: Readonly<Record<string, string | readonly string[] | undefined>> | undefined;
}

export type Upstream = 'monolith' | 'module';

export interface RoutingDecision {
  /** The mode actually applied: `monolith` when the request is outside every segment. */
  readonly mode: RouteMode;
  readonly primary: Upstream;
  /** Also call the other upstream, off the hot path, and compare. */
  readonly shadow: boolean;
  /** When the module (primary) errors, times out or its breaker is open, answer from the monolith. */
  readonly fallbackToMonolith: boolean;
  /** The route-salted bucket in [0, 10000). */
  readonly bucket: number;
  readonly stickyKey: 'cart' | 'customer' | 'request';
  /**
   * Who the request counts as for the guards' distinct-client figures: the
   * sticky cart or customer key; every request keyed by its request id alone
   * counts as the one client ANONYMOUS_CLIENT, so varying request ids cannot
   * pose as many clients.
   */
  readonly client: string;
  /** Name of the first matching segment (for per-segment stats); undefined when the route has none or none matched. */
  readonly segment: string | undefined;
}

// ---------------------------------------------------------------- hashing

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** 32-bit FNV-1a over the UTF-8 bytes of `text`. */
export function fnv1a32(text: string): number {
  let h = FNV_OFFSET;
  const bytes = Buffer.from(text, 'utf8');
  for (let i = 0; i < bytes.length; i += 1) {
    h ^= bytes[i]!;
    h = Math.imul(h, FNV_PRIME);
  }
  return h >>> 0;
}

/**
 * FNV-1a, then murmur3's finaliser so keys differing only in their last
 * characters (sequential cart tokens) still spread evenly. Part of the
 * routing contract: changing it moves every cart, which is why the spec pins
 * known values.
 */
export function hash32(text: string): number {
  let h = fnv1a32(text);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Bucket in [0, 10000) of `key` for this route: salted by the route name so routes ramp independent cohorts. */
export function stickyBucket(routeName: string, key: string): number {
  return hash32(`${routeName}\u0000${key}`) % BUCKET_COUNT;
}

/**
 * Unsalted bucket of a cart token, for `cartBucket` segments: the same carts
 * on every route, so "cohort [0, 100)" is one 1% of carts platform-wide, and
 * independent of the route's percentage bucket.
 */
export function cohortBucket(cartToken: string): number {
  return hash32(`cohort\u0000${cartToken}`) % BUCKET_COUNT;
}

/** The one client every request without a cart or customer counts as. */
export const ANONYMOUS_CLIENT = 'anonymous';

export function stickyKeyOf(context: RequestContext): { source: RoutingDecision['stickyKey']; value: string } {
  // Prefixed so a customer id can never collide with a cart token of the same spelling.
  if (nonEmpty(context.cartToken)) return { source: 'cart', value: `cart:${context.cartToken}` };
  if (nonEmpty(context.customerId)) return { source: 'customer', value: `customer:${context.customerId}` };
  return { source: 'request', value: `request:${context.requestId}` };
}

/** Buckets below this are "in": percent 12.34 → 1234 buckets. */
export function percentThreshold(percent: number): number {
  return Math.min(BUCKET_COUNT, Math.max(0, Math.round(percent * 100)));
}

// ---------------------------------------------------------------- segments

type Predicate = (context: RequestContext) => boolean;

// Compiled once per segment object: route configs are replaced, never mutated, on change.
const predicates = new WeakMap<Segment, Predicate>();

function lowerSet(values: readonly string[]): Set<string> {
  return new Set(values.map((v) => v.trim().toLowerCase()));
}

function compileSegment(segment: Segment): Predicate {
  switch (segment.type) {
    case 'shop': {
      const domains = lowerSet(segment.domains);
      return (c) => nonEmpty(c.shopDomain) && domains.has(c.shopDomain.trim().toLowerCase());
    }
    case 'companyLocation': {
      const ids = new Set(segment.ids);
      return (c) => nonEmpty(c.companyLocationId) && ids.has(c.companyLocationId);
    }
    case 'customer': {
      const ids = new Set(segment.ids);
      return (c) => nonEmpty(c.customerId) && ids.has(c.customerId);
    }
    case 'customerTag': {
      // Shopify treats tags case-insensitively.
      const tags = lowerSet(segment.tags);
      return (c) => (c.customerTags ?? []).some((t) => tags.has(t.trim().toLowerCase()));
    }
    case 'header': {
      const name = segment.header.toLowerCase();
      const pattern = segment.pattern === undefined ? undefined : new RegExp(segment.pattern);
      const accepts = (value: string) => (pattern ? pattern.test(value) : value === segment.value);
      return (c) => headerValues(c.headers, name).some(accepts);
    }
    case 'cartBucket':
      return (c) => {
        if (!nonEmpty(c.cartToken)) return false;
        const bucket = cohortBucket(c.cartToken);
        return bucket >= segment.from && bucket < segment.to;
      };
  }
}

function headerValues(headers: RequestContext['headers'], lowerName: string): readonly string[] {
  if (!headers) return [];
  let value = headers[lowerName];
  if (value === undefined) {
    const key = Object.keys(headers).find((k) => k.toLowerCase() === lowerName);
    value = key === undefined ? undefined : headers[key];
  }
  if (value === undefined) return [];
  return typeof value === 'string' ? [value] : value;
}

/** Name used for per-segment stats: the configured name, else `<type>#<position>`. */
export function segmentKey(segment: Segment, index: number): string {
  return segment.name ?? `${segment.type}#${index}`;
}

/** The first segment the request matches, or undefined. */
export function matchSegment(segments: readonly Segment[], context: RequestContext): { index: number; key: string } | undefined {
  for (let index = 0; index < segments.length; index += 1) {
    const segment = segments[index]!;
    let predicate = predicates.get(segment);
    if (!predicate) {
      predicate = compileSegment(segment);
      predicates.set(segment, predicate);
    }
    if (predicate(context)) return { index, key: segmentKey(segment, index) };
  }
  return undefined;
}

// ---------------------------------------------------------------- decision

export function decide(route: Pick<RouteConfig, 'name' | 'mode' | 'shadowPercent' | 'segments'>, context: RequestContext): RoutingDecision {
  const sticky = stickyKeyOf(context);
  const bucket = stickyBucket(route.name, sticky.value);
  const base = { bucket, stickyKey: sticky.source, client: sticky.source === 'request' ? ANONYMOUS_CLIENT : sticky.value };
  const matched = route.segments.length === 0 ? undefined : matchSegment(route.segments, context);
  if (route.segments.length > 0 && !matched) {
    return { ...base, mode: 'monolith', primary: 'monolith', shadow: false, fallbackToMonolith: false, segment: undefined };
  }
  const inPercentage = bucket < percentThreshold(route.shadowPercent);
  const segment = matched?.key;
  switch (route.mode) {
    case 'monolith':
      return { ...base, mode: 'monolith', primary: 'monolith', shadow: false, fallbackToMonolith: false, segment };
    case 'shadow':
      return { ...base, mode: 'shadow', primary: 'monolith', shadow: inPercentage, fallbackToMonolith: false, segment };
    case 'module-primary':
      return inPercentage
        ? { ...base, mode: 'module-primary', primary: 'module', shadow: true, fallbackToMonolith: true, segment }
        : { ...base, mode: 'module-primary', primary: 'monolith', shadow: true, fallbackToMonolith: false, segment };
    case 'module-only':
      return { ...base, mode: 'module-only', primary: 'module', shadow: false, fallbackToMonolith: false, segment };
  }
}

function nonEmpty(value: string | undefined): value is string {
  return value !== undefined && value !== '';
}
