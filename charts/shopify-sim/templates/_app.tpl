{{/* What the chart knows of the app (apps/shopify-sim/src/config.ts): port, secret variables, who may call it. */}}
{{- define "shopify-sim.app" -}}
port: 3100
database: false
kafka: false
secretEnv: []
ingressFrom: namespace
# One replica: the simulator keeps its shop in memory.
singleReplica: true
{{- end -}}
