import { signLegacyCartToken } from '@understudy/contracts';
import { migrateCartToken } from './token-migration';

const secrets = ['gateway-test-secret-0001'];

describe('migrateCartToken', () => {
  it('hands the module the cart id inside a valid legacy token', () => {
    expect(migrateCartToken('legacy-cart-token', signLegacyCartToken('cart_7', secrets[0]!), secrets)).toEqual({ ok: true, token: 'cart_7' });
  });

  it('passes plain tokens and missing tokens through', () => {
    expect(migrateCartToken('legacy-cart-token', 'cart_7', secrets)).toEqual({ ok: true, token: 'cart_7' });
    expect(migrateCartToken('legacy-cart-token', undefined, secrets)).toEqual({ ok: true, token: undefined });
  });

  it('never forwards a legacy token whose signature does not verify', () => {
    const forged = signLegacyCartToken('cart_7', 'someone-elses-secret-123');
    expect(migrateCartToken('legacy-cart-token', forged, secrets)).toEqual({ ok: false, reason: 'cart token bad signature' });
    expect(migrateCartToken('legacy-cart-token', 'lm1.x', secrets)).toEqual({ ok: false, reason: 'cart token malformed' });
  });

  it('does nothing with migration none', () => {
    const token = signLegacyCartToken('cart_7', secrets[0]!);
    expect(migrateCartToken('none', token, secrets)).toEqual({ ok: true, token });
  });
});
