import { Controller, Get, Inject, Module } from '@nestjs/common';
import type { DataSource } from '@understudy/database';
import { createTestDatabase, type TestDatabase, waitFor } from '@understudy/testing';
import { createService, DATA_SOURCE, type RunningService } from '../src';

@Controller('probe')
class SlowController {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  @Get('slow')
  slow() {
    return this.dataSource.query('SELECT pg_sleep(5)');
  }

  @Get('locked')
  async locked() {
    await this.dataSource.query('CREATE TABLE IF NOT EXISTS probe_locked (id int PRIMARY KEY)');
    await this.dataSource.query('INSERT INTO probe_locked VALUES (1) ON CONFLICT DO NOTHING');
    const holder = this.dataSource.createQueryRunner();
    await holder.connect();
    await holder.startTransaction();
    try {
      await holder.query('SELECT * FROM probe_locked WHERE id = 1 FOR UPDATE');
      return await this.dataSource.query('UPDATE probe_locked SET id = 1 WHERE id = 1');
    } finally {
      await holder.rollbackTransaction();
      await holder.release();
    }
  }
}

@Module({ controllers: [SlowController] })
class SlowModule {}

/** The deadlines in the app's config reach its pool, and what they cut short is a 503 with the reason, never a 500. */
describe('database deadlines through a service', () => {
  let database: TestDatabase;
  let service: RunningService;

  beforeAll(async () => {
    database = await createTestDatabase('platform_deadlines');
    service = await createService({
      service: 'deadlines-it',
      title: 'test',
      description: 'test',
      config: {
        PORT: 0,
        HOST: '127.0.0.1',
        LOG_LEVEL: 'silent',
        SHUTDOWN_TIMEOUT_MS: 5_000,
        SHUTDOWN_DRAIN_DELAY_MS: 0,
        DATABASE_STATEMENT_TIMEOUT_MS: 300,
        DATABASE_LOCK_TIMEOUT_MS: 100,
      },
      dependencies: { postgres: { url: database.url, migrations: [] } },
      imports: [SlowModule],
    });
    await waitFor(() => service.app.get<DataSource>(DATA_SOURCE).isInitialized, { what: 'the data source' });
  });

  afterAll(async () => {
    await service?.app.close();
    await database?.drop();
  });

  const get = (url: string) => service.app.getHttpAdapter().getInstance().inject({ method: 'GET', url });

  it('answers a statement cut by statement_timeout with 503 statement_timeout', async () => {
    const answer = await get('/probe/slow');
    expect({ status: answer.statusCode, body: answer.json() }).toEqual({
      status: 503,
      body: { error: { code: 'DATABASE_UNAVAILABLE', message: expect.stringContaining('statement timeout'), details: { reason: 'statement_timeout', sqlState: '57014' } } },
    });
  });

  it('answers a lock wait cut by lock_timeout with 503 lock_timeout', async () => {
    const answer = await get('/probe/locked');
    expect({ status: answer.statusCode, details: answer.json().error?.details }).toEqual({ status: 503, details: { reason: 'lock_timeout', sqlState: '55P03' } });
  });
});
