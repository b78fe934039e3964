// The floor for any Node.js hop on this machine: node:http in, undici out (the
// gateway's client), the body forwarded as is — no framework, no validation, no
// shadow. The gateway row minus this row is what the gateway's own work costs.
// Usage: node node-proxy.mjs <port> <upstream origin> <upstream path>
import http from 'node:http';
import { Pool } from 'undici';

const [port, origin, upstreamPath] = process.argv.slice(2);
const pool = new Pool(origin, { connections: 128, pipelining: 1, keepAliveTimeout: 30_000 });

const server = http.createServer((request, response) => {
  const chunks = [];
  request.on('data', (chunk) => chunks.push(chunk));
  request.on('end', async () => {
    try {
      const answer = await pool.request({ method: 'POST', path: upstreamPath, headers: { 'content-type': 'application/json' }, body: Buffer.concat(chunks) });
      const body = Buffer.from(await answer.body.arrayBuffer());
      response.writeHead(answer.statusCode, { 'content-type': answer.headers['content-type'] ?? 'application/json' });
      response.end(body);
    } catch (error) {
      response.writeHead(502, { 'content-type': 'text/plain' });
      response.end(String(error));
    }
  });
});
server.keepAliveTimeout = 60_000;
server.listen(Number(port), '127.0.0.1', () => process.stdout.write('listening\n'));
process.on('SIGTERM', () => server.close(() => pool.close().then(() => process.exit(0))));
