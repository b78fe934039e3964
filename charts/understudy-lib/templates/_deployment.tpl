{{/*
The service's Deployment. (dict "root" . "app" $app).
spec.replicas is left out when an autoscaler (HPA or KEDA) owns it, so an upgrade never resets the scale.
*/}}
{{- define "understudy.deployment" -}}
{{- $root := .root -}}
{{- $app := .app -}}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "understudy.fullname" $root }}
  namespace: {{ $root.Release.Namespace }}
  labels:
    {{- include "understudy.labels" $root | nindent 4 }}
  {{- if or (eq (include "understudy.autoscaler" $root) "keda") $app.singleReplica }}
  annotations:
    # kube-score cannot see the HPA KEDA makes at run time, nor that one replica is this service's design.
    kube-score/ignore: deployment-replicas
  {{- end }}
spec:
  {{- if not (include "understudy.autoscaler" $root) }}
  replicas: {{ $root.Values.replicaCount }}
  {{- end }}
  revisionHistoryLimit: 5
  selector:
    matchLabels:
      {{- include "understudy.selectorLabels" $root | nindent 6 }}
  strategy:
    type: RollingUpdate
    rollingUpdate:
      maxUnavailable: {{ $root.Values.rollingUpdate.maxUnavailable }}
      maxSurge: {{ $root.Values.rollingUpdate.maxSurge }}
  template:
    metadata:
      labels:
        {{- include "understudy.labels" $root | nindent 8 }}
      {{- with $root.Values.podAnnotations }}
      annotations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
    spec:
      serviceAccountName: {{ include "understudy.serviceAccountName" $root }}
      automountServiceAccountToken: false
      enableServiceLinks: false
      terminationGracePeriodSeconds: {{ include "understudy.terminationGracePeriodSeconds" $root }}
      securityContext:
        {{- include "understudy.podSecurityContext" $root | nindent 8 }}
      {{- with include "understudy.imagePullSecrets" $root | trim }}
      {{- . | nindent 6 }}
      {{- end }}
      {{- include "understudy.scheduling" $root | trim | nindent 6 }}
      containers:
        - name: {{ include "understudy.name" $root }}
          image: {{ include "understudy.image" $root }}
          imagePullPolicy: {{ $root.Values.image.pullPolicy }}
          ports:
            - name: http
              containerPort: {{ $app.port }}
              protocol: TCP
          env:
            {{- include "understudy.env" (dict "root" $root "app" $app) | nindent 12 }}
          {{- include "understudy.probes" $root | nindent 10 }}
          resources:
            {{- toYaml $root.Values.resources | nindent 12 }}
          securityContext:
            {{- include "understudy.containerSecurityContext" $root | nindent 12 }}
          volumeMounts:
            - name: tmp
              mountPath: /tmp
      volumes:
        # The root filesystem is read-only; Node and the apps write temporary files here only.
        - name: tmp
          emptyDir:
            sizeLimit: {{ $root.Values.tmpSizeLimit }}
{{- end -}}

{{- define "understudy.service" -}}
{{- $root := .root -}}
apiVersion: v1
kind: Service
metadata:
  name: {{ include "understudy.fullname" $root }}
  namespace: {{ $root.Release.Namespace }}
  labels:
    {{- include "understudy.labels" $root | nindent 4 }}
spec:
  type: {{ $root.Values.service.type }}
  selector:
    {{- include "understudy.selectorLabels" $root | nindent 4 }}
  ports:
    - name: http
      port: {{ .app.port }}
      targetPort: http
      protocol: TCP
{{- end -}}

{{- define "understudy.serviceAccount" -}}
{{- $root := .root -}}
{{- if $root.Values.serviceAccount.create -}}
apiVersion: v1
kind: ServiceAccount
metadata:
  name: {{ include "understudy.serviceAccountName" $root }}
  namespace: {{ $root.Release.Namespace }}
  labels:
    {{- include "understudy.labels" $root | nindent 4 }}
automountServiceAccountToken: false
{{- end -}}
{{- end -}}

{{/* The service's Secret, only when asked for (secrets.create): by default the chart references secrets.existingSecret and never holds a secret value. */}}
{{- define "understudy.secret" -}}
{{- $root := .root -}}
{{- if $root.Values.secrets.create -}}
{{- if $root.Values.secrets.existingSecret -}}
{{- fail (printf "%s: secrets.create and secrets.existingSecret are both set; reference the existing Secret or let the chart make one, not both" (include "understudy.name" $root)) -}}
{{- end -}}
{{- $values := $root.Values.secrets.values | default dict -}}
{{- range $name := (.app.secretEnv | default list) -}}
{{- if not (get $values $name) -}}
{{- fail (printf "%s: secrets.create needs secrets.values.%s" (include "understudy.name" $root) $name) -}}
{{- end -}}
{{- end -}}
apiVersion: v1
kind: Secret
metadata:
  name: {{ include "understudy.fullname" $root }}
  namespace: {{ $root.Release.Namespace }}
  labels:
    {{- include "understudy.labels" $root | nindent 4 }}
  annotations:
    # Made before the migration hook Job, which reads DATABASE_URL from it.
    helm.sh/hook: pre-install,pre-upgrade
    helm.sh/hook-weight: "-10"
    helm.sh/hook-delete-policy: before-hook-creation
type: Opaque
stringData:
  {{- range $name, $value := $values }}
  {{ $name }}: {{ $value | toString | quote }}
  {{- end }}
{{- end -}}
{{- end -}}
