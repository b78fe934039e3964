import { signLegacyCartToken } from '@understudy/contracts';
import { CartTokenMigration } from './token-migration';

const secrets = ['gateway-test-secret-0001'];

describe('CartTokenMigration', () => {
  it('hands the module the cart id inside a valid legacy token', () => {
    expect(new CartTokenMigration(secrets).migrate('legacy-cart-token', signLegacyCartToken('cart_7', secrets[0]!))).toEqual({ ok: true, token: 'cart_7' });
  });

  it('refuses a token in an unknown format instead of passing it through (it would name any cart to a module)', () => {
    const migration = new CartTokenMigration(secrets);
    for (const token of ['cart_7', 'lm2.x.y', 'LM1.x.y', ' lm1.x.y']) {
      expect(migration.migrate('legacy-cart-token', token)).toEqual({ ok: false, reason: 'cart token in an unknown format (expected lm1.…)' });
    }
    expect(migration.cached).toBe(0);
  });

  it('passes a missing token through', () => {
    expect(new CartTokenMigration(secrets).migrate('legacy-cart-token', undefined)).toEqual({ ok: true, token: undefined });
  });

  it('never forwards a legacy token whose signature does not verify, however often it is sent', () => {
    const migration = new CartTokenMigration(secrets);
    const forged = signLegacyCartToken('cart_7', 'someone-elses-secret-123');
    for (let i = 0; i < 3; i += 1) expect(migration.migrate('legacy-cart-token', forged)).toEqual({ ok: false, reason: 'cart token bad signature' });
    expect(migration.migrate('legacy-cart-token', 'lm1.x')).toEqual({ ok: false, reason: 'cart token malformed' });
    expect(migration.cached).toBe(0);
  });

  it('does nothing with migration none', () => {
    const token = signLegacyCartToken('cart_7', secrets[0]!);
    expect(new CartTokenMigration(secrets).migrate('none', token)).toEqual({ ok: true, token });
  });

  it('remembers verified tokens up to its bound, oldest out first, with the same answers', () => {
    const migration = new CartTokenMigration(secrets, 2);
    const tokens = ['cart_1', 'cart_2', 'cart_3'].map((cart) => signLegacyCartToken(cart, secrets[0]!));
    for (const token of tokens) migration.migrate('legacy-cart-token', token);
    expect(migration.cached).toBe(2);
    expect(tokens.map((token) => migration.migrate('legacy-cart-token', token))).toEqual([
      { ok: true, token: 'cart_1' },
      { ok: true, token: 'cart_2' },
      { ok: true, token: 'cart_3' },
    ]);
    // A token that differs from a remembered one in its signature alone is checked, not looked up.
    const tampered = `${tokens[2]!.slice(0, -2)}${tokens[2]!.endsWith('AA') ? 'BB' : 'AA'}`;
    expect(migration.migrate('legacy-cart-token', tampered)).toEqual({ ok: false, reason: 'cart token bad signature' });
  });
});
