import type { VerifierOptions } from '@pact-foundation/pact';
import { type AppProcess, migrateAppProcess, startAppProcess } from './app-process';
import { createTestDatabase, type TestDatabase } from './postgres';

/** An HTTP provider under verification, started by `httpProviderUnderTest`. */
export interface HttpProviderUnderTest {
  /** Where the provider listens (read it inside a test or a hook). */
  readonly url: string;
  /** Its database, where a provider state writes its rows. */
  readonly databaseUrl: string;
  /** Verifies these pact files against the provider, each interaction after its state's handler. */
  verify(pactUrls: string[], stateHandlers: NonNullable<VerifierOptions['stateHandlers']>): Promise<unknown>;
}

/**
 * The provider side of HTTP pacts (docs/contracts.md): `app` from its real entry point
 * (main.ts, its own process) on a fresh database migrated by its own `--migrate`, started
 * before the file's tests and stopped, its database dropped, after them. `env` is what the
 * app needs beyond PATH, NODE_ENV=test, LOG_LEVEL=warn, HOST and DATABASE_URL (it may
 * override the first three).
 */
export function httpProviderUnderTest(app: string, env: NodeJS.ProcessEnv): HttpProviderUnderTest {
  let database: TestDatabase | undefined;
  let provider: AppProcess | undefined;

  beforeAll(async () => {
    database = await createTestDatabase(`${app.replace(/-/g, '_')}_pact`);
    const whole = { PATH: process.env['PATH'], NODE_ENV: 'test', LOG_LEVEL: 'warn', HOST: '127.0.0.1', ...env, DATABASE_URL: database.url };
    await migrateAppProcess(app, whole);
    provider = await startAppProcess(app, whole, { waitPath: '/health/ready' });
  });

  afterAll(async () => {
    await provider?.stop();
    await database?.drop();
  });

  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error(`${app} is not started yet: read it inside a test or a hook`);
    return value;
  };
  return {
    get url() {
      return started(provider).url;
    },
    get databaseUrl() {
      return started(database).url;
    },
    async verify(pactUrls, stateHandlers) {
      // Loaded here, not at the top: libs/testing is imported by tests that never load Pact.
      const { Verifier } = await import('@pact-foundation/pact');
      return new Verifier({ provider: app, providerBaseUrl: started(provider).url, pactUrls, logLevel: 'warn', stateHandlers }).verifyProvider();
    },
  };
}

/** A message pact's handler (behind the transport) on a database of its own, set up by `messageHandlerUnderTest`. */
export interface MessageHandlerUnderTest<H> {
  readonly databaseUrl: string;
  readonly handler: H;
}

/** What the handler needs of a TypeORM DataSource (libs/testing does not import libs/database). */
interface Initializable {
  initialize(): Promise<unknown>;
  destroy(): Promise<unknown>;
}

/**
 * The consumer side of message pacts: the real handler the consumer's transport calls, built
 * before the file's tests on a fresh migrated database (`database`) through a data source of
 * its own, and released, the database dropped, after them.
 */
export function messageHandlerUnderTest<S extends Initializable, H>(parts: {
  database: () => Promise<TestDatabase>;
  dataSource: (databaseUrl: string) => S;
  handler: (dataSource: S) => H;
}): MessageHandlerUnderTest<H> {
  let database: TestDatabase | undefined;
  let dataSource: S | undefined;
  let handler: H | undefined;

  beforeAll(async () => {
    database = await parts.database();
    dataSource = parts.dataSource(database.url);
    await dataSource.initialize();
    handler = parts.handler(dataSource);
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  const ready = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the message handler is not set up yet: read it inside a test or a hook');
    return value;
  };
  return {
    get databaseUrl() {
      return ready(database).url;
    },
    get handler() {
      return ready(handler);
    },
  };
}
