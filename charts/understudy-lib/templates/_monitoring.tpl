{{/* A Prometheus Operator ServiceMonitor scraping /metrics on the service's http port. */}}
{{- define "understudy.serviceMonitor" -}}
{{- $root := .root -}}
{{- if include "understudy.monitoringEnabled" $root -}}
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata:
  name: {{ include "understudy.fullname" $root }}
  namespace: {{ $root.Release.Namespace }}
  labels:
    {{- include "understudy.labels" $root | nindent 4 }}
    {{- with $root.Values.global.monitoring.labels }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
spec:
  selector:
    matchLabels:
      {{- include "understudy.selectorLabels" $root | nindent 6 }}
  namespaceSelector:
    matchNames: [{{ $root.Release.Namespace | quote }}]
  endpoints:
    - port: http
      path: /metrics
      # The apps label every series with service=<app>; keep theirs rather than the Service's name.
      honorLabels: true
      interval: {{ $root.Values.metrics.serviceMonitor.interval }}
      scrapeTimeout: {{ $root.Values.metrics.serviceMonitor.scrapeTimeout }}
{{- end -}}
{{- end -}}
