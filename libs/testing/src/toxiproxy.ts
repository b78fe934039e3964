import { type ChildProcess, spawn } from 'node:child_process';
import { freePort, waitFor } from './wait';

export type ToxicType = 'latency' | 'bandwidth' | 'timeout' | 'reset_peer' | 'slow_close' | 'limit_data' | 'slicer';

export interface Toxic {
  type: ToxicType;
  /** `downstream`: data towards the client (answers); `upstream`: towards the server (requests). */
  stream?: 'upstream' | 'downstream';
  attributes: Record<string, number>;
  toxicity?: number;
}

/**
 * Shopify's toxiproxy (a real TCP proxy) between a service and a dependency:
 * each proxy can be disabled (connections refused, open ones cut) or given
 * toxics — latency, bandwidth, timeout (a black hole), reset_peer. The binary
 * comes from `bash tools/faults/install-toxiproxy.sh`.
 */
export class Toxiproxy {
  private constructor(
    private readonly child: ChildProcess,
    readonly apiUrl: string,
    private readonly allocatePort: () => Promise<number>,
  ) {}

  static async start(binary: string, allocatePort: () => Promise<number> = freePort): Promise<Toxiproxy> {
    const port = await allocatePort();
    const child = spawn(binary, ['-host', '127.0.0.1', '-port', String(port)], { stdio: 'ignore' });
    const proxy = new Toxiproxy(child, `http://127.0.0.1:${port}`, allocatePort);
    await waitFor(async () => {
      if (child.exitCode !== null) throw new Error(`toxiproxy-server exited ${child.exitCode}`);
      return (await fetch(`${proxy.apiUrl}/version`).catch(() => undefined))?.ok;
    }, { timeoutMs: 15_000, what: `toxiproxy on port ${port}` });
    return proxy;
  }

  /** A proxy to `upstream` (host:port) on a port of its own; returns `127.0.0.1:<port>`. */
  async proxy(name: string, upstream: string): Promise<string> {
    const listen = `127.0.0.1:${await this.allocatePort()}`;
    await this.call('POST', '/proxies', { name, listen, upstream, enabled: true });
    return listen;
  }

  async addToxic(proxy: string, name: string, toxic: Toxic): Promise<void> {
    await this.call('POST', `/proxies/${proxy}/toxics`, { name, stream: 'downstream', toxicity: 1, ...toxic });
  }

  async removeToxic(proxy: string, name: string): Promise<void> {
    await this.call('DELETE', `/proxies/${proxy}/toxics/${name}`);
  }

  /** Disabled: new connections are refused and open ones are closed, as when the server is gone. */
  async setEnabled(proxy: string, enabled: boolean): Promise<void> {
    await this.call('POST', `/proxies/${proxy}`, { enabled });
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGTERM');
    await exited;
  }

  private async call(method: string, path: string, body?: unknown): Promise<void> {
    const response = await fetch(`${this.apiUrl}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
    if (!response.ok) throw new Error(`toxiproxy ${method} ${path}: ${response.status} ${await response.text()}`);
  }
}
