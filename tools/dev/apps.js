// The apps, their ports and what they depend on, and the environment each
// gets on a laptop. One table for `npm start`, `nx run <app>:serve`,
// migrations and the boot test, so they cannot drift apart.
const APPS = {
  gateway: { port: 3000, postgres: true, redis: true, kafka: false },
  'webhook-ingest': { port: 3001, postgres: true, redis: true, kafka: true },
  inventory: { port: 3002, postgres: true, redis: false, kafka: true },
  pricing: { port: 3003, postgres: true, redis: false, kafka: true },
  reconciler: { port: 3004, postgres: true, redis: false, kafka: true },
  'shopify-sim': { port: 3100, postgres: false, redis: false, kafka: false },
  'legacy-monolith': { port: 3200, postgres: true, redis: false, kafka: false },
};

/** Shared local values: the simulator signs with this secret and serves this shop. */
const LOCAL_SHOP = 'understudy-demo.myshopify.com';
const LOCAL_WEBHOOK_SECRET = 'understudy-dev-app-secret';
const LOCAL_ACCESS_TOKEN = 'shpat_understudy_dev';
/** The monolith signs cart tokens with this; the gateway verifies them with it (token migration). */
const LOCAL_CART_TOKEN_SECRET = 'understudy-local-cart-token-secret';
/** Bearer token of the gateway's admin API on a laptop. */
const LOCAL_ADMIN_TOKEN = 'understudy-local-admin-token';

/**
 * Where this machine's copy of the platform lives. By default the well-known ports of the table
 * above and the databases `understudy_<app>`, with the catalogue's Kafka topics. Two knobs let a
 * second copy run beside it on the same PostgreSQL, Redis and Kafka without touching the first:
 * `UNDERSTUDY_PORT_BASE=41700` puts the seven apps on consecutive ports from there (in the table's
 * order), and `UNDERSTUDY_INSTANCE=demo` names its databases `understudy_demo_<app>`, puts
 * `demo.` in front of every Kafka topic and consumer group, and so keeps its facts apart.
 */
function layoutOf(base = process.env) {
  const instance = base.UNDERSTUDY_INSTANCE ?? '';
  if (!/^([a-z][a-z0-9_]{0,29})?$/.test(instance)) throw new Error(`UNDERSTUDY_INSTANCE must be lower-case letters, digits and "_" (at most 30, starting with a letter); got ${JSON.stringify(instance)}`);
  const portBase = base.UNDERSTUDY_PORT_BASE;
  if (portBase !== undefined && portBase !== '' && !(/^\d+$/.test(portBase) && Number(portBase) >= 1024 && Number(portBase) <= 65535 - Object.keys(APPS).length)) {
    throw new Error(`UNDERSTUDY_PORT_BASE must be a port number from 1024 up; got ${JSON.stringify(portBase)}`);
  }
  const ports = Object.fromEntries(Object.entries(APPS).map(([app, spec], i) => [app, portBase ? Number(portBase) + i : spec.port]));
  return {
    instance,
    ports,
    url: (app) => `http://localhost:${ports[app]}`,
    database: (app) => `understudy_${instance ? `${instance}_` : ''}${app.replace(/-/g, '_')}`,
    /** In front of every Kafka topic and consumer group ('' by default). */
    kafkaPrefix: instance ? `${instance}.` : '',
  };
}

function extraEnv(app, layout) {
  const { url, kafkaPrefix } = layout;
  const topics = kafkaPrefix ? { KAFKA_TOPIC_PREFIX: kafkaPrefix } : {};
  const env = {
    'webhook-ingest': {
      SHOPIFY_WEBHOOK_SECRETS: LOCAL_WEBHOOK_SECRET,
      SHOPIFY_SHOP: LOCAL_SHOP,
      SHOPIFY_ADMIN_URL: url('shopify-sim'),
      SHOPIFY_ACCESS_TOKEN: LOCAL_ACCESS_TOKEN,
      WEBHOOK_CALLBACK_URL: `${url('webhook-ingest')}/webhooks/shopify`,
      ...topics,
    },
    gateway: {
      MONOLITH_URL: url('legacy-monolith'),
      INVENTORY_URL: url('inventory'),
      PRICING_URL: url('pricing'),
      ADMIN_TOKEN: LOCAL_ADMIN_TOKEN,
      LEGACY_CART_TOKEN_SECRETS: LOCAL_CART_TOKEN_SECRET,
      RECONCILER_URL: url('reconciler'),
    },
    inventory: { ...topics, ...(kafkaPrefix && { PROJECTION_GROUP_ID: `${kafkaPrefix}inventory` }) },
    pricing: { ...topics, ...(kafkaPrefix && { PROJECTION_GROUP_ID: `${kafkaPrefix}pricing` }) },
    reconciler: {
      SHOPIFY_SHOP: LOCAL_SHOP,
      SHOPIFY_ADMIN_URL: url('shopify-sim'),
      SHOPIFY_ACCESS_TOKEN: LOCAL_ACCESS_TOKEN,
      INVENTORY_URL: url('inventory'),
      WEBHOOK_CALLBACK_URL: `${url('webhook-ingest')}/webhooks/shopify`,
      ...topics,
    },
    // Shopify Plus's restore rate (1,000 points/s), so the monolith's first full catalogue poll
    // takes seconds on a laptop instead of minutes at the Standard plan's 100 points/s.
    'shopify-sim': { SIM_PLAN: 'plus' },
    'legacy-monolith': {
      SHOPIFY_SHOP: LOCAL_SHOP,
      SHOPIFY_ADMIN_URL: url('shopify-sim'),
      SHOPIFY_ACCESS_TOKEN: LOCAL_ACCESS_TOKEN,
      LEGACY_CART_TOKEN_SECRETS: LOCAL_CART_TOKEN_SECRET,
    },
  };
  return env[app];
}

/** Environment for one app on this machine: infra from `npm run infra:up`; explicit env vars win. */
function localEnv(app, overrides = {}, base = process.env) {
  const spec = APPS[app];
  if (!spec) throw new Error(`unknown app ${app}; known: ${Object.keys(APPS).join(', ')}`);
  const layout = layoutOf(base);
  const env = {
    NODE_ENV: 'development',
    LOG_LEVEL: 'info',
    PORT: String(layout.ports[app]),
    ...(spec.postgres && { DATABASE_URL: `postgres://understudy:understudy@localhost:5432/${layout.database(app)}` }),
    ...(spec.redis && { REDIS_URL: 'redis://localhost:6379' }),
    ...(spec.kafka && { KAFKA_BROKERS: 'localhost:9092' }),
    ...extraEnv(app, layout),
  };
  for (const name of Object.keys(env)) if (base[name]) env[name] = base[name];
  return { ...base, ...env, ...overrides };
}

module.exports = { APPS, layoutOf, localEnv, LOCAL_SHOP, LOCAL_WEBHOOK_SECRET, LOCAL_ACCESS_TOKEN, LOCAL_CART_TOKEN_SECRET, LOCAL_ADMIN_TOKEN };
