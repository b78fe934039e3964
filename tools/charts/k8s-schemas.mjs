// The Kubernetes JSON schemas kubeconform validates against, offline: the PyPI package
// kubernetes-validate (installed into .tools/venv/k8s by install-tools.sh) ships them per
// version, with $refs to an absolute "/api/_definitions.json". kubeconform resolves $refs
// against the schema file, so they are rewritten relative ("_definitions.json#…") into
// .tools/k8s-schemas/v<version>-strict/ once; later runs reuse that folder. Their "$id"s
// (https://kubernetes.io/api/…) go too: a relative $ref resolves against $id, not the file,
// and kubeconform silently skips a schema it cannot compile ("could not find schema").
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export function ensureKubernetesSchemas(root, version) {
  const target = path.join(root, '.tools/k8s-schemas', `v${version}-strict`);
  const done = path.join(target, '.complete');
  if (existsSync(done)) return target;
  const lib = path.join(root, '.tools/venv/k8s/lib');
  const python = readdirSync(lib).find((name) => name.startsWith('python'));
  if (!python) throw new Error(`no Python under ${lib}: run tools/charts/install-tools.sh`);
  // The -strict flavour sets additionalProperties: false everywhere, as the API server's fieldValidation=Strict refuses unknown fields.
  const source = path.join(lib, python, 'site-packages/kubernetes_validate/kubernetes-json-schema', `v${version}-local-strict`);
  if (!existsSync(source)) throw new Error(`kubernetes-validate has no schemas for Kubernetes ${version} (${source})`);
  rmSync(target, { recursive: true, force: true });
  mkdirSync(target, { recursive: true });
  let files = 0;
  for (const name of readdirSync(source)) {
    if (!name.endsWith('.json')) continue;
    const schema = JSON.parse(readFileSync(path.join(source, name), 'utf8').replaceAll('"/api/_definitions.json#', '"_definitions.json#'));
    delete schema.$id;
    writeFileSync(path.join(target, name), JSON.stringify(schema));
    files += 1;
  }
  if (!existsSync(path.join(target, 'deployment-apps-v1.json'))) throw new Error(`no deployment-apps-v1.json among the ${files} schemas copied from ${source}`);
  writeFileSync(done, `${files} schemas from ${source}\n`);
  return target;
}
