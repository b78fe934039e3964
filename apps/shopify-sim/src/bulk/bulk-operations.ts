import { createWriteStream, mkdirSync, rmSync, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import path from 'node:path';
import { toGid } from '@understudy/shopify';
import { execute, type GraphQLSchema } from 'graphql';
import type { Logger } from 'pino';
import type { BulkOperationsPort, GraphqlContext } from '../admin-graphql/context';
import type { BulkOperationRecord } from '../store/records';
import type { ShopState } from '../store/shop';
import type { ShopEvents } from '../webhooks/shop-events';
import { AFTER_VARIABLE, nodeLines, PAGE_INFO_ALIAS, type PreparedBulkQuery, prepareBulkQuery } from './bulk-query';

/** Bulk query operations a shop may run at once (API versions from 2026-01). */
export const MAX_CONCURRENT_BULK_QUERIES = 5;
const ACTIVE = new Set(['CREATED', 'RUNNING', 'CANCELING']);

/**
 * Runs `bulkOperationRunQuery` in the background: pages the query's top-level
 * connection 250 nodes at a time through the same resolvers, writes JSONL to
 * a file with backpressure (memory stays flat for any size), then marks the
 * operation COMPLETED with `url`, `objectCount` and `fileSize` and sends
 * `bulk_operations/finish`.
 */
export class BulkOperations implements BulkOperationsPort {
  private readonly running = new Set<Promise<void>>();

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly directory: string,
    private readonly events: ShopEvents,
    private readonly contextFor: (shop: ShopState, origin: string, version: string) => GraphqlContext,
    private readonly logger: Logger,
  ) {
    mkdirSync(directory, { recursive: true });
  }

  run(shop: ShopState, query: string, options: { origin: string; version: string }): ReturnType<BulkOperationsPort['run']> {
    let active = 0;
    for (const operation of shop.bulkOperations.values()) if (operation.type === 'QUERY' && ACTIVE.has(operation.status)) active++;
    if (active >= MAX_CONCURRENT_BULK_QUERIES) {
      return {
        operation: null,
        userErrors: [{ code: 'LIMIT_REACHED', field: null, message: `Bulk operations limit reached (${MAX_CONCURRENT_BULK_QUERIES} at once). Please try again later.` }],
      };
    }
    const check = prepareBulkQuery(this.schema, query);
    if (!check.ok) return { operation: null, userErrors: [{ code: 'INVALID', field: ['query'], message: check.message }] };
    const operation: BulkOperationRecord = {
      __typename: 'BulkOperation',
      id: shop.newId(4_000_000_000),
      type: 'QUERY',
      status: 'CREATED',
      query,
      errorCode: null,
      createdAt: Date.now(),
      completedAt: null,
      objectCount: 0,
      rootObjectCount: 0,
      fileSize: null,
      filePath: null,
      url: null,
      cancelRequested: false,
    };
    shop.bulkOperations.set(operation.id, operation);
    const task = this.execute(shop, operation, check.prepared, options).finally(() => this.running.delete(task));
    this.running.add(task);
    return { operation, userErrors: [] };
  }

  cancel(shop: ShopState, id: number): ReturnType<BulkOperationsPort['cancel']> {
    const operation = shop.bulkOperations.get(id);
    if (!operation) return { operation: null, userErrors: [{ field: ['id'], message: 'Bulk operation does not exist' }] };
    if (!ACTIVE.has(operation.status)) {
      return { operation, userErrors: [{ field: null, message: `A bulk operation cannot be canceled when it is ${operation.status.toLowerCase()}` }] };
    }
    operation.cancelRequested = true;
    operation.status = 'CANCELING';
    return { operation, userErrors: [] };
  }

  /** The result file of a completed operation, for `GET /_sim/bulk/:id.jsonl`. */
  resultFile(shops: ShopState[], id: number): string | undefined {
    for (const shop of shops) {
      const operation = shop.bulkOperations.get(id);
      if (operation?.status === 'COMPLETED' && operation.filePath) return operation.filePath;
    }
    return undefined;
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.running]);
  }

  removeFiles({ recreate = true } = {}): void {
    rmSync(this.directory, { recursive: true, force: true });
    if (recreate) mkdirSync(this.directory, { recursive: true });
  }

  private async execute(shop: ShopState, operation: BulkOperationRecord, prepared: PreparedBulkQuery, options: { origin: string; version: string }) {
    await new Promise((resolve) => setImmediate(resolve));
    if (operation.cancelRequested) return this.finish(shop, operation, 'CANCELED');
    operation.status = 'RUNNING';
    const filePath = path.join(this.directory, `${shop.info.domain}-${operation.id}.jsonl`);
    const file = createWriteStream(filePath);
    const contextValue = { ...this.contextFor(shop, options.origin, options.version), bulk: true };
    let after: string | null = null;
    let bytes = 0;
    try {
      for (;;) {
        if (operation.cancelRequested) {
          file.destroy();
          rmSync(filePath, { force: true });
          return this.finish(shop, operation, 'CANCELED');
        }
        const result = await execute({ schema: this.schema, document: prepared.document, contextValue, variableValues: { [AFTER_VARIABLE]: after } });
        if (result.errors?.length) throw new Error(result.errors.map((e) => e.message).join('; '));
        const connection = (result.data as Record<string, Record<string, unknown>>)[prepared.rootField]!;
        const lines: string[] = [];
        operation.rootObjectCount += nodeLines(this.schema, prepared.fragments, prepared.rootSelection, prepared.rootType, connection, undefined, lines);
        operation.objectCount += lines.length;
        if (lines.length > 0) bytes += await write(file, `${lines.join('\n')}\n`);
        const pageInfo = connection[PAGE_INFO_ALIAS] as { hasNextPage: boolean; endCursor: string | null };
        if (!pageInfo.hasNextPage) break;
        after = pageInfo.endCursor;
        // Let GraphQL calls and webhook deliveries in between pages, as Shopify runs bulk work in the background.
        await new Promise((resolve) => setImmediate(resolve));
      }
      file.end();
      await once(file, 'close');
      operation.filePath = filePath;
      operation.fileSize = bytes;
      operation.url = operation.objectCount > 0 ? `${options.origin}/_sim/bulk/${operation.id}.jsonl` : null;
      this.finish(shop, operation, 'COMPLETED');
    } catch (error) {
      file.destroy();
      this.logger.error({ err: error, operation: toGid('BulkOperation', operation.id) }, 'bulk operation failed');
      operation.errorCode = 'INTERNAL_SERVER_ERROR';
      this.finish(shop, operation, 'FAILED');
    }
  }

  private finish(shop: ShopState, operation: BulkOperationRecord, status: 'COMPLETED' | 'FAILED' | 'CANCELED'): void {
    operation.status = status;
    operation.completedAt = Date.now();
    this.events.bulkOperationFinished(shop, operation);
  }
}

async function write(file: WriteStream, chunk: string): Promise<number> {
  const bytes = Buffer.byteLength(chunk);
  if (!file.write(chunk)) await once(file, 'drain');
  return bytes;
}
