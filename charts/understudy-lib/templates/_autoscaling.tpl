{{- define "understudy.hpa" -}}
{{- $root := .root -}}
{{- if eq (include "understudy.autoscaler" $root) "hpa" -}}
{{- $a := $root.Values.autoscaling -}}
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: {{ include "understudy.fullname" $root }}
  namespace: {{ $root.Release.Namespace }}
  labels:
    {{- include "understudy.labels" $root | nindent 4 }}
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: {{ include "understudy.fullname" $root }}
  minReplicas: {{ $a.minReplicas }}
  maxReplicas: {{ $a.maxReplicas }}
  metrics:
    - type: Resource
      resource:
        name: cpu
        target:
          type: Utilization
          averageUtilization: {{ $a.targetCPUUtilizationPercentage }}
  behavior:
    # Flash sales: scale up at once, scale down slowly.
    scaleUp:
      stabilizationWindowSeconds: 0
      policies:
        - type: Percent
          value: 100
          periodSeconds: 15
    scaleDown:
      stabilizationWindowSeconds: {{ $a.scaleDownStabilizationSeconds }}
{{- end -}}
{{- end -}}

{{/*
KEDA ScaledObject on the module's Kafka consumer-group lag (one group per module).
lagThreshold is a string, as KEDA's kafka scaler reads its metadata.
*/}}
{{- define "understudy.scaledObject" -}}
{{- $root := .root -}}
{{- if eq (include "understudy.autoscaler" $root) "keda" -}}
{{- $k := $root.Values.keda -}}
{{- $app := .app -}}
{{- $env := $root.Values.env | default dict -}}
{{- $group := get $env $app.consumer.groupEnv | default $app.consumer.group -}}
{{- /* No topic: KEDA sums the lag of every topic the group consumes, so the app's topic list has no copy here. */ -}}
{{- $topics := list "" -}}
{{- with get $env ($app.consumer.topicsEnv | default "") }}{{ $topics = splitList "," (. | nospace) }}{{ end -}}
apiVersion: keda.sh/v1alpha1
kind: ScaledObject
metadata:
  name: {{ include "understudy.fullname" $root }}
  namespace: {{ $root.Release.Namespace }}
  labels:
    {{- include "understudy.labels" $root | nindent 4 }}
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: {{ include "understudy.fullname" $root }}
  minReplicaCount: {{ $k.minReplicaCount }}
  maxReplicaCount: {{ $k.maxReplicaCount }}
  pollingInterval: {{ $k.pollingInterval }}
  cooldownPeriod: {{ $k.cooldownPeriod }}
  triggers:
    {{- range $topic := $topics }}
    - type: kafka
      metadata:
        bootstrapServers: {{ get $env "KAFKA_BROKERS" | default $root.Values.global.kafka.brokers | quote }}
        consumerGroup: {{ $group | quote }}
        {{- with $topic }}
        topic: {{ . | quote }}
        {{- end }}
        lagThreshold: {{ $k.lagThreshold | toString | quote }}
        offsetResetPolicy: earliest
    {{- end }}
{{- end -}}
{{- end -}}

{{/* A PodDisruptionBudget, with maxUnavailable so a drain never stalls on a single-replica install. */}}
{{- define "understudy.pdb" -}}
{{- $root := .root -}}
{{- if $root.Values.pdb.enabled -}}
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: {{ include "understudy.fullname" $root }}
  namespace: {{ $root.Release.Namespace }}
  labels:
    {{- include "understudy.labels" $root | nindent 4 }}
spec:
  maxUnavailable: {{ $root.Values.pdb.maxUnavailable }}
  selector:
    matchLabels:
      {{- include "understudy.selectorLabels" $root | nindent 6 }}
{{- end -}}
{{- end -}}
