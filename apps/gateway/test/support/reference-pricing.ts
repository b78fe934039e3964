import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LOCAL_ACCESS_TOKEN } from './processes';

/**
 * A stand-in for the pricing module (apps/pricing is not built yet): exact
 * decimal pricing over the simulator's data, as the module will answer —
 * integer cents, a relative price rounded to the cent once per unit, money as
 * decimal strings, ids as strings, no timestamp. It reads the simulator's
 * Admin GraphQL directly on every quote (tests only).
 */
export class ReferencePricing {
  /** A planted bug for tests: every unit price off by this many cents. */
  static unitPriceErrorCents = 0;

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(simUrl: string): Promise<ReferencePricing> {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        quote(simUrl, JSON.parse(Buffer.concat(chunks).toString()) as QuoteRequest).then(
          (answer) => {
            res.writeHead(answer.status, { 'content-type': 'application/json' });
            res.end(JSON.stringify(answer.body));
          },
          (error: unknown) => {
            res.writeHead(500, { 'content-type': 'application/json' });
            res.end(JSON.stringify({ error: { code: 'INTERNAL', message: String(error) } }));
          },
        );
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return new ReferencePricing(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

interface QuoteRequest {
  companyLocationId?: string;
  currency: string;
  lines: Array<{ variantId: string | number; quantity: number }>;
}

async function graphql<T>(simUrl: string, query: string, variables: Record<string, unknown>): Promise<T> {
  const response = await fetch(`${simUrl}/admin/api/2026-10/graphql.json`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-shopify-access-token': LOCAL_ACCESS_TOKEN },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data: T; errors?: unknown };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

const cents = (amount: string): number => {
  const [units, fraction = ''] = amount.split('.');
  return Number(units) * 100 + Number(`${fraction}00`.slice(0, 2));
};
const decimal = (value: number): string => `${Math.floor(value / 100)}.${String(value % 100).padStart(2, '0')}`;

async function quote(simUrl: string, request: QuoteRequest): Promise<{ status: number; body: unknown }> {
  const ids = request.lines.map((line) => String(line.variantId).replace(/^gid:\/\/shopify\/ProductVariant\//, ''));
  const { nodes } = await graphql<{ nodes: Array<{ legacyResourceId: string; price: string } | null> }>(
    simUrl,
    'query($ids: [ID!]!) { nodes(ids: $ids) { ... on ProductVariant { legacyResourceId price } } }',
    { ids: ids.map((id) => `gid://shopify/ProductVariant/${id}`) },
  );
  const base = new Map(nodes.filter((node) => node !== null).map((node) => [node!.legacyResourceId, cents(node!.price)]));
  let currency = 'USD';
  let priceListId: string | null = null;
  let adjustment: { type: string; value: number } | null = null;
  const fixed = new Map<string, { price: number; breaks: Array<{ minimumQuantity: number; price: number }> }>();
  if (request.companyLocationId) {
    const { companyLocation } = await graphql<{
      companyLocation: {
        currency: string;
        catalogs: {
          nodes: Array<{
            priceList: {
              id: string;
              currency: string;
              parent: { adjustment: { type: string; value: number } } | null;
              prices: { nodes: Array<{ variant: { legacyResourceId: string }; price: { amount: string }; quantityPriceBreaks: { nodes: Array<{ minimumQuantity: number; price: { amount: string } }> } }> };
            } | null;
          }>;
        };
      } | null;
    }>(
      simUrl,
      `query($id: ID!) { companyLocation(id: $id) { currency catalogs(first: 1) { nodes { ... on CompanyLocationCatalog { priceList {
         id currency parent { adjustment { type value } }
         prices(first: 50, originType: FIXED) { nodes { variant { legacyResourceId } price { amount } quantityPriceBreaks(first: 5) { nodes { minimumQuantity price { amount } } } } }
       } } } } } }`,
      { id: `gid://shopify/CompanyLocation/${request.companyLocationId}` },
    );
    if (!companyLocation) return { status: 404, body: { error: { code: 'COMPANY_LOCATION_NOT_FOUND', message: 'unknown company location' } } };
    currency = companyLocation.currency;
    const list = companyLocation.catalogs.nodes[0]?.priceList;
    if (list) {
      priceListId = list.id.replace(/^.*\//, '');
      currency = list.currency;
      adjustment = list.parent?.adjustment ?? null;
      for (const price of list.prices.nodes) {
        fixed.set(price.variant.legacyResourceId, {
          price: cents(price.price.amount),
          breaks: price.quantityPriceBreaks.nodes.map((b) => ({ minimumQuantity: b.minimumQuantity, price: cents(b.price.amount) })),
        });
      }
    }
  }
  if (request.currency !== currency) return { status: 422, body: { error: { code: 'CURRENCY_MISMATCH', message: `prices are in ${currency}`, details: { currency } } } };
  const unknown = ids.filter((id) => !base.has(id));
  if (unknown.length > 0) return { status: 404, body: { error: { code: 'VARIANT_NOT_FOUND', message: 'unknown variant', details: { variantId: unknown[0] } } } };
  let subtotal = 0;
  const lines = request.lines.map((line, index) => {
    const id = ids[index]!;
    let unit = base.get(id)!;
    let source = 'base';
    const fixedPrice = fixed.get(id);
    if (priceListId && fixedPrice) {
      const best = fixedPrice.breaks.filter((b) => b.minimumQuantity <= line.quantity).sort((a, b) => b.minimumQuantity - a.minimumQuantity)[0];
      unit = best ? best.price : fixedPrice.price;
      source = best ? 'quantity_break' : 'fixed';
    } else if (priceListId && adjustment) {
      const sign = adjustment.type === 'PERCENTAGE_INCREASE' ? 1 : -1;
      unit = Math.round((unit * (100 + sign * adjustment.value)) / 100);
      source = 'adjusted';
    }
    unit += ReferencePricing.unitPriceErrorCents;
    subtotal += unit * line.quantity;
    return { variantId: id, quantity: line.quantity, unitPrice: decimal(unit), lineTotal: decimal(unit * line.quantity), source };
  });
  return { status: 200, body: { currency, priceListId, lines, subtotal: decimal(subtotal) } };
}
