import { verifyLegacyCartToken } from '@understudy/contracts';
import type { TokenMigration } from '../routing/route-config';

export type MigratedToken =
  /** No token in the request: nothing to migrate. */
  | { readonly ok: true; readonly token: undefined }
  /** The token the module gets. */
  | { readonly ok: true; readonly token: string }
  /** The token cannot be given to the module (a forged or broken legacy token); the module is not called. */
  | { readonly ok: false; readonly reason: string };

/**
 * The route's token-migration hook, applied to every module call. With
 * `legacy-cart-token`, a monolith token (`lm1.…`) must carry a valid
 * signature and is replaced by the plain cart id inside it; a token that is
 * not in the legacy format (a client already on plain ids) passes unchanged.
 */
export function migrateCartToken(migration: TokenMigration, token: string | undefined, secrets: readonly string[]): MigratedToken {
  if (token === undefined || migration === 'none') return { ok: true, token };
  const verified = verifyLegacyCartToken(token, secrets);
  if (verified.ok) return { ok: true, token: verified.cartId };
  if (verified.reason === 'not_legacy') return { ok: true, token };
  return { ok: false, reason: `cart token ${verified.reason.replace('_', ' ')}` };
}
