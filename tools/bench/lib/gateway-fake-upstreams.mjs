// Two fixed-answer upstreams for tools/bench/lib/gateway-ab.mjs: a monolith on
// <monolith port> (`POST /inventory/check`, legacy format: numeric id, `generatedAt`)
// and an inventory module on <module port> (`POST /v1/check`), whose answers compare
// equal under inventory.check's comparison spec. They cost next to nothing, so a
// profile or a CPU figure of the gateway in front of them is the gateway's own.
// Usage: node gateway-fake-upstreams.mjs <monolith port> <module port> [module delay ms]
import http from 'node:http';

const [monolithPort, modulePort, moduleDelayMs = 0] = process.argv.slice(2).map(Number);

const serve = (legacy) => (request, response) => {
  const chunks = [];
  request.on('data', (chunk) => chunks.push(chunk));
  request.on('end', () => {
    let asked = {};
    try {
      asked = JSON.parse(Buffer.concat(chunks).toString());
    } catch {
      // An unparsable body gets the answer for variant 0.
    }
    const id = asked.variantId ?? '0';
    const availableQuantity = 10 + (Number(id) % 7);
    const body = legacy
      ? JSON.stringify({ variantId: Number(id), available: true, availableQuantity, generatedAt: new Date().toISOString() })
      : JSON.stringify({ variantId: String(id), available: true, availableQuantity });
    const send = () => {
      response.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
      response.end(body);
    };
    if (!legacy && moduleDelayMs > 0) setTimeout(send, moduleDelayMs);
    else send();
  });
};

const monolith = http.createServer(serve(true));
const moduleServer = http.createServer(serve(false));
monolith.keepAliveTimeout = 60_000;
moduleServer.keepAliveTimeout = 60_000;
monolith.listen(monolithPort, '127.0.0.1', () => moduleServer.listen(modulePort, '127.0.0.1', () => process.stdout.write('ready\n')));
process.on('SIGTERM', () => process.exit(0));
