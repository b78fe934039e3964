import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { SHADOW_HEADER } from '@understudy/contracts';
import type { Upstream } from '../routes/bucketing';
import type { RouteTarget } from '../routes/checkout-routes';
import type { MigratedToken } from './token-migration';

export interface IncomingCall<B> {
  readonly requestId: string;
  /** The JSON body as the client sent it (forwarded as is to the monolith). */
  readonly rawBody: unknown;
  /** The same body after contract validation (ids normalised). */
  readonly body: B;
  readonly headers: IncomingHttpHeaders;
}

/** Headers a checkout client may send that the upstreams need too. */
const FORWARDED_HEADERS = ['authorization', 'accept-language', 'idempotency-key', 'x-shopify-shop-domain', 'x-customer-id', 'x-customer-tags', 'x-company-location-id'];

/** The request bodies and headers for each side, built once and only when needed. */
export class UpstreamRequests {
  private monolithBody: string | undefined;
  private moduleBody: string | undefined;
  private idempotencyKey: string | undefined;
  readonly requestId: string;

  constructor(
    private readonly route: RouteTarget,
    private readonly call: IncomingCall<unknown>,
    private readonly migrated: MigratedToken,
  ) {
    this.requestId = call.requestId;
  }

  body(side: Upstream): string {
    if (side === 'monolith') return (this.monolithBody ??= JSON.stringify(this.call.rawBody));
    if (this.moduleBody === undefined) {
      const raw = this.call.rawBody as Record<string, unknown>;
      // The token migration: the module gets the cart id, never the monolith's signed token.
      const token = this.migrated.ok ? this.migrated.token : undefined;
      this.moduleBody = JSON.stringify(token === undefined || raw['cartToken'] === undefined ? raw : { ...raw, cartToken: token });
    }
    return this.moduleBody;
  }

  headers(side: Upstream, shadow: boolean): Record<string, string> {
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json', 'x-request-id': this.requestId };
    for (const name of FORWARDED_HEADERS) {
      const value = header(this.call.headers, name);
      if (value !== undefined) headers[name] = value;
    }
    if (side === 'module' && this.route.isWrite && headers['idempotency-key'] === undefined) {
      // Fresh for this request, never derived from anything the client sends: a client reusing request ids must not get
      // another request's replayed answer (or a 422 for a different body). A client that retries sends its own key.
      headers['idempotency-key'] = this.idempotencyKey ??= `gw-${randomUUID()}`;
    }
    if (shadow) headers[SHADOW_HEADER] = '1';
    return headers;
  }
}

/** The first value of a request header; empty counts as absent. */
export function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined || first === '' ? undefined : first;
}

