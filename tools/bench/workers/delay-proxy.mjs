// A pass-through HTTP proxy with an adjustable delay, in its own process so
// its CPU does not skew the load generator: `node delay-proxy.mjs <port> <target>`.
// `PUT /__delay/<ms>` sets the delay added before each request is forwarded.
// `PUT /__replay/1` answers a request body seen before from memory (the upstream's
// earlier answer, byte for byte) instead of forwarding it: a shadow upstream that
// costs (almost) nothing, to show what the shadow costs the gateway itself.
// The gateway benchmark puts it in front of the shadow upstream (the same
// proxy for the gateway and for nginx) to make the shadow N× slower.
import { Agent, createServer, request } from 'node:http';

const [port, target] = [Number(process.argv[2]), new URL(process.argv[3])];
const agent = new Agent({ keepAlive: true, maxSockets: 512 });
let delayMs = 0;
let replay = false;
const answers = new Map();

const server = createServer((req, res) => {
  const control = /^\/__(delay|replay)\/(\d+)$/.exec(req.url ?? '');
  if (control) {
    if (control[1] === 'delay') delayMs = Number(control[2]);
    else replay = control[2] === '1';
    res.end(JSON.stringify({ delayMs, replay }));
    return;
  }
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    const body = Buffer.concat(chunks);
    const key = `${req.url} ${body}`;
    const known = replay ? answers.get(key) : undefined;
    if (known) {
      res.writeHead(known.status, known.headers);
      res.end(known.body);
      return;
    }
    const forward = () => {
      const upstream = request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers, agent }, (answer) => {
        const parts = [];
        answer.on('data', (chunk) => parts.push(chunk));
        answer.on('end', () => {
          const answered = { status: answer.statusCode, headers: answer.headers, body: Buffer.concat(parts) };
          if (answers.size < 10_000) answers.set(key, answered);
          res.writeHead(answered.status, answered.headers);
          res.end(answered.body);
        });
      });
      upstream.on('error', () => req.socket.destroy());
      upstream.end(body);
    };
    if (delayMs > 0) setTimeout(forward, delayMs);
    else forward();
  });
});
server.keepAliveTimeout = 65_000;
server.listen(port, '127.0.0.1', () => process.stdout.write('ready\n'));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
