{{/* What the chart knows of the app (apps/legacy-monolith/src/config.ts): port, secret variables, who may call it. */}}
{{- define "legacy-monolith.app" -}}
port: 3200
database: true
kafka: false
shopify: true
secretEnv: [DATABASE_URL, SHOPIFY_ACCESS_TOKEN, LEGACY_CART_TOKEN_SECRETS]
ingressFrom: [gateway]
# One replica: a reference monolith for staging and demos.
singleReplica: true
{{- end -}}
