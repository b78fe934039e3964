// The floor for shadowing in Node.js on this machine: the bare Node proxy of
// tools/bench/workers/node-proxy.mjs (node:http in, undici out, the body as is),
// plus what any shadowing proxy must do at the least — once the answer is written,
// the same request to the shadow upstream on its own pool, its answer read, and
// both answers parsed and compared (a plain deep equality, no comparison spec).
// No framework, validation, token migration, breaker, stats or metrics. The
// gateway's (c) row against this row is what the gateway's own machinery costs a
// shadowed request; this row against (b0) is what the shadow exchange alone costs.
// Usage: node gateway-shadow-proxy.mjs <port> <primary origin> <primary path> <shadow origin> <shadow path>
import http from 'node:http';
import { setImmediate } from 'node:timers';
import { isDeepStrictEqual } from 'node:util';
import { Pool } from 'undici';

const [port, origin, upstreamPath, shadowOrigin, shadowPath] = process.argv.slice(2);
const pool = new Pool(origin, { connections: 128, pipelining: 1, keepAliveTimeout: 30_000 });
const shadowPool = new Pool(shadowOrigin, { connections: 128, pipelining: 1, keepAliveTimeout: 30_000 });
let matches = 0;
let mismatches = 0;

const server = http.createServer((request, response) => {
  if (request.url === '/__counts') return void response.end(JSON.stringify({ matches, mismatches }));
  const chunks = [];
  request.on('data', (chunk) => chunks.push(chunk));
  request.on('end', async () => {
    const body = Buffer.concat(chunks);
    let primary;
    try {
      const answer = await pool.request({ method: 'POST', path: upstreamPath, headers: { 'content-type': 'application/json' }, body });
      primary = Buffer.from(await answer.body.arrayBuffer());
      response.writeHead(answer.statusCode, { 'content-type': answer.headers['content-type'] ?? 'application/json' });
      response.end(primary);
    } catch (error) {
      response.writeHead(502, { 'content-type': 'text/plain' });
      response.end(String(error));
      return;
    }
    setImmediate(async () => {
      try {
        const answer = await shadowPool.request({ method: 'POST', path: shadowPath, headers: { 'content-type': 'application/json', 'x-understudy-shadow': '1' }, body });
        const shadow = Buffer.from(await answer.body.arrayBuffer());
        const [a, b] = [JSON.parse(primary.toString()), JSON.parse(shadow.toString())];
        delete a.generatedAt;
        a.variantId = String(a.variantId);
        if (isDeepStrictEqual(a, b)) matches += 1;
        else mismatches += 1;
      } catch {
        mismatches += 1;
      }
    });
  });
});
server.keepAliveTimeout = 60_000;
server.listen(Number(port), '127.0.0.1', () => process.stdout.write('listening\n'));
process.on('SIGTERM', () => server.close(() => Promise.all([pool.close(), shadowPool.close()]).then(() => process.exit(0))));
