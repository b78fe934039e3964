import type { UpstreamName } from '../routes/checkout-routes';
import { UpstreamClient } from './upstream-client';

/** One pooled client per upstream origin (the monolith, each module). */
export class Upstreams {
  private readonly clients: Readonly<Record<UpstreamName, UpstreamClient>>;

  constructor(origins: Readonly<Record<UpstreamName, string>>, options: { readonly connections: number }) {
    this.clients = {
      monolith: new UpstreamClient(origins.monolith, options),
      inventory: new UpstreamClient(origins.inventory, options),
      pricing: new UpstreamClient(origins.pricing, options),
    };
  }

  client(name: UpstreamName): UpstreamClient {
    return this.clients[name];
  }

  async close(): Promise<void> {
    await Promise.all(Object.values(this.clients).map((client) => client.close().catch(() => undefined)));
  }
}
