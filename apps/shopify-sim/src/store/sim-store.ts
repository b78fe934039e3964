import { type SeedOptions, seedShop } from './seed';
import type { ShopState } from './shop';

/**
 * Every shop the simulator holds, and which access token opens which shop
 * (on Shopify a token belongs to one app installation on one shop, so the
 * token alone tells the simulator whose data a GraphQL call reads).
 */
export class SimStore {
  private readonly shops = new Map<string, ShopState>();
  private readonly tokens = new Map<string, string>();

  constructor(readonly defaultShop: string) {}

  seed(options: SeedOptions, accessTokens: readonly string[]): ShopState {
    const shop = seedShop(options);
    this.shops.set(options.shop, shop);
    for (const [token, domain] of this.tokens) if (domain === options.shop) this.tokens.delete(token);
    for (const token of accessTokens) this.tokens.set(token, options.shop);
    return shop;
  }

  shopForToken(token: string | undefined): ShopState | undefined {
    if (!token) return undefined;
    const domain = this.tokens.get(token);
    return domain === undefined ? undefined : this.shops.get(domain);
  }

  get(domain: string = this.defaultShop): ShopState | undefined {
    return this.shops.get(domain);
  }

  all(): ShopState[] {
    return [...this.shops.values()];
  }

  clear(): void {
    this.shops.clear();
    this.tokens.clear();
  }
}
