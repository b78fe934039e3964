import type { ServiceDefinition } from '@understudy/platform';
import type { Config } from './config';
import { migrations } from './migrations';
import { MonolithModule } from './monolith.module';

/** The monolith as main.ts runs it; integration tests build the same thing with their own config. */
export function monolithService(config: Config): ServiceDefinition<Config> {
  return {
    service: 'legacy-monolith',
    title: 'Understudy legacy monolith',
    description:
      'The reference monolith with the checkout endpoints the gateway fronts. Its catalogue is polled from the Admin API every minute; ' +
      'its money is floating point and its cart tokens are its own (lm1.…) — quirks the gateway has to surface.',
    config,
    dependencies: {
      postgres: { url: config.DATABASE_URL, migrations, poolSize: 20 },
    },
    imports: [MonolithModule],
  };
}
