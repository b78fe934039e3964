import { Registry } from 'prom-client';
import { adminTarget, logTo, rewriteOrigin, ShopifyAdminClient, ShopifyApiError } from './admin-client';

type Reply = { status?: number; body?: unknown; headers?: Record<string, string>; error?: Error };

const cost = (requested: number, available: number, actual: number | null = requested) => ({
  cost: { requestedQueryCost: requested, actualQueryCost: actual, throttleStatus: { maximumAvailable: 1_000, currentlyAvailable: available, restoreRate: 100 } },
});

function harness(replies: Reply[], options: Partial<ConstructorParameters<typeof ShopifyAdminClient>[0]> = {}) {
  const calls: string[] = [];
  const sleeps: number[] = [];
  let now = 0;
  const registry = new Registry();
  const client = new ShopifyAdminClient({
    shop: 'test.myshopify.com',
    accessToken: 'shpat_x',
    apiVersion: '2026-10',
    adminUrl: 'http://127.0.0.1:9999',
    registry,
    random: () => 0.5,
    now: () => now,
    sleep: async (ms) => {
      sleeps.push(ms);
      now += ms;
    },
    fetch: (async (url: string) => {
      calls.push(String(url));
      const reply = replies.shift() ?? { body: { data: {}, extensions: cost(1, 1_000) } };
      if (reply.error) throw reply.error;
      return new Response(JSON.stringify(reply.body ?? {}), {
        status: reply.status ?? 200,
        headers: { 'content-type': 'application/json', ...reply.headers },
      });
    }) as typeof fetch,
    ...options,
  });
  return { client, calls, sleeps, registry };
}

describe('ShopifyAdminClient', () => {
  it('sends through the official client to the re-pointed origin and counts cost', async () => {
    const { client, calls, registry } = harness([{ body: { data: { shop: { name: 'x' } }, extensions: cost(10, 990, 4) } }]);
    const response = await client.request<{ shop: { name: string } }>('{ shop { name } }');
    expect(response.data.shop.name).toBe('x');
    expect(calls).toEqual(['http://127.0.0.1:9999/admin/api/2026-10/graphql.json']);
    expect(client.stats()).toMatchObject({ costPoints: 4, throttled: 0 });
    expect(await registry.metrics()).toContain('understudy_shopify_cost_points_total 4');
  });

  it('spends no more than its budget share of the restore rate, though the bucket is full', async () => {
    // Shopify's bucket stays full (1,000 of 1,000, 100/s); a 0.5 share is a 500-deep bucket refilled at 50/s.
    const replies = Array.from({ length: 6 }, () => ({ body: { data: {}, extensions: cost(250, 1_000) } }));
    const { client, sleeps } = harness(replies, { budgetShare: 0.5 });
    for (let i = 0; i < 6; i++) await client.request('{ q }');
    // Calls 1 and 2 empty the share; each later one waits until 250 points are back: 250 / 50 = 5 s.
    expect(sleeps).toEqual([5_000, 5_000, 5_000, 5_000]);
  });

  it('paces the next call of a query until its requested cost is back in the bucket', async () => {
    const { client, sleeps } = harness([
      { body: { data: {}, extensions: cost(300, 100) } },
      { body: { data: {}, extensions: cost(300, 0) } },
    ]);
    await client.request('{ q }');
    await client.request('{ q }');
    // 100 available, 300 needed, 100 points/s → 2 s.
    expect(sleeps).toEqual([2_000]);
    expect(client.stats().pacedMs).toBe(2_000);
  });

  it('retries THROTTLED after the bucket refills, and 5xx / network errors with backoff', async () => {
    const { client, sleeps, registry } = harness([
      { body: { errors: [{ message: 'Throttled', extensions: { code: 'THROTTLED' } }], extensions: cost(200, 50, null) } },
      { status: 503, body: {} },
      { error: new TypeError('fetch failed') },
      { body: { data: { ok: true }, extensions: cost(200, 800) } },
    ]);
    const response = await client.request<{ ok: boolean }>('{ q }');
    expect(response.data.ok).toBe(true);
    expect(client.stats()).toMatchObject({ throttled: 1, retries: 3, attempts: 4 });
    expect(sleeps[0]).toBeGreaterThanOrEqual(1_500);
    expect(await registry.metrics()).toContain('understudy_shopify_throttled_total 1');
  });

  it('honours Retry-After on 429 and gives up on fatal answers without retrying', async () => {
    const { client, sleeps } = harness([
      { status: 429, headers: { 'retry-after': '3' } },
      { body: { errors: [{ message: 'cost', extensions: { code: 'MAX_COST_EXCEEDED' } }] } },
    ]);
    await expect(client.request('{ q }')).rejects.toMatchObject({ kind: 'fatal', message: 'GraphQL errors: MAX_COST_EXCEEDED' });
    expect(sleeps).toEqual([3_000]);
  });

  it('gives up after maxAttempts', async () => {
    const { client } = harness(Array.from({ length: 3 }, () => ({ status: 500 })), { maxAttempts: 3 });
    await expect(client.request('{ q }')).rejects.toBeInstanceOf(ShopifyApiError);
  });

  it('opens the circuit after enough failures and then fails fast without calling Shopify', async () => {
    const { client, calls } = harness(
      Array.from({ length: 10 }, () => ({ status: 502 })),
      { maxAttempts: 1, breaker: { volumeThreshold: 4, errorThresholdPercentage: 50, resetTimeoutMs: 60_000 } },
    );
    for (let i = 0; i < 4; i++) await expect(client.request('{ q }')).rejects.toMatchObject({ kind: 'exhausted' });
    expect(client.circuitState).toBe('open');
    await expect(client.request('{ q }')).rejects.toMatchObject({ kind: 'circuit_open' });
    expect(calls).toHaveLength(4);
    await client.close();
  });

  it('pages through a connection with paginate()', async () => {
    const page = (ids: string[], hasNextPage: boolean) => ({
      body: { data: { items: { nodes: ids.map((id) => ({ id })), pageInfo: { hasNextPage, endCursor: ids.at(-1) } } }, extensions: cost(5, 1_000) },
    });
    const { client } = harness([page(['a', 'b'], true), page(['c'], false)]);
    const seen: string[] = [];
    for await (const p of client.paginate<{ id: string }, { items: { nodes: Array<{ id: string }>; pageInfo: { hasNextPage: boolean; endCursor: string } } }>(
      'query($after: String) { items(first: 2, after: $after) { nodes { id } pageInfo { hasNextPage endCursor } } }',
      { connection: (data) => data.items },
    )) {
      seen.push(...p.nodes.map((n) => n.id));
    }
    expect(seen).toEqual(['a', 'b', 'c']);
  });

  it('rewrites origins for the simulator', () => {
    expect(rewriteOrigin('https://x.myshopify.com/admin/api/2026-10/graphql.json?a=1', 'http://localhost:3100')).toBe(
      'http://localhost:3100/admin/api/2026-10/graphql.json?a=1',
    );
  });

  it('takes shop, token, version and the simulator origin from an app config, leaving adminUrl out when unset', () => {
    const env = { SHOPIFY_SHOP: 'x.myshopify.com', SHOPIFY_ACCESS_TOKEN: 'shpat_x', SHOPIFY_API_VERSION: '2026-10' };
    expect(adminTarget(env)).toEqual({ shop: 'x.myshopify.com', accessToken: 'shpat_x', apiVersion: '2026-10' });
    expect(adminTarget(env)).not.toHaveProperty('adminUrl');
    expect(adminTarget({ ...env, SHOPIFY_ADMIN_URL: 'http://localhost:3100' }).adminUrl).toBe('http://localhost:3100');
  });

  it('logs to a pino-style logger, details first', () => {
    const lines: unknown[] = [];
    const log = logTo({ debug: (details, message) => lines.push(['debug', details, message]), warn: (details, message) => lines.push(['warn', details, message]) });
    log('warn', 'throttled', { attempt: 2 });
    log('debug', 'sent');
    expect(lines).toEqual([['warn', { attempt: 2 }, 'throttled'], ['debug', {}, 'sent']]);
  });
});
