#!/usr/bin/env bash
# Installs the chart-checking tools into the project's gitignored .tools/ folder, from the
# package registries only (Go module proxy, PyPI), and reuses them when they are already there:
#   .tools/go/bin/{helm,kubeconform,kube-score,helm-unittest}   built from source with Go
#   .tools/venv/k8s                                             kubernetes-validate (offline Kubernetes JSON schemas)
# Go's module and build caches are Go's own (~/go/pkg/mod, ~/.cache/go-build): a fresh clone on a
# machine that built them before (CI after a session) links in seconds; a fresh machine builds all.
set -Eeuo pipefail
cd "$(dirname "$0")/../.."
root=$PWD

HELM_VERSION=v3.22.0
KUBECONFORM_VERSION=v0.8.0
KUBE_SCORE_VERSION=v1.20.0
HELM_UNITTEST_VERSION=v1.1.2
KUBERNETES_VALIDATE_VERSION=1.37.0

export GOBIN=$root/.tools/go/bin GOTOOLCHAIN=local
mkdir -p "$GOBIN"

# Each tool is rebuilt only when its recorded version differs from the pinned one.
have() { [[ -x $GOBIN/$1 && "$(cat "$GOBIN/$1.version" 2>/dev/null)" == "$2" ]]; }
record() { echo "$2" >"$GOBIN/$1.version"; }

if ! have helm $HELM_VERSION; then
  echo "» go install helm $HELM_VERSION"
  go install "helm.sh/helm/v3/cmd/helm@$HELM_VERSION" && record helm $HELM_VERSION
fi
if ! have kubeconform $KUBECONFORM_VERSION; then
  echo "» go install kubeconform $KUBECONFORM_VERSION"
  go install "github.com/yannh/kubeconform/cmd/kubeconform@$KUBECONFORM_VERSION" && record kubeconform $KUBECONFORM_VERSION
fi
if ! have kube-score $KUBE_SCORE_VERSION; then
  echo "» go install kube-score $KUBE_SCORE_VERSION"
  go install "github.com/zegl/kube-score/cmd/kube-score@$KUBE_SCORE_VERSION" && record kube-score $KUBE_SCORE_VERSION
fi
if ! have helm-unittest $HELM_UNITTEST_VERSION; then
  # `go install` refuses modules with replace directives, so download the module and build it.
  echo "» go build helm-unittest $HELM_UNITTEST_VERSION"
  dir=$(cd /tmp && go mod download -json "github.com/helm-unittest/helm-unittest@$HELM_UNITTEST_VERSION" | sed -n 's/^\s*"Dir": "\(.*\)",$/\1/p')
  (cd "$dir" && go build -trimpath -o "$GOBIN/helm-unittest" ./cmd/helm-unittest) && record helm-unittest $HELM_UNITTEST_VERSION
fi

venv=$root/.tools/venv/k8s
if [[ "$(cat "$venv/.version" 2>/dev/null)" != "$KUBERNETES_VALIDATE_VERSION" ]]; then
  echo "» pip install kubernetes-validate $KUBERNETES_VALIDATE_VERSION into .tools/venv/k8s"
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "kubernetes-validate==$KUBERNETES_VALIDATE_VERSION"
  echo "$KUBERNETES_VALIDATE_VERSION" >"$venv/.version"
fi
