import type { UpstreamName } from '../routes/checkout-routes';
import { UpstreamClient } from './upstream-client';

/**
 * What a call is for: `primary` answers a client (the primary call, and the
 * fallback to the monolith); `shadow` is a shadow or noise-detection call made
 * after the answer. Each role has its own connection pool and its own
 * breakers, so shadow traffic can neither queue a client's call behind it nor
 * open the breaker a fallback needs.
 */
export type CallRole = 'primary' | 'shadow';

/** Pooled clients per upstream origin (the monolith, each module) and per role. */
export class Upstreams {
  private readonly clients: Readonly<Record<CallRole, Readonly<Record<UpstreamName, UpstreamClient>>>>;

  constructor(origins: Readonly<Record<UpstreamName, string>>, connections: Readonly<Record<CallRole, number>>) {
    const pools = (size: number) => ({
      monolith: new UpstreamClient(origins.monolith, { connections: size }),
      inventory: new UpstreamClient(origins.inventory, { connections: size }),
      pricing: new UpstreamClient(origins.pricing, { connections: size }),
    });
    this.clients = { primary: pools(connections.primary), shadow: pools(connections.shadow) };
  }

  client(name: UpstreamName, role: CallRole): UpstreamClient {
    return this.clients[role][name];
  }

  async close(): Promise<void> {
    const all = [...Object.values(this.clients.primary), ...Object.values(this.clients.shadow)];
    await Promise.all(all.map((client) => client.close().catch(() => undefined)));
  }
}
