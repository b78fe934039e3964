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

const EXTRA_ENV = {
  'webhook-ingest': {
    SHOPIFY_WEBHOOK_SECRETS: LOCAL_WEBHOOK_SECRET,
    SHOPIFY_SHOP: LOCAL_SHOP,
    SHOPIFY_ADMIN_URL: 'http://localhost:3100',
    SHOPIFY_ACCESS_TOKEN: LOCAL_ACCESS_TOKEN,
    WEBHOOK_CALLBACK_URL: 'http://localhost:3001/webhooks/shopify',
  },
  gateway: {
    MONOLITH_URL: 'http://localhost:3200',
    INVENTORY_URL: 'http://localhost:3002',
    PRICING_URL: 'http://localhost:3003',
    ADMIN_TOKEN: LOCAL_ADMIN_TOKEN,
    LEGACY_CART_TOKEN_SECRETS: LOCAL_CART_TOKEN_SECRET,
    RECONCILER_URL: 'http://localhost:3004',
  },
  reconciler: {
    SHOPIFY_SHOP: LOCAL_SHOP,
    SHOPIFY_ADMIN_URL: 'http://localhost:3100',
    SHOPIFY_ACCESS_TOKEN: LOCAL_ACCESS_TOKEN,
    INVENTORY_URL: 'http://localhost:3002',
    WEBHOOK_CALLBACK_URL: 'http://localhost:3001/webhooks/shopify',
  },
  // Shopify Plus's restore rate (1,000 points/s), so the monolith's first full catalogue poll
  // takes seconds on a laptop instead of minutes at the Standard plan's 100 points/s.
  'shopify-sim': { SIM_PLAN: 'plus' },
  'legacy-monolith': {
    SHOPIFY_SHOP: LOCAL_SHOP,
    SHOPIFY_ADMIN_URL: 'http://localhost:3100',
    SHOPIFY_ACCESS_TOKEN: LOCAL_ACCESS_TOKEN,
    LEGACY_CART_TOKEN_SECRETS: LOCAL_CART_TOKEN_SECRET,
  },
};

/** Environment for one app on this machine: infra from `npm run infra:up`; explicit env vars win. */
function localEnv(app, overrides = {}, base = process.env) {
  const spec = APPS[app];
  if (!spec) throw new Error(`unknown app ${app}; known: ${Object.keys(APPS).join(', ')}`);
  const env = {
    NODE_ENV: 'development',
    LOG_LEVEL: 'info',
    PORT: String(spec.port),
    ...(spec.postgres && { DATABASE_URL: `postgres://understudy:understudy@localhost:5432/understudy_${app.replace(/-/g, '_')}` }),
    ...(spec.redis && { REDIS_URL: 'redis://localhost:6379' }),
    ...(spec.kafka && { KAFKA_BROKERS: 'localhost:9092' }),
    ...EXTRA_ENV[app],
  };
  for (const name of Object.keys(env)) if (base[name]) env[name] = base[name];
  return { ...base, ...env, ...overrides };
}

module.exports = { APPS, localEnv, LOCAL_SHOP, LOCAL_WEBHOOK_SECRET, LOCAL_ACCESS_TOKEN, LOCAL_CART_TOKEN_SECRET, LOCAL_ADMIN_TOKEN };
