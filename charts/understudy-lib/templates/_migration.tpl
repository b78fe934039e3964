{{/*
Migrations as a hook Job: `main.js --migrate` applies the app's pending TypeORM migrations and exits,
before the new pods start (pre-install, pre-upgrade). It gets the service's full environment because the
app validates all of it at boot. Its pods carry their own name label, so the Service never selects them.
*/}}
{{- define "understudy.migrationJob" -}}
{{- $root := .root -}}
{{- $app := .app -}}
{{- if and $app.database $root.Values.migrations.enabled -}}
{{- $name := printf "%s-migrate" (include "understudy.fullname" $root) | trunc 63 | trimSuffix "-" -}}
apiVersion: batch/v1
kind: Job
metadata:
  name: {{ $name }}
  namespace: {{ $root.Release.Namespace }}
  labels:
    {{- include "understudy.labels" $root | nindent 4 }}
  annotations:
    helm.sh/hook: pre-install,pre-upgrade
    helm.sh/hook-weight: "0"
    helm.sh/hook-delete-policy: before-hook-creation,hook-succeeded
spec:
  backoffLimit: {{ $root.Values.migrations.backoffLimit }}
  activeDeadlineSeconds: {{ $root.Values.migrations.activeDeadlineSeconds }}
  ttlSecondsAfterFinished: 3600
  template:
    metadata:
      labels:
        app.kubernetes.io/name: {{ printf "%s-migrate" (include "understudy.name" $root) }}
        app.kubernetes.io/instance: {{ $root.Release.Name }}
        app.kubernetes.io/component: migration
        app.kubernetes.io/part-of: understudy
    spec:
      restartPolicy: Never
      automountServiceAccountToken: false
      enableServiceLinks: false
      securityContext:
        {{- include "understudy.podSecurityContext" $root | nindent 8 }}
      {{- with include "understudy.imagePullSecrets" $root | trim }}
      {{- . | nindent 6 }}
      {{- end }}
      containers:
        - name: migrate
          image: {{ include "understudy.image" $root }}
          imagePullPolicy: {{ $root.Values.image.pullPolicy }}
          args: ["--migrate"]
          env:
            {{- include "understudy.env" (dict "root" $root "app" $app) | nindent 12 }}
          resources:
            {{- toYaml $root.Values.migrations.resources | nindent 12 }}
          securityContext:
            {{- include "understudy.containerSecurityContext" $root | nindent 12 }}
          volumeMounts:
            - name: tmp
              mountPath: /tmp
      volumes:
        - name: tmp
          emptyDir:
            sizeLimit: 64Mi
{{- end -}}
{{- end -}}
