import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** The committed pact files (docs/contracts.md). */
export const PACTS_DIR = path.resolve(__dirname, '../../../pacts');

/**
 * Where a consumer test writes its pact: a fresh directory, because Pact merges
 * into an existing file (an interaction removed from the test would survive).
 */
export function freshPactDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'understudy-pact-'));
}

/**
 * After a consumer test: `PACT_UPDATE=1` copies the generated pact over the
 * committed one; otherwise the committed one must be byte for byte the
 * generated one, or the test fails (a stale pact never reaches main).
 * Returns the mismatch, or undefined when they agree.
 */
export function settlePact(generatedDir: string, consumer: string, provider: string): string | undefined {
  const file = `${consumer}-${provider}.json`;
  const generated = path.join(generatedDir, file);
  const committed = path.join(PACTS_DIR, file);
  try {
    if (!existsSync(generated)) return `no pact was written to ${generated}`;
    if (process.env['PACT_UPDATE'] === '1') {
      copyFileSync(generated, committed);
      return undefined;
    }
    if (!existsSync(committed)) return `pacts/${file} is missing: run PACT_UPDATE=1 npm run test:contracts and commit it`;
    const fresh = readFileSync(generated, 'utf8');
    if (readFileSync(committed, 'utf8') !== fresh) return `pacts/${file} is stale: run PACT_UPDATE=1 npm run test:contracts and commit it`;
    return undefined;
  } finally {
    rmSync(generatedDir, { recursive: true, force: true });
  }
}

/** A pact file as JSON (only what the mutation tests touch is typed). */
export interface PactJson {
  interactions: Array<Record<string, unknown> & { description: string; type?: string }>;
  [key: string]: unknown;
}

/**
 * Runs `work` on a mutated copy of a committed pact (`pacts/<file>`), in a
 * temporary directory removed afterwards: the mutation tests' way to show that
 * verification fails when a provider changes what a consumer reads.
 */
export async function withMutatedPact<T>(file: string, mutate: (pact: PactJson) => void, work: (mutatedFile: string) => Promise<T>): Promise<T> {
  const pact = JSON.parse(readFileSync(path.join(PACTS_DIR, file), 'utf8')) as PactJson;
  mutate(pact);
  const dir = mkdtempSync(path.join(tmpdir(), 'understudy-pact-mutated-'));
  try {
    const mutated = path.join(dir, file);
    writeFileSync(mutated, JSON.stringify(pact));
    return await work(mutated);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * `withMutatedPact` for one interaction: the committed pact reduced to the interaction with this
 * description, after `mutate` changed it (e.g. `retypeField`) — what a provider changing what that
 * consumer reads looks like, and only that.
 */
export function withOneInteraction<T>(file: string, description: string, mutate: (interaction: PactJson['interactions'][number]) => void, work: (mutatedFile: string) => Promise<T>): Promise<T> {
  return withMutatedPact(
    file,
    (pact) => {
      const interaction = pactInteraction(pact, description);
      mutate(interaction);
      pact.interactions = [interaction];
    },
    work,
  );
}

/** The one interaction of a pact with this description (throws when there is none, so a renamed interaction fails loudly). */
export function pactInteraction(pact: PactJson, description: string): PactJson['interactions'][number] {
  const found = pact.interactions.find((interaction) => interaction.description === description);
  if (!found) throw new Error(`no interaction "${description}" in the pact`);
  return found;
}

/**
 * In a mutated pact: the field at `segments` of an interaction's response body
 * (`part = 'response'`) or message contents (`part = 'contents'`) becomes
 * `value`, matched by type — what a provider answering that field with another
 * type looks like to the consumer. An array index stands for every element.
 */
export function retypeField(interaction: PactJson['interactions'][number], part: 'response' | 'contents', segments: ReadonlyArray<string | number>, value: unknown): void {
  const holder = (part === 'response' ? interaction['response'] : interaction) as { body?: { content: unknown }; contents?: { content: unknown }; matchingRules?: { body?: Record<string, unknown> } };
  const body = part === 'response' ? holder.body : holder.contents;
  if (!body) throw new Error(`interaction "${interaction.description}" has no ${part} body`);
  let node = body.content as Record<string | number, unknown>;
  for (const segment of segments.slice(0, -1)) {
    node = node[segment] as Record<string | number, unknown>;
    if (node === undefined || node === null) throw new Error(`interaction "${interaction.description}" has no ${segments.join('.')}`);
  }
  const last = segments[segments.length - 1]!;
  if (!(last in node)) throw new Error(`interaction "${interaction.description}" has no ${segments.join('.')}`);
  node[last] = value;
  const rulePath = `$${segments.map((segment) => (typeof segment === 'number' ? '[*]' : `.${segment}`)).join('')}`;
  holder.matchingRules ??= {};
  holder.matchingRules.body ??= {};
  holder.matchingRules.body[rulePath] = { combine: 'AND', matchers: [{ match: 'type' }] };
}

/**
 * The monolith's cart-token secret in the gateway → legacy-monolith pact: the
 * consumer signs its example `lm1.…` token with it, the provider is started
 * with it (LEGACY_CART_TOKEN_SECRETS), so the token the verifier replays is
 * one the monolith signed. A test value, never a deployment's.
 */
export const CONTRACT_CART_TOKEN_SECRET = 'contract-test-cart-token-secret';

/**
 * In a mutated pact: the regex that matches an interaction's whole response body (the NDJSON
 * export pages' one matcher on `$`) with `from` replaced by `to` — a field of another type in every
 * streamed row. Throws when `from` is not in it, so a changed pattern fails loudly.
 */
export function rewriteBodyPattern(interaction: PactJson['interactions'][number], from: string, to: string): void {
  const rule = (interaction['response'] as { matchingRules: { body: Record<string, { matchers: Array<{ regex?: string }> }> } }).matchingRules.body['$']!.matchers[0]!;
  const rewritten = rule.regex!.replace(from, to);
  if (rewritten === rule.regex) throw new Error(`the body pattern of "${interaction.description}" has no ${from}`);
  rule.regex = rewritten;
}
