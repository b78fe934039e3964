{{/* What the chart knows of the app (apps/webhook-ingest/src/config.ts): port, secret variables, who may call it. */}}
{{- define "webhook-ingest.app" -}}
port: 3001
database: true
kafka: true
shopify: true
secretEnv: [DATABASE_URL, REDIS_URL, SHOPIFY_WEBHOOK_SECRETS]
optionalSecretEnv: [SHOPIFY_ACCESS_TOKEN]
ingressFrom: namespace
{{- end -}}
