{{/* What the chart knows of the app (apps/pricing/src/config.ts): port, secret variables, who may call it. */}}
{{- define "pricing.app" -}}
port: 3003
database: true
kafka: true
secretEnv: [DATABASE_URL]
consumer:
  group: pricing
  groupEnv: PROJECTION_GROUP_ID
  topicsEnv: PROJECTION_TOPICS
ingressFrom: [gateway, reconciler]
{{- end -}}
