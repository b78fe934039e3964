import { Readable } from 'node:stream';
import { EXPORT_NEXT_HEADER } from '@understudy/contracts';
import type { FastifyReply } from 'fastify';

/** One page of a module's export (libs/contracts export-page.ts). */
export interface ExportPage {
  readonly rows: ReadonlyArray<Record<string, unknown>>;
  /** The `after` of the next page; absent (undefined or null) on the last one. */
  readonly next?: string | null;
}

/**
 * Answers `GET /v1/export/{kind}` with one page: 200, `application/x-ndjson`, one row a line,
 * streamed line by line (the page is never serialised into one string), and the next page's
 * `after` in EXPORT_NEXT_HEADER unless this is the last page.
 */
export async function sendExportPage(reply: FastifyReply, page: ExportPage): Promise<void> {
  if (page.next) void reply.header(EXPORT_NEXT_HEADER, page.next);
  void reply.status(200).header('content-type', 'application/x-ndjson; charset=utf-8');
  await reply.send(Readable.from(ndjson(page.rows)));
}

function* ndjson(rows: ReadonlyArray<Record<string, unknown>>): Generator<string> {
  for (const row of rows) yield `${JSON.stringify(row)}\n`;
}
