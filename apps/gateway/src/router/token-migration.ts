import { verifyLegacyCartToken } from '@understudy/contracts';
import type { TokenMigration } from '../routes/route-config';

export type MigratedToken =
  /** No token in the request: nothing to migrate. */
  | { readonly ok: true; readonly token: undefined }
  /** The token the module gets. */
  | { readonly ok: true; readonly token: string }
  /** The token cannot be given to the module (forged, broken, or not a legacy token at all); the module is not called. */
  | { readonly ok: false; readonly reason: string };

/**
 * The routes' token-migration hook, applied to every module call. With
 * `legacy-cart-token`, a monolith token (`lm1.…`) must carry a valid
 * signature and is replaced by the plain cart id inside it. A token in any
 * other format is refused like a forged one: passed through, it would let any
 * client act as any cart id against a module (the monolith refuses it too).
 *
 * A checkout sends the same cart token with every call, and the signature
 * check (HMAC-SHA256) was ~4 % of the gateway's CPU per request, so tokens
 * that verified are remembered: the secrets are fixed for the process's life,
 * so a token that verified once always will. Only verified tokens are kept
 * (forged ones cannot push good ones out by being cached), at most
 * `maxCached`, oldest out first.
 */
export class CartTokenMigration {
  private readonly verified = new Map<string, string>();

  constructor(
    private readonly secrets: readonly string[],
    private readonly maxCached = 10_000,
  ) {}

  migrate(migration: TokenMigration, token: string | undefined): MigratedToken {
    if (token === undefined || migration === 'none') return { ok: true, token };
    const cartId = this.verified.get(token);
    if (cartId !== undefined) return { ok: true, token: cartId };
    const result = verifyLegacyCartToken(token, this.secrets);
    if (result.ok) {
      if (this.verified.size >= this.maxCached) this.verified.delete(this.verified.keys().next().value!);
      this.verified.set(token, result.cartId);
      return { ok: true, token: result.cartId };
    }
    if (result.reason === 'not_legacy') return { ok: false, reason: 'cart token in an unknown format (expected lm1.…)' };
    return { ok: false, reason: `cart token ${result.reason.replace('_', ' ')}` };
  }

  /** Tokens remembered as verified (for tests). */
  get cached(): number {
    return this.verified.size;
  }
}
