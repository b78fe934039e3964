import type { ReconcileDomain } from './domain';
import { InventoryExportClient } from './inventory/inventory-export.client';
import { InventoryDomain } from './inventory/inventory.domain';
import { PricingExportClient } from './pricing/pricing-export.client';
import { PricingDomain } from './pricing/pricing.domain';

/** The domains the reconciler knows. A new domain adds its name here and its factory below. */
export const DOMAIN_NAMES = ['inventory', 'pricing'] as const;
export type DomainName = (typeof DOMAIN_NAMES)[number];

export interface DomainSettings {
  INVENTORY_URL: string;
  /** Unset: the reconciler has no pricing domain (a run asking for it is 400 UNKNOWN_DOMAIN). */
  PRICING_URL?: string | undefined;
  MODULE_EXPORT_TIMEOUT_MS: number;
  MODULE_EXPORT_PAGE_SIZE: number;
  RECONCILE_INCREMENTAL_PAGE_SIZE: number;
}

export function buildDomains(settings: DomainSettings): Map<string, ReconcileDomain> {
  const exportOptions = { timeoutMs: settings.MODULE_EXPORT_TIMEOUT_MS, pageSize: settings.MODULE_EXPORT_PAGE_SIZE };
  const domains: Record<DomainName, ReconcileDomain | undefined> = {
    inventory: new InventoryDomain(new InventoryExportClient(settings.INVENTORY_URL, exportOptions), { incrementalPageSize: settings.RECONCILE_INCREMENTAL_PAGE_SIZE }),
    pricing: settings.PRICING_URL ? new PricingDomain(new PricingExportClient(settings.PRICING_URL, exportOptions)) : undefined,
  };
  return new Map(Object.entries(domains).filter((entry): entry is [string, ReconcileDomain] => entry[1] !== undefined));
}
