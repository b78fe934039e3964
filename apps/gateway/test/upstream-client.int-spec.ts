import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { freePort } from '@understudy/testing';
import { UpstreamClient } from '../src/upstream/upstream-client';

/** The pooled client against a real local HTTP server: deadlines, byte cap, keep-alive. */
describe('UpstreamClient', () => {
  let server: Server;
  let client: UpstreamClient;
  const sockets = new Set<unknown>();

  beforeAll(async () => {
    server = createServer((req, res) => {
      sockets.add(req.socket);
      if (req.url === '/slow') return void setTimeout(() => res.end('{}'), 500);
      if (req.url === '/big') return void res.end('x'.repeat(50_000));
      res.writeHead(req.url === '/boom' ? 503 : 200, { 'content-type': 'application/json', 'idempotent-replayed': 'true' });
      res.end(JSON.stringify({ path: req.url, shadow: req.headers['x-understudy-shadow'] ?? null }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    client = new UpstreamClient(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, { connections: 4 });
  });

  afterAll(async () => {
    await client.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const call = (path: string, options: { timeoutMs?: number; maxBodyBytes?: number; headers?: Record<string, string> } = {}) =>
    client.call({ method: 'POST', path, headers: { 'content-type': 'application/json', ...options.headers }, body: '{}', timeoutMs: options.timeoutMs ?? 1_000, maxBodyBytes: options.maxBodyBytes ?? 10_000, upstream: 'test' });

  it('returns status, body and content type, reusing keep-alive connections', async () => {
    sockets.clear();
    for (let i = 0; i < 100; i += 1) {
      const result = await call('/ok', { headers: { 'x-understudy-shadow': '1' } });
      expect(result).toMatchObject({ kind: 'response', status: 200, contentType: 'application/json', replayed: true });
      if (result.kind === 'response') expect(JSON.parse(result.body.toString())).toEqual({ path: '/ok', shadow: '1' });
    }
    // 100 sequential calls over one or two connections (undici may open a second while the first is being released).
    expect(sockets.size).toBeLessThanOrEqual(2);
  });

  it('gives up at the deadline, reads at most the byte cap, and reports refused connections', async () => {
    expect(await call('/slow', { timeoutMs: 100 })).toMatchObject({ kind: 'failed', failure: 'timeout' });
    expect(await call('/big', { maxBodyBytes: 1_000 })).toMatchObject({ kind: 'failed', failure: 'too_large' });
    expect(await call('/boom')).toMatchObject({ kind: 'response', status: 503 });
    const nowhere = new UpstreamClient(`http://127.0.0.1:${await freePort()}`, { connections: 1 });
    expect(await nowhere.call({ method: 'POST', path: '/', headers: {}, body: '{}', timeoutMs: 1_000, maxBodyBytes: 100, upstream: 'x' })).toMatchObject({
      kind: 'failed',
      failure: 'error',
      detail: 'ECONNREFUSED',
    });
    await nowhere.close();
  });

  it('settles a call at its deadline even while it waits for a pooled connection', async () => {
    const single = new UpstreamClient(client.origin, { connections: 1 });
    const settled: string[] = [];
    const slow = single.call({ method: 'POST', path: '/slow', headers: {}, body: '{}', timeoutMs: 5_000, maxBodyBytes: 100, upstream: 'x' }).then((result) => (settled.push('slow'), result));
    // Queued behind /slow on the only connection: its deadline passes before the connection is free.
    const queued = single.call({ method: 'POST', path: '/ok', headers: {}, body: '{}', timeoutMs: 50, maxBodyBytes: 100, upstream: 'x' }).then((result) => (settled.push('queued'), result));
    expect(await queued).toMatchObject({ kind: 'failed', failure: 'timeout', reached: true });
    expect(await slow).toMatchObject({ kind: 'response', status: 200 });
    expect(settled).toEqual(['queued', 'slow']);
    await single.close();
  });
});
