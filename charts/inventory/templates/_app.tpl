{{/* What the chart knows of the app (apps/inventory/src/config.ts): port, secret variables, who may call it. */}}
{{- define "inventory.app" -}}
port: 3002
database: true
kafka: true
secretEnv: [DATABASE_URL]
consumer:
  group: inventory
  groupEnv: PROJECTION_GROUP_ID
  topicsEnv: PROJECTION_TOPICS
ingressFrom: [gateway, reconciler]
{{- end -}}
