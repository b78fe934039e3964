import type { ShopifyAdminClient } from '../admin/admin-client';
import { type BulkObject, groupBulkObjects, jsonlLines } from './jsonl';

export type BulkOperationStatus = 'CREATED' | 'RUNNING' | 'COMPLETED' | 'FAILED' | 'CANCELING' | 'CANCELED' | 'EXPIRED';

export interface BulkOperation {
  id: string;
  status: BulkOperationStatus;
  errorCode: string | null;
  objectCount: string;
  rootObjectCount: string;
  fileSize: string | null;
  url: string | null;
  partialDataUrl: string | null;
  createdAt: string;
  completedAt: string | null;
}

export class BulkOperationError extends Error {
  constructor(
    message: string,
    readonly operation?: BulkOperation,
    readonly userErrors?: unknown,
  ) {
    super(message);
    this.name = 'BulkOperationError';
  }
}

const RUN = `mutation RunBulkQuery($query: String!, $groupObjects: Boolean!) {
  bulkOperationRunQuery(query: $query, groupObjects: $groupObjects) {
    bulkOperation { id status }
    userErrors { code field message }
  }
}`;

const POLL = `query BulkOperationStatus($id: ID!) {
  bulkOperation(id: $id) { id status errorCode objectCount rootObjectCount fileSize url partialDataUrl createdAt completedAt }
}`;

export interface BulkRunOptions {
  signal?: AbortSignal;
  /** First poll delay; each next one grows by `pollFactor` up to `pollMaxMs`. */
  pollMinMs?: number;
  pollMaxMs?: number;
  pollFactor?: number;
  /** Give up (and leave the operation running) after this long. */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/**
 * Runs a bulk query to completion: starts it, polls `bulkOperation(id:)`
 * with growing intervals — or wakes at once when the app's
 * `bulk_operations/finish` webhook arrives (`notifyFinished`) — then streams
 * the JSONL result line by line.
 */
export class BulkQueryRunner {
  private readonly waiters = new Map<string, () => void>();

  constructor(private readonly client: ShopifyAdminClient) {}

  /** Call from the `bulk_operations/finish` webhook handler (payload `admin_graphql_api_id`). */
  notifyFinished(operationId: string): void {
    this.waiters.get(operationId)?.();
  }

  async start(query: string, options: { groupObjects?: boolean; signal?: AbortSignal } = {}): Promise<string> {
    const response = await this.client.request<{
      bulkOperationRunQuery: { bulkOperation: { id: string } | null; userErrors: Array<{ code: string | null; message: string }> };
    }>(RUN, { variables: { query, groupObjects: options.groupObjects ?? true }, signal: options.signal });
    const { bulkOperation, userErrors } = response.data.bulkOperationRunQuery;
    if (!bulkOperation || userErrors.length > 0) {
      throw new BulkOperationError(`bulk query refused: ${userErrors.map((e) => `${e.code ?? ''} ${e.message}`.trim()).join('; ')}`, undefined, userErrors);
    }
    return bulkOperation.id;
  }

  /** Polls until the operation ends; resolves with it when COMPLETED, throws otherwise. */
  async waitFor(id: string, options: BulkRunOptions = {}): Promise<BulkOperation> {
    const started = Date.now();
    let delay = options.pollMinMs ?? 250;
    for (;;) {
      const response = await this.client.request<{ bulkOperation: BulkOperation | null }>(POLL, { variables: { id }, signal: options.signal });
      const operation = response.data.bulkOperation;
      if (!operation) throw new BulkOperationError(`bulk operation ${id} not found`);
      if (operation.status === 'COMPLETED') return operation;
      if (['FAILED', 'CANCELED', 'EXPIRED'].includes(operation.status)) {
        throw new BulkOperationError(`bulk operation ${id} ended ${operation.status}${operation.errorCode ? ` (${operation.errorCode})` : ''}`, operation);
      }
      if (options.timeoutMs !== undefined && Date.now() - started > options.timeoutMs) {
        throw new BulkOperationError(`bulk operation ${id} still ${operation.status} after ${options.timeoutMs} ms`, operation);
      }
      await this.waitOrWake(id, delay, options.signal);
      delay = Math.min(options.pollMaxMs ?? 5_000, delay * (options.pollFactor ?? 1.5));
    }
  }

  /** Streams a completed operation's result, one line (object) at a time, `__parentId` kept. */
  async *lines(operation: BulkOperation, options: BulkRunOptions = {}): AsyncGenerator<Record<string, unknown>> {
    if (!operation.url) return;
    const response = await (options.fetch ?? fetch)(operation.url, { signal: options.signal });
    if (!response.ok || !response.body) throw new BulkOperationError(`bulk result download failed: HTTP ${response.status}`, operation);
    yield* jsonlLines(response.body);
  }

  /** Start, wait, stream: top-level objects with nested connection nodes under `__children`. */
  async *run(query: string, options: BulkRunOptions = {}): AsyncGenerator<BulkObject> {
    const id = await this.start(query, { groupObjects: true, signal: options.signal });
    const operation = await this.waitFor(id, options);
    yield* groupBulkObjects(this.lines(operation, options));
  }

  private waitOrWake(id: string, ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(id);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.waiters.set(id, done);
      signal?.addEventListener('abort', () => {
        clearTimeout(timer);
        this.waiters.delete(id);
        reject(signal.reason);
      }, { once: true });
    });
  }
}
