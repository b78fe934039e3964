{{/*
Who may call the service. app.ingressFrom is the chart's fact:
  "anywhere"             — the gateway, the platform's front door;
  "namespace"            — any pod of the release's namespace;
  a list of chart names  — only those Understudy services of the same release (modules: gateway, reconciler).
networkPolicy.extraIngress adds peers (an ingress controller's namespace for webhook-ingest, say), and
with monitoring on, Prometheus' namespace may scrape. Egress is left open (Shopify, the database and
Kafka live at addresses the chart cannot know); networkPolicy.egress narrows it.
*/}}
{{- define "understudy.networkPolicy" -}}
{{- $root := .root -}}
{{- $app := .app -}}
{{- $np := $root.Values.networkPolicy -}}
{{- if or $np.enabled $root.Values.global.networkPolicy.enabled -}}
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: {{ include "understudy.fullname" $root }}
  namespace: {{ $root.Release.Namespace }}
  labels:
    {{- include "understudy.labels" $root | nindent 4 }}
spec:
  podSelector:
    matchLabels:
      {{- include "understudy.selectorLabels" $root | nindent 6 }}
  policyTypes: [Ingress, Egress]
  ingress:
    {{- if eq (toString $app.ingressFrom) "anywhere" }}
    - ports:
        - port: http
          protocol: TCP
    {{- else }}
    - ports:
        - port: http
          protocol: TCP
      from:
        {{- if eq (toString $app.ingressFrom) "namespace" }}
        - podSelector: {}
        {{- else }}
        {{- range $chart := $app.ingressFrom }}
        - podSelector:
            matchLabels:
              app.kubernetes.io/name: {{ $chart }}
              app.kubernetes.io/instance: {{ $root.Release.Name }}
        {{- end }}
        {{- end }}
        {{- with $np.extraIngress }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
    {{- end }}
    {{- if include "understudy.monitoringEnabled" $root }}
    - ports:
        - port: http
          protocol: TCP
      from:
        - namespaceSelector:
            matchLabels:
              {{- toYaml $root.Values.global.monitoring.namespaceLabels | nindent 14 }}
    {{- end }}
  egress:
    {{- if $np.egress }}
    {{- toYaml $np.egress | nindent 4 }}
    {{- else }}
    - {}
    {{- end }}
{{- if and $app.database $root.Values.migrations.enabled }}
---
# The migration Job's pods take no traffic at all.
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: {{ printf "%s-migrate" (include "understudy.fullname" $root) | trunc 63 | trimSuffix "-" }}
  namespace: {{ $root.Release.Namespace }}
  labels:
    {{- include "understudy.labels" $root | nindent 4 }}
spec:
  podSelector:
    matchLabels:
      app.kubernetes.io/name: {{ printf "%s-migrate" (include "understudy.name" $root) }}
      app.kubernetes.io/instance: {{ $root.Release.Name }}
  policyTypes: [Ingress, Egress]
  ingress: []
  egress:
    {{- if $np.egress }}
    {{- toYaml $np.egress | nindent 4 }}
    {{- else }}
    - {}
    {{- end }}
{{- end }}
{{- end -}}
{{- end -}}
