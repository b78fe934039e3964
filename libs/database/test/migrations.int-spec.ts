import { createTestDatabase, type TestDatabase } from '@understudy/testing';
import { Column, Entity, type MigrationInterface, PrimaryColumn, type QueryRunner } from 'typeorm';
import { createDataSource, pendingSchemaChanges, postgresProbe, runMigrations } from '../src';

@Entity({ name: 'widgets' })
class Widget {
  @PrimaryColumn({ type: 'text' }) id!: string;
  @Column({ type: 'integer' }) quantity!: number;
}

@Entity({ name: 'widgets' })
class WidgetWithColour {
  @PrimaryColumn({ type: 'text' }) id!: string;
  @Column({ type: 'integer' }) quantity!: number;
  @Column({ type: 'text' }) colour!: string;
}

class CreateWidgets1700000000000 implements MigrationInterface {
  name = 'CreateWidgets1700000000000';
  async up(runner: QueryRunner): Promise<void> {
    await runner.query('CREATE TABLE "widgets" ("id" text PRIMARY KEY, "quantity" integer NOT NULL)');
  }
  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE "widgets"');
  }
}

describe('migrations on a real PostgreSQL', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase('migrations');
  });
  afterAll(async () => database.drop());

  it('applies pending migrations once; running again is a no-op', async () => {
    const dataSource = createDataSource({ url: database.url, migrations: [CreateWidgets1700000000000], entities: [Widget] });
    await dataSource.initialize();
    try {
      expect(await runMigrations(dataSource)).toEqual(['CreateWidgets1700000000000']);
      expect(await runMigrations(dataSource)).toEqual([]);
      await dataSource.query(`INSERT INTO widgets (id, quantity) VALUES ('w1', 3)`);
      expect(await pendingSchemaChanges(dataSource)).toEqual([]);
      await expect(postgresProbe(dataSource).check()).resolves.toBeUndefined();
    } finally {
      await dataSource.destroy();
    }
  });

  it('detects an entity that changed without a migration', async () => {
    const dataSource = createDataSource({ url: database.url, migrations: [CreateWidgets1700000000000], entities: [WidgetWithColour] });
    await dataSource.initialize();
    try {
      const changes = await pendingSchemaChanges(dataSource);
      expect(changes.join('\n')).toMatch(/ALTER TABLE "widgets" ADD "colour"/);
    } finally {
      await dataSource.destroy();
    }
  });

  it('reports an unreachable server through its probe instead of hanging', async () => {
    const dataSource = createDataSource({ url: 'postgres://understudy:understudy@127.0.0.1:1/none', migrations: [] });
    await expect(postgresProbe(dataSource).check()).rejects.toThrow();
  });
});
