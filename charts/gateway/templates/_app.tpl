{{/* What the chart knows of the app (apps/gateway/src/config.ts): port, secret variables, upstreams, who may call it. */}}
{{- define "gateway.app" -}}
port: 3000
database: true
kafka: false
secretEnv: [DATABASE_URL, REDIS_URL, ADMIN_TOKEN, LEGACY_CART_TOKEN_SECRETS]
siblingUrls:
  MONOLITH_URL: {chart: legacy-monolith, port: 3200}
  INVENTORY_URL: {chart: inventory, port: 3002}
  PRICING_URL: {chart: pricing, port: 3003}
fieldRefEnv:
  GATEWAY_REPLICA_ID: metadata.name
ingressFrom: anywhere
{{- end -}}
