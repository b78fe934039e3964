import { ADJECTIVES, CITIES } from '../store/names';
import {
  type CatalogRecord,
  type CompanyLocationRecord,
  type CompanyRecord,
  ID_BASE,
  type PriceListRecord,
  type QuantityPriceBreakRecord,
  type QuantityRuleRecord,
} from '../store/records';
import type { SeedOptions } from '../store/seed';
import type { ShopState } from '../store/shop';
import { centsOfWholeUnits } from './sim-money';

/** Currencies of the primary price lists, in order; the fifth list is in yen (no minor unit). */
const PRIMARY_CURRENCIES = ['USD', 'CAD', 'EUR', 'GBP', 'JPY'];
/** Percentages of the secondary lists: fractional on purpose, so rounding to the minor unit is exercised. */
const CONTRACT_PERCENT = [12.5, 7.5, 33.3, 2.25, 17.5];

/**
 * B2B data, deterministic from the seed's random stream:
 *
 * - primary catalogs (one price list each: a percentage off, fixed prices on
 *   every 20th variant, quantity breaks on every 40th, quantity rules on every
 *   25th), one per `priceLists`; company location j buys through primary
 *   catalog j mod n, which also sets its currency;
 * - per currency in use, a second ACTIVE "contract" catalog (another
 *   percentage, NULLIFY compare-at, its own fixed prices, breaks and rules), a
 *   DRAFT and an ARCHIVED catalog (cheap prices that must never apply); in USD
 *   also a catalog without a price list (sells at the variant's own price);
 * - locations get 1–3 of them on top of their primary one, so "lowest price
 *   across catalogs" is exercised; location 0 keeps its primary catalog only.
 */
export function seedB2b(shop: ShopState, options: SeedOptions, random: () => number): void {
  const primaryCount = options.priceLists ?? (options.companies > 0 ? Math.min(3, options.companies) : 0);
  for (let i = 0; i < primaryCount; i++) {
    const currency = PRIMARY_CURRENCIES[i % PRIMARY_CURRENCIES.length]!;
    const priceList = addPriceList(shop, `Wholesale tier ${i + 1}`, currency, { type: 'PERCENTAGE_DECREASE', value: 10 + 5 * i }, 'ADJUSTED');
    let breakId = ID_BASE.QuantityPriceBreak + priceList.index * 1_000_000;
    for (let v = i; v < shop.variants.length; v += 20) {
      const fixed = centsOfWholeUnits(Math.round(shop.variants[v]!.priceCents * (0.7 + random() * 0.1)), currency);
      setFixed(priceList, v, fixed, null);
      if ((v - i) % 40 === 0) {
        priceList.priceBreaks.set(v, [
          priceBreak(++breakId, v, priceList.index, 10, centsOfWholeUnits(Math.round(fixed * 0.95), currency)),
          priceBreak(++breakId, v, priceList.index, 50, centsOfWholeUnits(Math.round(fixed * 0.9), currency)),
        ]);
      }
    }
    for (let v = i; v < shop.variants.length; v += 25) setRule(priceList, v, { minimum: 5, maximum: v % 50 === 0 ? 500 : null, increment: 5 });
    addCatalog(shop, `Wholesale catalog ${i + 1}`, 'ACTIVE', priceList);
  }

  const extras = new Map<string, CatalogRecord[]>();
  const currencies = [...new Set(shop.priceLists.map((list) => list.currency))];
  currencies.forEach((currency, c) => {
    const contract = addPriceList(shop, `Contract ${currency}`, currency, { type: 'PERCENTAGE_DECREASE', value: CONTRACT_PERCENT[c % CONTRACT_PERCENT.length]! }, 'NULLIFY');
    let breakId = ID_BASE.QuantityPriceBreak + contract.index * 1_000_000;
    for (let v = 3 + c; v < shop.variants.length; v += 15) {
      const base = shop.variants[v]!;
      const fixed = centsOfWholeUnits(Math.round(base.priceCents * (0.72 + random() * 0.12)), currency);
      setFixed(contract, v, fixed, random() < 0.3 ? centsOfWholeUnits(base.priceCents, currency) : null);
      if (v % 2 === 1) {
        contract.priceBreaks.set(v, [
          priceBreak(++breakId, v, contract.index, 5, centsOfWholeUnits(Math.round(fixed * 0.97), currency)),
          priceBreak(++breakId, v, contract.index, 25, centsOfWholeUnits(Math.round(fixed * 0.92), currency)),
          priceBreak(++breakId, v, contract.index, 100, centsOfWholeUnits(Math.round(fixed * 0.85), currency)),
        ]);
      }
    }
    for (let v = 1 + c; v < shop.variants.length; v += 30) setRule(contract, v, { minimum: 2, maximum: null, increment: 2 });
    const draft = addPriceList(shop, `Draft ${currency}`, currency, { type: 'PERCENTAGE_DECREASE', value: 60 }, 'ADJUSTED');
    const archived = addPriceList(shop, `Archived ${currency}`, currency, { type: 'PERCENTAGE_DECREASE', value: 70 }, 'ADJUSTED');
    for (let v = 0; v < shop.variants.length; v += 7) setFixed(archived, v, centsOfWholeUnits(100, currency), null);
    const list = [addCatalog(shop, `Contract catalog ${currency}`, 'ACTIVE', contract), addCatalog(shop, `Next season ${currency}`, 'DRAFT', draft), addCatalog(shop, `Last season ${currency}`, 'ARCHIVED', archived)];
    if (currency === 'USD') list.push(addCatalog(shop, 'Open catalog', 'ACTIVE', null));
    extras.set(currency, list);
  });

  for (let c = 0; c < options.companies; c++) {
    const company = append<CompanyRecord>(shop.companies, 'Company', {
      name: `${ADJECTIVES[c % ADJECTIVES.length]} Retail ${c + 1}`,
      externalId: `CUST-${String(c + 1).padStart(5, '0')}`,
      createdAt: shop.info.createdAt + c * 60_000,
      updatedAt: shop.info.createdAt + c * 60_000,
      locationIndexes: [],
    });
    const locationCount = 1 + Math.floor(random() * 3);
    for (let k = 0; k < locationCount; k++) {
      const index = shop.companyLocations.length;
      const primary = primaryCount > 0 ? shop.catalogs[index % primaryCount]! : undefined;
      const currency = primary ? shop.priceLists[primary.priceListIndex!]!.currency : shop.info.currencyCode;
      const catalogs = primary ? [primary, ...extraCatalogsFor(index, extras.get(currency) ?? [])] : [];
      append<CompanyLocationRecord>(shop.companyLocations, 'CompanyLocation', {
        companyIndex: c,
        name: `${company.name} — ${CITIES[(c + k) % CITIES.length]![0]}`,
        externalId: `${company.externalId}-${k + 1}`,
        currency,
        catalogIndexes: catalogs.map((catalog) => catalog.index),
        createdAt: company.createdAt,
        updatedAt: company.updatedAt,
      });
      company.locationIndexes.push(index);
      for (const catalog of catalogs) catalog.companyLocationIndexes.push(index);
    }
  }
}

/** [contract, draft, archived, open?]: which of them location j also buys through. */
function extraCatalogsFor(j: number, extras: readonly CatalogRecord[]): CatalogRecord[] {
  const [contract, draft, archived, open] = extras;
  const chosen: CatalogRecord[] = [];
  if (contract && j % 3 === 1) chosen.push(contract);
  if (draft && j % 4 === 2) chosen.push(draft);
  if (archived && j % 5 === 4) chosen.push(archived);
  if (open && j % 7 === 3) chosen.push(open);
  return chosen;
}

function addPriceList(shop: ShopState, name: string, currency: string, adjustment: PriceListRecord['adjustment'], compareAtMode: PriceListRecord['compareAtMode']): PriceListRecord {
  return append<PriceListRecord>(shop.priceLists, 'PriceList', {
    name,
    currency,
    adjustment,
    compareAtMode,
    catalogIndex: null,
    fixedPrices: new Map(),
    fixedVariantIndexes: [],
    priceBreaks: new Map(),
    quantityRules: new Map(),
    ruleVariantIndexes: [],
  });
}

function addCatalog(shop: ShopState, title: string, status: CatalogRecord['status'], priceList: PriceListRecord | null): CatalogRecord {
  const catalog = append<CatalogRecord>(shop.catalogs, 'CompanyLocationCatalog', { title, status, priceListIndex: priceList ? priceList.index : null, companyLocationIndexes: [] });
  if (priceList) priceList.catalogIndex = catalog.index;
  return catalog;
}

type Seeded = { __typename: keyof typeof ID_BASE; index: number; id: number };

/** Appends a record at the next index of its list, with the id its type's base gives it (base + index + 1); returns it. */
function append<T extends Seeded>(list: T[], typename: T['__typename'], fields: Omit<T, keyof Seeded>): T {
  const index = list.length;
  const record = { __typename: typename, index, id: ID_BASE[typename] + index + 1, ...fields } as T;
  list.push(record);
  return record;
}

/** Sets a fixed price, keeping the variant index list sorted (it is the `prices` connection's order). */
export function setFixed(priceList: PriceListRecord, variantIndex: number, priceCents: number, compareAtCents: number | null): void {
  if (!priceList.fixedPrices.has(variantIndex)) insertSorted(priceList.fixedVariantIndexes, variantIndex);
  priceList.fixedPrices.set(variantIndex, { priceCents, compareAtCents });
}

export function setRule(priceList: PriceListRecord, variantIndex: number, rule: { minimum: number; maximum: number | null; increment: number }): void {
  if (!priceList.quantityRules.has(variantIndex)) insertSorted(priceList.ruleVariantIndexes, variantIndex);
  const record: QuantityRuleRecord = { __typename: 'QuantityRule', variantIndex, priceListIndex: priceList.index, ...rule };
  priceList.quantityRules.set(variantIndex, record);
}

export function priceBreak(id: number, variantIndex: number, priceListIndex: number, minimumQuantity: number, priceCents: number): QuantityPriceBreakRecord {
  return { __typename: 'QuantityPriceBreak', id, variantIndex, priceListIndex, minimumQuantity, priceCents };
}

export function insertSorted(values: number[], value: number): void {
  let low = 0;
  let high = values.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (values[middle]! < value) low = middle + 1;
    else high = middle;
  }
  values.splice(low, 0, value);
}
