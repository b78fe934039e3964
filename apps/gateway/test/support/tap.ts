import { createServer, type IncomingHttpHeaders, request as httpRequest, Agent, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TappedExchange {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  readonly status?: number;
  readonly response?: string;
  readonly failed?: string;
}

/**
 * A recording HTTP proxy in front of a real upstream: tests read what the
 * gateway sent (headers, body) and what the upstream answered, byte for
 * byte. When the upstream cannot be reached, the client's socket is dropped
 * (as if it were talking to the dead upstream itself). `delayMs` makes the
 * upstream slower, for tests and the benchmark.
 */
export class Tap {
  readonly exchanges: TappedExchange[] = [];
  delayMs = 0;
  /** Requests received but held back (see `hold`), in arrival order. */
  readonly held: Array<{ path: string; headers: IncomingHttpHeaders }> = [];
  private gate: Promise<void> | undefined;
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 256 });

  private constructor(
    private readonly server: Server,
    readonly url: string,
    private readonly target: URL,
  ) {}

  static async start(target: string): Promise<Tap> {
    const handler: { tap?: Tap } = {};
    const server = createServer((req, res) => handler.tap!.handle(req, res));
    server.keepAliveTimeout = 60_000;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    handler.tap = new Tap(server, `http://127.0.0.1:${port}`, new URL(target));
    return handler.tap;
  }

  /** Holds every request from now on until the returned function is called: the upstream sees them only then. */
  hold(): () => void {
    let open!: () => void;
    this.gate = new Promise<void>((resolve) => (open = resolve));
    return () => {
      this.gate = undefined;
      this.held.length = 0;
      open();
    };
  }

  clear(): void {
    this.exchanges.length = 0;
  }

  to(path: string): TappedExchange[] {
    return this.exchanges.filter((exchange) => exchange.path === path);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
    this.agent.destroy();
  }

  private handle(req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const forward = () => {
        const upstream = httpRequest(
          { host: this.target.hostname, port: this.target.port, method: req.method, path: req.url, headers: req.headers, agent: this.agent },
          (answer) => {
            const parts: Buffer[] = [];
            answer.on('data', (chunk: Buffer) => parts.push(chunk));
            answer.on('end', () => {
              const response = Buffer.concat(parts);
              this.exchanges.push({ method: req.method!, path: req.url!, headers: req.headers, body: body.toString(), status: answer.statusCode!, response: response.toString() });
              res.writeHead(answer.statusCode!, answer.headers);
              res.end(response);
            });
          },
        );
        upstream.on('error', (error) => {
          this.exchanges.push({ method: req.method!, path: req.url!, headers: req.headers, body: body.toString(), failed: error.message });
          req.socket.destroy();
        });
        upstream.end(body);
      };
      const gate = this.gate;
      if (gate) {
        this.held.push({ path: req.url!, headers: req.headers });
        void gate.then(forward);
      } else if (this.delayMs > 0) setTimeout(forward, this.delayMs);
      else forward();
    });
  }
}
