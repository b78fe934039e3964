/**
 * Streaming JSONL for bulk operation results: bytes in, one parsed object per
 * line out, holding only the current partial line — memory stays flat for a
 * file of any size. Multi-byte UTF-8 characters split across chunks are
 * decoded correctly.
 */
export type ByteSource = AsyncIterable<Uint8Array | string> | ReadableStream<Uint8Array>;

export async function* jsonlLines(source: ByteSource, options: { maxLineBytes?: number } = {}): AsyncGenerator<Record<string, unknown>> {
  const maxLine = options.maxLineBytes ?? 16 * 1024 * 1024;
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let buffer = '';
  let lineNumber = 0;
  const iterable: AsyncIterable<Uint8Array | string> =
    Symbol.asyncIterator in (source as object) ? (source as AsyncIterable<Uint8Array | string>) : readableToIterable(source as ReadableStream<Uint8Array>);
  for await (const chunk of iterable) {
    buffer += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    let newline = buffer.indexOf('\n');
    let start = 0;
    while (newline !== -1) {
      lineNumber++;
      const line = buffer.slice(start, newline);
      if (line.trim() !== '') yield parseLine(line, lineNumber);
      start = newline + 1;
      newline = buffer.indexOf('\n', start);
    }
    buffer = buffer.slice(start);
    if (buffer.length > maxLine) throw new Error(`JSONL line ${lineNumber + 1} exceeds ${maxLine} bytes`);
  }
  buffer += decoder.decode();
  if (buffer.trim() !== '') yield parseLine(buffer, lineNumber + 1);
}

function parseLine(line: string, lineNumber: number): Record<string, unknown> {
  try {
    const value = JSON.parse(line) as unknown;
    if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error('not an object');
    return value as Record<string, unknown>;
  } catch (error) {
    throw new Error(`JSONL line ${lineNumber} is not a JSON object: ${(error as Error).message}`);
  }
}

async function* readableToIterable(stream: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    reader.releaseLock();
  }
}

export interface BulkObject {
  [field: string]: unknown;
  /** Nested connection nodes re-attached under their parent, in file order. */
  __children?: BulkObject[];
}

/**
 * Re-attaches nested connection lines (`__parentId`) to their parents, for
 * files laid out grouped — each parent followed by its descendants, which is
 * how the simulator writes and what `groupObjects: true` asks Shopify for.
 * Yields each top-level object once all its descendants have been read, so
 * memory holds one object tree, not the file. A child whose parent is not in
 * the current tree is an error (the file is not grouped).
 */
export async function* groupBulkObjects(lines: AsyncIterable<Record<string, unknown>>): AsyncGenerator<BulkObject> {
  let root: BulkObject | undefined;
  // Objects of the current tree by id, so grandchildren find their parent.
  let byId = new Map<string, BulkObject>();
  for await (const line of lines) {
    const parentId = line['__parentId'];
    if (typeof parentId !== 'string') {
      if (root) yield root;
      root = line as BulkObject;
      byId = new Map();
      if (typeof line['id'] === 'string') byId.set(line['id'], root);
      continue;
    }
    const parent = byId.get(parentId);
    if (!parent) throw new Error(`bulk result is not grouped: ${parentId} is not the current object or one of its descendants`);
    const { __parentId: _parent, ...child } = line;
    (parent.__children ??= []).push(child as BulkObject);
    if (typeof child['id'] === 'string') byId.set(child['id'], child as BulkObject);
  }
  if (root) yield root;
}
