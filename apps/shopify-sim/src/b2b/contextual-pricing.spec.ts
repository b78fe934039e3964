import { ID_BASE } from '../store/records';
import { seedShop } from '../store/seed';
import { contextualPricing } from './contextual-pricing';
import { setFixed, setRule, priceBreak } from './seed-b2b';
import { adjustedMinor, minorOfCents, parseCents, printMinor, roundedDivision } from './sim-money';

describe('simulator money', () => {
  it('rounds half-up, to whole yen for JPY', () => {
    expect(roundedDivision(5, 10)).toBe(1);
    expect(roundedDivision(4, 10)).toBe(0);
    expect(roundedDivision(999_999_999_999_995, 10)).toBe(100_000_000_000_000);
    expect(minorOfCents(1999, 'USD')).toBe(1999);
    expect(minorOfCents(1950, 'JPY')).toBe(20);
    expect(minorOfCents(1949, 'JPY')).toBe(19);
    expect(adjustedMinor(1999, { type: 'PERCENTAGE_DECREASE', value: 10 }, 'USD')).toBe(1799);
    expect(adjustedMinor(1005, { type: 'PERCENTAGE_DECREASE', value: 50 }, 'USD')).toBe(503);
    expect(adjustedMinor(1999, { type: 'PERCENTAGE_DECREASE', value: 10 }, 'JPY')).toBe(18);
    expect(adjustedMinor(1000, { type: 'PERCENTAGE_INCREASE', value: 12.5 }, 'USD')).toBe(1125);
    expect(printMinor(1799, 'USD')).toBe('17.99');
    expect(printMinor(5, 'EUR')).toBe('0.05');
    expect(printMinor(1500, 'JPY')).toBe('1500.0');
  });

  it('parses the amounts Shopify accepts, and no others', () => {
    expect(parseCents('19.99', 'USD')).toBe(1999);
    expect(parseCents('19.9', 'USD')).toBe(1990);
    expect(parseCents('19.990', 'USD')).toBe(1999);
    expect(parseCents(20, 'USD')).toBe(2000);
    expect(parseCents('1500.0', 'JPY')).toBe(150_000);
    expect(parseCents('1500.5', 'JPY')).toBeUndefined();
    for (const bad of ['', '-1', '1e3', '19.999', 'abc', null]) expect(parseCents(bad, 'USD')).toBeUndefined();
  });
});

describe('contextualPricing', () => {
  function shopWithTwoCatalogs() {
    const shop = seedShop({ shop: 'ctx.myshopify.com', variants: 60, locations: 1, companies: 6, priceLists: 1, seed: 3 });
    const location = shop.companyLocations[0]!;
    const [first] = location.catalogIndexes.map((i) => shop.catalogs[i]!);
    const contract = shop.catalogs.find((c) => c.title === 'Contract catalog USD')!;
    location.catalogIndexes = [first!.index, contract.index];
    const variant = shop.variants[10]!;
    variant.priceCents = 1000;
    variant.compareAtCents = 1200;
    const wholesale = shop.priceLists[first!.priceListIndex!]!;
    const contractList = shop.priceLists[contract.priceListIndex!]!;
    wholesale.fixedPrices.delete(10);
    wholesale.priceBreaks.delete(10);
    contractList.fixedPrices.delete(10);
    contractList.priceBreaks.delete(10);
    return { shop, location, variant, wholesale, contractList, contract, first: first! };
  }

  it('answers the variant price in the shop currency without a buyer', () => {
    const { shop, variant } = shopWithTwoCatalogs();
    expect(contextualPricing(shop, variant, undefined)).toMatchObject({ currency: 'USD', priceMinor: 1000, compareAtMinor: 1200, breaks: [], rule: null });
  });

  it('takes the lowest price across ACTIVE catalogs and builds the price schedule from their breaks', () => {
    const { shop, location, variant, wholesale, contractList, contract } = shopWithTwoCatalogs();
    // wholesale: −10 % → 9.00; contract: −12.5 % → 8.75 (NULLIFY drops compare-at)
    expect(contextualPricing(shop, variant, location)).toMatchObject({ priceMinor: 875, compareAtMinor: null, breaks: [] });
    setFixed(wholesale, 10, 950, 1100);
    wholesale.priceBreaks.set(10, [priceBreak(ID_BASE.QuantityPriceBreak + 1, 10, wholesale.index, 10, 800), priceBreak(ID_BASE.QuantityPriceBreak + 2, 10, wholesale.index, 50, 700)]);
    setRule(wholesale, 10, { minimum: 2, maximum: null, increment: 2 });
    const pricing = contextualPricing(shop, variant, location);
    expect(pricing.priceMinor).toBe(875);
    expect(pricing.breaks.map((b) => [b.minimumQuantity, b.minor])).toEqual([
      [10, 800],
      [50, 700],
    ]);
    expect(pricing.rule).toBeNull(); // the contract catalog wins one unit and has no rule for this variant
    contract.status = 'DRAFT';
    expect(contextualPricing(shop, variant, location)).toMatchObject({ priceMinor: 950, compareAtMinor: 1100, rule: { minimum: 2, increment: 2 } });
    contractList.adjustment = { type: 'PERCENTAGE_DECREASE', value: 50 };
    expect(contextualPricing(shop, variant, location).priceMinor).toBe(950);
  });
});
