{{/*
Names and labels. Every service chart calls these with its root context.
Selectors carry name + instance only (immutable fields must not change on upgrade);
the full label set adds version, chart, component and part-of.
*/}}

{{- define "understudy.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* <release>-<chart>, or the release name alone when it already contains the chart name. */}}
{{- define "understudy.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := include "understudy.name" . -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* The fullname another Understudy chart of the same release gets by default: (dict "root" . "chart" "inventory"). */}}
{{- define "understudy.siblingFullname" -}}
{{- $root := .root -}}
{{- if contains .chart $root.Release.Name -}}
{{- $root.Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" $root.Release.Name .chart | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "understudy.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "understudy.selectorLabels" -}}
app.kubernetes.io/name: {{ include "understudy.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "understudy.labels" -}}
helm.sh/chart: {{ include "understudy.chart" . }}
{{ include "understudy.selectorLabels" . }}
app.kubernetes.io/version: {{ include "understudy.imageTag" . | quote }}
app.kubernetes.io/component: {{ .Values.component | default "service" }}
app.kubernetes.io/part-of: understudy
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{- define "understudy.imageTag" -}}
{{- .Values.image.tag | default .Values.global.imageTag | default .Chart.AppVersion -}}
{{- end -}}

{{- define "understudy.image" -}}
{{- $registry := .Values.image.registry | default .Values.global.imageRegistry -}}
{{- if $registry -}}
{{- printf "%s/%s:%s" $registry .Values.image.repository (include "understudy.imageTag" .) -}}
{{- else -}}
{{- printf "%s:%s" .Values.image.repository (include "understudy.imageTag" .) -}}
{{- end -}}
{{- end -}}

{{- define "understudy.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- .Values.serviceAccount.name | default (include "understudy.fullname" .) -}}
{{- else -}}
{{- .Values.serviceAccount.name | default "default" -}}
{{- end -}}
{{- end -}}

{{/* The Secret the service's secret variables come from: existingSecret, else the chart-made one, else <fullname>. */}}
{{- define "understudy.secretName" -}}
{{- .Values.secrets.existingSecret | default (include "understudy.fullname" .) -}}
{{- end -}}

{{/* HPA or KEDA: which autoscaler owns spec.replicas ("" for none). The two are never both enabled. */}}
{{- define "understudy.autoscaler" -}}
{{- $hpa := and (hasKey .Values "autoscaling") .Values.autoscaling.enabled -}}
{{- $keda := and (hasKey .Values "keda") .Values.keda.enabled -}}
{{- if and $hpa $keda -}}
{{- fail (printf "%s: autoscaling.enabled and keda.enabled are both true; choose one autoscaler (KEDA makes its own HPA)" (include "understudy.name" .)) -}}
{{- else if $hpa -}}hpa
{{- else if $keda -}}keda
{{- end -}}
{{- end -}}

{{- define "understudy.monitoringEnabled" -}}
{{- if or .Values.metrics.serviceMonitor.enabled .Values.global.monitoring.enabled -}}true{{- end -}}
{{- end -}}
