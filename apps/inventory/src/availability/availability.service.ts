import { Injectable } from '@nestjs/common';
import { variantNotFound } from '../common/errors';
import { Database, type Statement } from '../database/database';
import { availableQuantity, canSupply } from './availability';
import type { CheckAvailabilityRequest, CheckAvailabilityResponse, VariantAvailabilityResponse } from './dto/check-availability.dto';

/** One statement, one snapshot: stock, the reservation counter and the expired lines it still includes agree. */
const CHECK: Statement = {
  name: 'inventory_check',
  text: `
    SELECT a.tracked, a.on_hand, a.reserved,
           CASE WHEN $2::text IS NULL THEN 0 ELSE coalesce((
             SELECT sum(l.quantity)
               FROM reservation_lines l
              WHERE l.inventory_item_id = v.inventory_item_id
                AND l.status = 'active'
                AND l.cart_token = $2
                AND l.expires_at > statement_timestamp()
           ), 0) END AS held_by_cart
      FROM variants v
      JOIN item_availability a ON a.inventory_item_id = v.inventory_item_id
     WHERE v.variant_id = $1`,
};

const AVAILABILITY: Statement = {
  name: 'inventory_variant_availability',
  text: `
    SELECT v.inventory_item_id::text AS inventory_item_id, a.tracked, a.on_hand, a.reserved,
           coalesce((
             SELECT json_agg(json_build_object('locationId', l.location_id::text, 'available', l.available, 'updatedAt', l.updated_at)
                             ORDER BY l.location_id)
               FROM inventory_levels l
              WHERE l.inventory_item_id = v.inventory_item_id
           ), '[]'::json) AS locations
      FROM variants v
      JOIN item_availability a ON a.inventory_item_id = v.inventory_item_id
     WHERE v.variant_id = $1`,
};

interface StockRow {
  tracked: boolean;
  /** int8 arrives as a decimal string. */
  on_hand: string;
  reserved: string;
}

@Injectable()
export class AvailabilityService {
  constructor(private readonly database: Database) {}

  async check({ variantId, quantity, cartToken }: CheckAvailabilityRequest): Promise<CheckAvailabilityResponse> {
    const [row] = await this.database.query<StockRow & { held_by_cart: string | number }>(CHECK, [variantId, cartToken ?? null]);
    if (!row) throw variantNotFound(variantId);
    const available = availableQuantity({
      tracked: row.tracked,
      onHand: Number(row.on_hand),
      reserved: Number(row.reserved),
      heldByCart: Number(row.held_by_cart),
    });
    return { variantId, requested: quantity, available: canSupply(available, quantity), availableQuantity: available };
  }

  async variantAvailability(variantId: string): Promise<VariantAvailabilityResponse> {
    const [row] = await this.database.query<
      StockRow & { inventory_item_id: string; locations: Array<{ locationId: string; available: number | null; updatedAt: string }> }
    >(AVAILABILITY, [variantId]);
    if (!row) throw variantNotFound(variantId);
    const onHand = Number(row.on_hand);
    const reserved = Number(row.reserved);
    return {
      variantId,
      inventoryItemId: row.inventory_item_id,
      tracked: row.tracked,
      onHand,
      reserved,
      availableQuantity: availableQuantity({ tracked: row.tracked, onHand, reserved }),
      locations: row.locations.map((level) => ({ ...level, updatedAt: new Date(level.updatedAt).toISOString() })),
    };
  }
}
