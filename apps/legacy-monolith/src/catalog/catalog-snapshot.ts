import type { CompanyLocationNode, FixedPriceNode, PriceListNode, VariantNode } from './catalog-queries';

/** One poll's worth of the catalogue, as the monolith stores it. */
export interface CatalogSnapshot {
  variants: Array<{ variantId: string; inventoryItemId: string; tracked: boolean; price: number }>;
  levels: Array<{ variantId: string; locationId: string; available: number }>;
  priceLists: Array<{ priceListId: string; currency: string; adjustmentType: string | null; adjustmentValue: number | null }>;
  fixedPrices: Array<{ priceListId: string; variantId: string; price: number; breaks: Array<{ minimumQuantity: number; price: number }> }>;
  companyLocations: Array<{ companyLocationId: string; currency: string; priceListId: string | null }>;
}

export function emptySnapshot(): CatalogSnapshot {
  return { variants: [], levels: [], priceLists: [], fixedPrices: [], companyLocations: [] };
}

/** `gid://shopify/PriceList/92` → `92`. */
export function numericId(gid: string): string {
  const match = /\/(\d+)$/.exec(gid);
  if (!match) throw new Error(`not a Shopify GID: ${gid}`);
  return match[1]!;
}

export function addVariants(snapshot: CatalogSnapshot, nodes: readonly VariantNode[]): void {
  for (const node of nodes) {
    const variantId = node.legacyResourceId;
    // The legacy way: money becomes a JavaScript number the moment it arrives.
    snapshot.variants.push({ variantId, inventoryItemId: node.inventoryItem.legacyResourceId, tracked: node.inventoryItem.tracked, price: parseFloat(node.price) });
    for (const level of node.inventoryItem.inventoryLevels.nodes) {
      snapshot.levels.push({ variantId, locationId: level.location.legacyResourceId, available: level.quantities[0]?.quantity ?? 0 });
    }
  }
}

export function addPriceLists(snapshot: CatalogSnapshot, nodes: readonly PriceListNode[]): void {
  for (const node of nodes) {
    snapshot.priceLists.push({
      priceListId: numericId(node.id),
      currency: node.currency,
      adjustmentType: node.parent?.adjustment.type ?? null,
      adjustmentValue: node.parent?.adjustment.value ?? null,
    });
  }
}

export function addFixedPrices(snapshot: CatalogSnapshot, priceListId: string, nodes: readonly FixedPriceNode[]): void {
  for (const node of nodes) {
    snapshot.fixedPrices.push({
      priceListId,
      variantId: node.variant.legacyResourceId,
      price: parseFloat(node.price.amount),
      breaks: node.quantityPriceBreaks.nodes.map((b) => ({ minimumQuantity: b.minimumQuantity, price: parseFloat(b.price.amount) })),
    });
  }
}

export function addCompanyLocations(snapshot: CatalogSnapshot, nodes: readonly CompanyLocationNode[]): void {
  for (const node of nodes) {
    const catalog = node.catalogs.nodes.find((c) => c.priceList && (c.status === undefined || c.status === 'ACTIVE'));
    snapshot.companyLocations.push({
      companyLocationId: numericId(node.id),
      currency: node.currency,
      priceListId: catalog?.priceList ? numericId(catalog.priceList.id) : null,
    });
  }
}
