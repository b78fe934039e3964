{{/*
The container's environment: the names the app validates at boot (apps/<app>/src/config.ts).
Called with (dict "root" . "app" $app), where $app holds the chart's facts:
  port, kafka (bool), shopify (bool: SHOPIFY_SHOP/ADMIN_URL/API_VERSION from global.shopify), secretEnv (list of required secret variables), optionalSecretEnv,
  siblingUrls ({VAR: {chart, port}}: default http://<release>-<chart>:<port>), fieldRefEnv ({VAR: fieldPath}).
Plain settings come from .Values.env (each key an app variable, declared in values.schema.json);
secrets only by reference, key = variable name, from understudy.secretName.
*/}}
{{- define "understudy.env" -}}
{{- $root := .root -}}
{{- $app := .app -}}
{{- $env := $root.Values.env | default dict -}}
{{- $taken := list "NODE_ENV" "HOST" "PORT" -}}
- name: NODE_ENV
  value: production
- name: HOST
  value: "0.0.0.0"
- name: PORT
  value: {{ $app.port | quote }}
{{- if $app.kafka }}
{{- $brokers := $env.KAFKA_BROKERS | default $root.Values.global.kafka.brokers }}
{{- if not $brokers }}
{{- fail (printf "%s: set global.kafka.brokers (or env.KAFKA_BROKERS): host:port[,host:port…]" (include "understudy.name" $root)) }}
{{- end }}
- name: KAFKA_BROKERS
  value: {{ $brokers | quote }}
{{- $taken = append $taken "KAFKA_BROKERS" }}
{{- end }}
{{- if $app.shopify }}
{{- $shop := $env.SHOPIFY_SHOP | default $root.Values.global.shopify.shop }}
{{- if not $shop }}
{{- fail (printf "%s: set global.shopify.shop (or env.SHOPIFY_SHOP): the shop's *.myshopify.com domain" (include "understudy.name" $root)) }}
{{- end }}
- name: SHOPIFY_SHOP
  value: {{ $shop | quote }}
{{- with ($env.SHOPIFY_ADMIN_URL | default $root.Values.global.shopify.adminUrl) }}
- name: SHOPIFY_ADMIN_URL
  value: {{ . | quote }}
{{- end }}
{{- with ($env.SHOPIFY_API_VERSION | default $root.Values.global.shopify.apiVersion) }}
- name: SHOPIFY_API_VERSION
  value: {{ . | quote }}
{{- end }}
{{- $taken = concat $taken (list "SHOPIFY_SHOP" "SHOPIFY_ADMIN_URL" "SHOPIFY_API_VERSION") }}
{{- end }}
{{- range $name, $sibling := ($app.siblingUrls | default dict) }}
- name: {{ $name }}
  value: {{ get $env $name | default (printf "http://%s:%v" (include "understudy.siblingFullname" (dict "root" $root "chart" $sibling.chart)) $sibling.port) | quote }}
{{- $taken = append $taken $name }}
{{- end }}
{{- range $name, $path := ($app.fieldRefEnv | default dict) }}
{{- if not (get $env $name) }}
- name: {{ $name }}
  valueFrom:
    fieldRef:
      fieldPath: {{ $path }}
{{- $taken = append $taken $name }}
{{- end }}
{{- end }}
{{- range $name, $value := $env }}
{{- if and (not (has $name $taken)) (ne (toString $value) "") }}
- name: {{ $name }}
  value: {{ $value | toString | quote }}
{{- end }}
{{- end }}
{{- $secret := include "understudy.secretName" $root }}
{{- range $name := ($app.secretEnv | default list) }}
- name: {{ $name }}
  valueFrom:
    secretKeyRef:
      name: {{ $secret }}
      key: {{ $name }}
{{- end }}
{{- range $name := ($app.optionalSecretEnv | default list) }}
- name: {{ $name }}
  valueFrom:
    secretKeyRef:
      name: {{ $secret }}
      key: {{ $name }}
      optional: true
{{- end }}
{{- end -}}

{{/* Seconds Kubernetes waits after SIGTERM: the app's drain delay + shutdown timeout, plus a margin, so it never SIGKILLs a clean drain. */}}
{{- define "understudy.terminationGracePeriodSeconds" -}}
{{- $env := .Values.env | default dict -}}
{{- $drain := int (get $env "SHUTDOWN_DRAIN_DELAY_MS" | default 0) -}}
{{- $timeout := int (get $env "SHUTDOWN_TIMEOUT_MS" | default 10000) -}}
{{- add (div (add $drain $timeout 999) 1000) .Values.terminationGraceMarginSeconds -}}
{{- end -}}
