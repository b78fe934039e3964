import { Injectable } from '@nestjs/common';
import type { InventoryCheckRequest, ReservationRequest } from '@understudy/contracts';
import { errorBody, validationFailed } from '@understudy/platform';
import { cartIdOf, generatedAt, inTransaction, LegacyService, requireDatabase, variantNotFound } from '../common/legacy';

const STOCK = `
  SELECT v.variant_id::text AS variant_id, v.tracked,
         coalesce((SELECT sum(s.available) FROM lm_stock_levels s WHERE s.variant_id = v.variant_id), 0)::int AS on_hand,
         coalesce((SELECT sum(l.quantity) FROM lm_reservation_lines l JOIN lm_reservations r USING (reservation_id)
                    WHERE l.variant_id = v.variant_id AND r.status = 'active' AND r.expires_at > now()), 0)::int AS reserved,
         coalesce((SELECT sum(l.quantity) FROM lm_reservation_lines l JOIN lm_reservations r USING (reservation_id)
                    WHERE l.variant_id = v.variant_id AND r.status = 'active' AND r.expires_at > now() AND r.cart_id = $2), 0)::int AS held
    FROM lm_variants v
   WHERE v.variant_id = ANY($1::bigint[])`;

interface StockRow {
  variant_id: string;
  tracked: boolean;
  on_hand: number;
  reserved: number;
  held: number;
}

/** Units that can be promised to this cart; null for an item Shopify does not track. */
function availableTo(row: StockRow): number | null {
  return row.tracked ? Math.max(0, row.on_hand - row.reserved + row.held) : null;
}

@Injectable()
export class InventoryService extends LegacyService {
  async check(request: InventoryCheckRequest) {
    const cartId = request.cartToken === undefined ? null : cartIdOf(request.cartToken, this.config.LEGACY_CART_TOKEN_SECRETS);
    const [row] = (await requireDatabase(this.dataSource).query(STOCK, [[request.variantId], cartId])) as StockRow[];
    if (!row) throw variantNotFound([request.variantId]);
    const availableQuantity = availableTo(row);
    return {
      variantId: Number(row.variant_id),
      requested: request.quantity,
      available: availableQuantity === null || availableQuantity >= request.quantity,
      availableQuantity,
      generatedAt: generatedAt(),
    };
  }

  /** All lines or none; the variant rows are locked (in id order) so two carts cannot take the same unit. */
  async reserve(request: ReservationRequest, dryRun: boolean): Promise<{ status: number; body: unknown }> {
    const cartId = cartIdOf(request.cartToken, this.config.LEGACY_CART_TOKEN_SECRETS);
    const ttlSeconds = request.ttlSeconds ?? this.config.RESERVATION_DEFAULT_TTL_SECONDS;
    if (ttlSeconds > this.config.RESERVATION_MAX_TTL_SECONDS) {
      throw validationFailed([{ path: 'ttlSeconds', message: `must be at most ${this.config.RESERVATION_MAX_TTL_SECONDS}` }]);
    }
    const wanted = new Map<string, number>();
    for (const line of request.lines) wanted.set(line.variantId, (wanted.get(line.variantId) ?? 0) + line.quantity);
    const variantIds = [...wanted.keys()].sort((a, b) => a.length - b.length || (a < b ? -1 : 1));
    return inTransaction(
      this.dataSource,
      async (client) => {
        const locked = (
          await client.query<{ variant_id: string }>('SELECT variant_id::text AS variant_id FROM lm_variants WHERE variant_id = ANY($1::bigint[]) ORDER BY variant_id FOR UPDATE', [variantIds])
        ).rows;
        const known = new Set(locked.map((row) => row.variant_id));
        const unknown = variantIds.filter((id) => !known.has(id));
        if (unknown.length > 0) throw variantNotFound(unknown);
        const stock = (await client.query<StockRow>(STOCK, [variantIds, null])).rows;
        const short = stock
          .filter((row) => row.tracked && availableTo(row)! < wanted.get(row.variant_id)!)
          .map((row) => ({ variantId: row.variant_id, requested: wanted.get(row.variant_id)!, availableQuantity: availableTo(row)! }));
        if (short.length > 0) {
          return { status: 409, body: errorBody('INSUFFICIENT_INVENTORY', `not enough stock for ${short.length} line(s)`, { lines: short }) };
        }
        const [reservation] = (
          await client.query<{ id: string; created_at: Date; expires_at: Date }>(
            `INSERT INTO lm_reservations (cart_id, expires_at) VALUES ($1, now() + make_interval(secs => $2))
             RETURNING reservation_id::text AS id, created_at, expires_at`,
            [cartId, ttlSeconds],
          )
        ).rows;
        await client.query(
          'INSERT INTO lm_reservation_lines (reservation_id, variant_id, quantity) SELECT $1, * FROM unnest($2::bigint[], $3::int[])',
          [reservation!.id, request.lines.map((line) => line.variantId), request.lines.map((line) => line.quantity)],
        );
        return {
          status: 201,
          body: {
            id: `lmr_${reservation!.id}`,
            cartToken: request.cartToken,
            status: 'active',
            createdAt: reservation!.created_at.toISOString(),
            expiresAt: reservation!.expires_at.toISOString(),
            lines: request.lines.map((line) => ({ variantId: Number(line.variantId), quantity: line.quantity })),
            generatedAt: generatedAt(),
          },
        };
      },
      dryRun,
    );
  }
}
