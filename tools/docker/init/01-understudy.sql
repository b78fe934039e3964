-- Same role and databases tools/infra/infra.sh creates (keep the two lists in step).
-- Run by the postgres image's entrypoint (psql, as the superuser) on the first start of an
-- empty volume. Idempotent anyway, so it can also be piped into psql by hand.
SELECT 'CREATE ROLE understudy LOGIN CREATEDB PASSWORD ''understudy'''
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'understudy')
\gexec

SELECT format('CREATE DATABASE %I OWNER understudy', db)
FROM unnest(ARRAY[
  'understudy_gateway',
  'understudy_webhook_ingest',
  'understudy_inventory',
  'understudy_pricing',
  'understudy_reconciler',
  'understudy_shopify_sim',
  'understudy_legacy_monolith'
]) AS db
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = db)
\gexec
