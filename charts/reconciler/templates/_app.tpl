{{/* What the chart knows of the app (apps/reconciler/src/config.ts): port, secret variables, who may call it. */}}
{{- define "reconciler.app" -}}
port: 3004
database: true
kafka: true
shopify: true
secretEnv: [DATABASE_URL, SHOPIFY_ACCESS_TOKEN]
siblingUrls:
  INVENTORY_URL: {chart: inventory, port: 3002}
  PRICING_URL: {chart: pricing, port: 3003}
ingressFrom: namespace
# One replica: the reconciler owns the shop's Admin API budget (and one run per domain at a time).
singleReplica: true
{{- end -}}
