import type { Sql } from '../database/database';
import { PricingReadModel } from './read-model';
import { allRows, CHANGE_LOG_MARKS, CHANGES_AFTER, rowsByKey } from './read-model.sql';
import { isTableName, keyOf, type ProjectionRows, type RowKey, TABLE_NAMES, type TableName, type TableRow } from './rows';

/** Why the whole projection was read again: the first load, a TRUNCATE's reset marker, or a change log pruned past our mark. */
export type ReloadReason = 'boot' | 'reset' | 'trimmed';

export interface ReadModelSyncOptions {
  /** Runs `work` in one REPEATABLE READ transaction: everything it reads comes from one snapshot. */
  snapshot: <T>(work: (sql: Sql) => Promise<T>) => Promise<T>;
  /** Changes read per round trip. */
  pageSize: number;
  onReload?: (reason: ReloadReason) => void;
  now?: () => number;
}

interface Change {
  seq: string;
  table: string;
  id: string | null;
  variantId: string | null;
}

/** Rows whose `as_of` pg hands over as a Date; the model keeps ISO strings. */
const TIMED: ReadonlySet<TableName> = new Set(['pricing_price_lists', 'pricing_catalogs', 'pricing_company_locations']);

function decoded<T extends TableName>(table: T, rows: Array<TableRow[T]>): Array<TableRow[T]> {
  if (TIMED.has(table)) for (const row of rows as Array<{ asOf: string | Date }>) row.asOf = new Date(row.asOf).toISOString();
  return rows;
}

const isoOrNull = (value: Date | string | null) => (value === null ? null : new Date(value).toISOString());

const keyString = (key: RowKey) => (key.variantId === null ? key.id : `${key.id}:${key.variantId}`);

/**
 * Keeps a PricingReadModel current from the change log (migration
 * 1781600000000): a full load inside one snapshot that also records the log's
 * high-water mark, then pages of changes after the mark, each page's changed
 * rows re-read by key in the same snapshot as the page. Catch-ups never run
 * concurrently: one asked for while another runs makes that one go round once more.
 * Quotes keep reading the current model throughout; a reload swaps in a new one.
 */
export class ReadModelSync {
  private model: PricingReadModel | undefined;
  private mark = 0n;
  private caughtUpAt: number | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private readonly now: () => number;

  constructor(private readonly options: ReadModelSyncOptions) {
    this.now = options.now ?? Date.now;
  }

  /** The model quotes read, undefined until the first load has finished. */
  get current(): PricingReadModel | undefined {
    return this.model;
  }

  /** The change log's seq the model is current to. */
  get position(): bigint {
    return this.mark;
  }

  /** Seconds since the last catch-up that reached the end of the change log; undefined before the first load. */
  lagSeconds(): number | undefined {
    return this.caughtUpAt === undefined ? undefined : Math.max(0, (this.now() - this.caughtUpAt) / 1000);
  }

  /**
   * Loads when nothing is loaded, else applies every change after the mark
   * (reloading after a reset marker or a trim past the mark). Resolves when a
   * pass that started after this call has finished; rejects with its error.
   */
  catchUp(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          await this.pass();
        } while (this.again);
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }

  private async pass(): Promise<void> {
    if (!this.model) return this.reload('boot');
    const started = this.now();
    for (;;) {
      const page = await this.options.snapshot(async (sql) => {
        const [marks] = await sql<{ high: string; trimmed: string; confirmed: Date | null }>(CHANGE_LOG_MARKS);
        if (BigInt(marks!.trimmed) > this.mark) return 'trimmed' as const;
        const changes = await sql<Change>(CHANGES_AFTER, [this.mark.toString(), this.options.pageSize]);
        if (changes.some((change) => change.id === null)) return 'reset' as const;
        return { changes, rows: await this.changedRows(sql, changes), confirmed: isoOrNull(marks!.confirmed) };
      });
      if (page === 'trimmed' || page === 'reset') return this.reload(page);
      const { changes, rows, confirmed } = page;
      for (const change of changes) {
        if (!isTableName(change.table)) continue;
        const key = { id: change.id!, variantId: change.variantId };
        this.model.apply(change.table, key, rows.get(change.table)!.get(keyString(key)));
      }
      if (changes.length > 0) this.mark = BigInt(changes[changes.length - 1]!.seq);
      if (changes.length < this.options.pageSize) {
        // The last page: the model now holds everything this snapshot held, so its confirmation holds for the model.
        this.model.confirmedAsOf = confirmed;
        break;
      }
    }
    this.caughtUpAt = started;
  }

  /** The current rows (by table, then key) behind a page of changes; a key absent from its table's map is gone. */
  private async changedRows(sql: Sql, changes: readonly Change[]): Promise<Map<TableName, Map<string, TableRow[TableName]>>> {
    const byTable = new Map<TableName, Map<string, TableRow[TableName]>>();
    for (const table of TABLE_NAMES) {
      const keys = new Map<string, RowKey>();
      for (const change of changes) {
        if (change.table !== table) continue;
        const key = { id: change.id!, variantId: change.variantId };
        keys.set(keyString(key), key);
      }
      const found = new Map<string, TableRow[TableName]>();
      byTable.set(table, found);
      if (keys.size === 0) continue;
      const wanted = [...keys.values()];
      const rows = decoded(table, await sql<TableRow[typeof table]>(rowsByKey(table), table === 'pricing_fixed_prices' || table === 'pricing_quantity_rules' ? [wanted.map((k) => k.id), wanted.map((k) => k.variantId)] : [wanted.map((k) => k.id)]));
      for (const row of rows) found.set(keyString(keyOf(table, row)), row);
    }
    return byTable;
  }

  private async reload(reason: ReloadReason): Promise<void> {
    const started = this.now();
    const { rows, high, confirmed } = await this.options.snapshot(async (sql) => {
      const [marks] = await sql<{ high: string; confirmed: Date | null }>(CHANGE_LOG_MARKS);
      const loaded = {} as ProjectionRows;
      for (const table of TABLE_NAMES) (loaded as Record<TableName, unknown[]>)[table] = decoded(table, await sql<TableRow[typeof table]>(allRows(table)));
      return { rows: loaded, high: BigInt(marks!.high), confirmed: isoOrNull(marks!.confirmed) };
    });
    this.model = PricingReadModel.from(rows);
    this.model.confirmedAsOf = confirmed;
    this.mark = high;
    this.caughtUpAt = started;
    this.options.onReload?.(reason);
  }
}
