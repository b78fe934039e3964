import { MatchersV3 } from '@pact-foundation/pact';
import type { Upstream } from '../../src/routes/bucketing';
import { UpstreamRequests } from '../../src/router/upstream-requests';
import type { RouteTarget } from '../../src/routes/checkout-routes';
import { type CallResult, UpstreamClient } from '../../src/upstream/upstream-client';

/** The gateway's consumer pacts (docs/contracts.md): one call through the real router pieces and upstream client. */

/** The platform's error body (`{error: {code, message, details?}}`), with the message by type. */
export const errorBody = (code: string, details?: unknown) => ({
  error: { code, message: MatchersV3.string('why'), ...(details === undefined ? {} : { details }) },
});

export interface CallOptionsForContract {
  shadow?: boolean;
  idempotencyKey?: string;
  /** The cart token the module gets after the token migration (the monolith always gets the client's own). */
  migratedToken?: string;
}

/**
 * One gateway call to `side` of `route`, exactly as the router builds it:
 * headers (forwarded `idempotency-key`, the gateway's own key for a module
 * write without one, the shadow marker), the body (the client's raw body to the
 * monolith, the token-migrated one to a module), the path, the real undici client.
 */
export async function callUpstream(url: string, route: RouteTarget, side: Upstream, body: Record<string, unknown>, options: CallOptionsForContract = {}): Promise<CallResult> {
  const token = options.migratedToken ?? (typeof body['cartToken'] === 'string' ? body['cartToken'] : undefined);
  const requests = new UpstreamRequests(
    route,
    { requestId: 'req-contract-1', rawBody: body, body, headers: options.idempotencyKey ? { 'idempotency-key': options.idempotencyKey } : {} },
    { ok: true, token },
  );
  const client = new UpstreamClient(url, { connections: 1 });
  try {
    return await client.call({
      method: 'POST',
      path: side === 'monolith' ? route.monolithPath : route.module!.path,
      headers: requests.headers(side, options.shadow ?? false),
      body: requests.body(side),
      timeoutMs: 10_000,
      maxBodyBytes: 1_000_000,
      upstream: side === 'monolith' ? 'monolith' : route.module!.upstream,
    });
  } finally {
    await client.close();
  }
}

/** The answer's status and JSON body; fails when there is no answer or it is not JSON. */
export function json(result: CallResult): { status: number; body: Record<string, unknown> } {
  if (result.kind !== 'response') throw new Error(`no answer: ${result.failure} ${result.detail}`);
  if (!/^application\/json/.test(result.contentType ?? '')) throw new Error(`not JSON: ${result.contentType}`);
  return { status: result.status, body: JSON.parse(result.body.toString('utf8')) as Record<string, unknown> };
}
