import { loadConfig } from '@understudy/config';
import { createSimulatorService } from '../src/app';
import { configSchema } from '../src/config';

type Service = Awaited<ReturnType<typeof createSimulatorService>>;

const SECRET = 'control-access-secret';
const TOKEN = 'shpat_control_access';

async function start(access?: 'loopback' | 'any'): Promise<Service> {
  const config = loadConfig(configSchema, {
    PORT: '3100',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    SIM_APP_SECRET: SECRET,
    SIM_ACCESS_TOKENS: TOKEN,
    SIM_SEED_VARIANTS: '10',
    ...(access && { SIM_CONTROL_ACCESS: access }),
  });
  return createSimulatorService(config);
}

/** A request as the real server sees it, from `remoteAddress`. */
const call = (service: Service, url: string, remoteAddress: string, method: 'GET' | 'POST' = 'GET', payload?: unknown) =>
  service.app
    .getHttpAdapter()
    .getInstance()
    .inject({ method, url, remoteAddress, ...(payload !== undefined && { payload: JSON.stringify(payload), headers: { 'content-type': 'application/json' } }) });

describe('the simulator control API (/_sim/*)', () => {
  let service: Service;
  beforeAll(async () => (service = await start()));
  afterAll(async () => service?.app.close());

  it('answers clients on this machine only, by default; the Admin API stays open to all', async () => {
    const remote = await call(service, '/_sim/settings', '10.1.2.3');
    expect(remote.statusCode).toBe(403);
    expect(remote.json()).toMatchObject({ error: { code: 'CONTROL_API_LOOPBACK_ONLY' } });
    expect((await call(service, '/_sim/reset', '10.1.2.3', 'POST', {})).statusCode).toBe(403);
    for (const local of ['127.0.0.1', '::1', '::ffff:127.0.0.1']) expect((await call(service, '/_sim/settings', local)).statusCode).toBe(200);

    // Not a control route: a remote client reaches the Admin API (and is refused for its token, not its address).
    const admin = await call(service, '/admin/api/2026-10/graphql.json', '10.1.2.3', 'POST', { query: '{ shop { name } }' });
    expect(admin.statusCode).toBe(401);
  });

  it('never returns the app secret or the access tokens', async () => {
    const settings = await call(service, '/_sim/settings', '127.0.0.1');
    expect(settings.body).not.toContain(SECRET);
    expect(settings.body).not.toContain(TOKEN);
    expect(settings.json()).toMatchObject({ accessTokens: 1, timeScale: expect.any(Number) });
    expect(settings.json()).not.toHaveProperty('appSecret');

    const seeded = await call(service, '/_sim/seed', '127.0.0.1', 'POST', { variants: 5 });
    expect(seeded.statusCode).toBe(201);
    expect(seeded.body).not.toContain(TOKEN);
  });

  it('opens to every client with SIM_CONTROL_ACCESS=any', async () => {
    const open = await start('any');
    try {
      expect((await call(open, '/_sim/settings', '10.1.2.3')).statusCode).toBe(200);
    } finally {
      await open.app.close();
    }
  });
});
