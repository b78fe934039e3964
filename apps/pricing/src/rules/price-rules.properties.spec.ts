import { formatMinor } from './money';
import { type CatalogForVariant, type CatalogStatus, type PriceListForVariant, priceVariant, type VariantPrice } from './price-rules';

/**
 * Property tests over seeded random catalogs (a fixed seed per run, so a
 * failure reproduces; the case index is in the message).
 */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const CASES = 2_000;
const random = mulberry32(20_261_201);
const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
const pick = <T>(values: readonly T[]): T => values[int(0, values.length - 1)]!;
const CURRENCIES = ['USD', 'CAD', 'JPY'] as const;

function amount(currency: string): string {
  return formatMinor(BigInt(int(1, 500_000)), currency);
}

function randomList(currency: string, id: number): PriceListForVariant {
  const hasFixed = random() < 0.5;
  const breaks = hasFixed || random() < 0.3 ? Array.from({ length: int(0, 3) }, () => ({ minimumQuantity: int(2, 100), price: amount(currency) })) : [];
  return {
    id: String(id),
    currency: random() < 0.9 ? currency : pick(CURRENCIES),
    adjustment: random() < 0.8 ? { type: pick(['PERCENTAGE_DECREASE', 'PERCENTAGE_INCREASE'] as const), value: `${int(0, 99)}.${int(0, 9)}` } : null,
    compareAtMode: pick(['ADJUSTED', 'NULLIFY'] as const),
    fixedPrice: hasFixed ? { price: amount(currency), compareAtPrice: random() < 0.3 ? amount(currency) : null } : null,
    quantityPriceBreaks: breaks,
    quantityRule: random() < 0.3 ? { minimum: int(1, 5), maximum: random() < 0.5 ? int(50, 500) : null, increment: int(1, 5) } : null,
  };
}

function randomCatalog(currency: string, status?: CatalogStatus): CatalogForVariant {
  const id = int(1, 1_000_000);
  return { id: String(id), status: status ?? pick(['ACTIVE', 'ACTIVE', 'DRAFT', 'ARCHIVED'] as const), priceList: random() < 0.85 ? randomList(currency, id + 7) : null };
}

function randomCase() {
  const currency = pick(CURRENCIES);
  const variant: VariantPrice = { price: amount(currency), compareAtPrice: random() < 0.3 ? amount(currency) : null };
  const catalogs = Array.from({ length: int(0, 5) }, () => randomCatalog(currency));
  return { currency, variant, catalogs, quantity: int(1, 200) };
}

function shuffled<T>(values: readonly T[]): T[] {
  const copy = [...values];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = int(0, i);
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

describe('pricing properties', () => {
  it('a DRAFT or ARCHIVED catalog never changes a price', () => {
    for (let n = 0; n < CASES; n++) {
      const c = randomCase();
      const before = priceVariant({ catalogs: c.catalogs, variant: c.variant, quantity: c.quantity, buyerCurrency: c.currency });
      const inactive = randomCatalog(c.currency, pick(['DRAFT', 'ARCHIVED'] as const));
      const after = priceVariant({ catalogs: [...c.catalogs, inactive], variant: c.variant, quantity: c.quantity, buyerCurrency: c.currency });
      expect({ n, result: after }).toEqual({ n, result: before });
    }
  });

  // Against a buyer who already has a catalog that counts: a first catalog may well raise a price
  // (a PERCENTAGE_INCREASE list, or a fixed price above the variant's own).
  it('adding a catalog never raises the price of a buyer who has one', () => {
    for (let n = 0; n < CASES; n++) {
      const c = randomCase();
      const counted = randomCatalog(c.currency, 'ACTIVE');
      c.catalogs.push({ ...counted, priceList: counted.priceList && { ...counted.priceList, currency: c.currency } });
      const before = priceVariant({ catalogs: c.catalogs, variant: c.variant, quantity: c.quantity, buyerCurrency: c.currency });
      const after = priceVariant({ catalogs: [...c.catalogs, randomCatalog(c.currency)], variant: c.variant, quantity: c.quantity, buyerCurrency: c.currency });
      if (after.unitPrice > before.unitPrice) throw new Error(`case ${n}: ${before.unitPrice} rose to ${after.unitPrice}`);
    }
  });

  it('the order catalogs are listed in never matters', () => {
    for (let n = 0; n < CASES; n++) {
      const c = randomCase();
      const before = priceVariant({ catalogs: c.catalogs, variant: c.variant, quantity: c.quantity, buyerCurrency: c.currency });
      const after = priceVariant({ catalogs: shuffled(c.catalogs), variant: c.variant, quantity: c.quantity, buyerCurrency: c.currency });
      expect({ n, result: after }).toEqual({ n, result: before });
    }
  });

  it('the price is one of the offers of an active catalog in the buyer currency, or the variant price', () => {
    for (let n = 0; n < CASES; n++) {
      const c = randomCase();
      const result = priceVariant({ catalogs: c.catalogs, variant: c.variant, quantity: c.quantity, buyerCurrency: c.currency });
      if (result.catalogId === null) {
        expect(c.catalogs.some((k) => k.status === 'ACTIVE' && (k.priceList === null || k.priceList.currency === c.currency))).toBe(false);
        continue;
      }
      const winner = c.catalogs.find((k) => k.id === result.catalogId)!;
      expect(winner.status).toBe('ACTIVE');
      expect(result.unitPrice >= 0n).toBe(true);
    }
  });
});
