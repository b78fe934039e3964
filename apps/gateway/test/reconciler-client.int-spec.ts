import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ReconcilerClient } from '../src/console/reconciler-client';

// A tiny local HTTP server stands in for the reconciler's transport; the client's own fetch, deadline and parsing run for real.
describe('ReconcilerClient', () => {
  let server: Server;
  let base: string;
  beforeAll(async () => {
    server = createServer((request, response) => {
      if (request.url?.startsWith('/v1/runs')) return void response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ runs: [{ id: 'r1' }], url: request.url }));
      if (request.url === '/v1/slow') return void setTimeout(() => response.end('{}'), 2_000).unref();
      if (request.url === '/v1/text') return void response.writeHead(200).end('not json');
      if (request.url === '/v1/big') return void response.writeHead(200).end(JSON.stringify({ pad: 'x'.repeat(5_000) }));
      response.writeHead(404).end('{}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const client = (baseUrl: string | null = base, timeoutMs = 1_000) => new ReconcilerClient({ baseUrl: baseUrl ?? undefined, timeoutMs, maxBodyBytes: 4_096 });

  it('returns the JSON of a 200 answer, path and query kept', async () => {
    await expect(client().get('v1/runs?limit=5')).resolves.toEqual({ available: true, body: { runs: [{ id: 'r1' }], url: '/v1/runs?limit=5' } });
  });

  it('says why when the reconciler is not configured, answers an error status, is not JSON, too big, slow or down', async () => {
    await expect(client(null).get('v1/runs')).resolves.toEqual({ available: false, reason: 'RECONCILER_URL is not set on the gateway' });
    await expect(client().get('v1/missing')).resolves.toMatchObject({ available: false, reason: expect.stringContaining('HTTP 404') });
    await expect(client().get('v1/text')).resolves.toMatchObject({ available: false, reason: expect.stringContaining('not JSON') });
    await expect(client().get('v1/big')).resolves.toMatchObject({ available: false, reason: expect.stringContaining('over 4096') });
    await expect(client(base, 50).get('v1/slow')).resolves.toMatchObject({ available: false, reason: expect.stringContaining('within 50 ms') });
    await expect(client('http://127.0.0.1:1').get('v1/runs')).resolves.toMatchObject({ available: false, reason: expect.stringContaining('unreachable') });
  });
});
