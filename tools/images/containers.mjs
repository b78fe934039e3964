// Podman/buildah on this kind of machine, as root, without a Docker engine: Debian's packages
// (installed when missing), storage and configuration under the project's gitignored
// .tools/containers/, runc with cgroupfs (crun refuses the host's hybrid cgroups), explicit
// default_ulimits (the default rlimits are refused), host networking, no registry.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const PACKAGES = ['buildah', 'podman', 'runc', 'skopeo'];

export function containerEnv(root) {
  const dir = path.join(root, '.tools/containers');
  mkdirSync(path.join(dir, 'storage'), { recursive: true });
  mkdirSync(path.join(dir, 'run'), { recursive: true });
  writeFileSync(
    path.join(dir, 'storage.conf'),
    `[storage]\ndriver = "overlay"\ngraphroot = "${dir}/storage"\nrunroot = "${dir}/run"\n`,
  );
  // At most what this process may have: raising a hard limit is refused even to root here.
  const limit = (flag) => execFileSync('bash', ['-c', `ulimit -H${flag}`], { encoding: 'utf8' }).trim();
  const nofile = limit('n');
  // buildah's chroot isolation caps its own processes at 32768 first, so ask no more than that.
  const nproc = limit('u') === 'unlimited' ? '32768' : String(Math.min(Number(limit('u')), 32768));
  writeFileSync(
    path.join(dir, 'containers.conf'),
    [
      '[containers]',
      `default_ulimits = ["nofile=${nofile}:${nofile}", "nproc=${nproc}:${nproc}"]`,
      'netns = "host"',
      'cgroupns = "host"',
      '',
      '[engine]',
      'runtime = "runc"',
      'cgroup_manager = "cgroupfs"',
      'events_logger = "file"',
      `events_logfile_path = "${dir}/run/events.log"`,
      '',
    ].join('\n'),
  );
  // No registry is reachable: never search one for an unqualified name.
  writeFileSync(path.join(dir, 'registries.conf'), 'unqualified-search-registries = []\nshort-name-mode = "permissive"\n');
  return {
    ...process.env,
    CONTAINERS_CONF: path.join(dir, 'containers.conf'),
    CONTAINERS_STORAGE_CONF: path.join(dir, 'storage.conf'),
    CONTAINERS_REGISTRIES_CONF: path.join(dir, 'registries.conf'),
  };
}

export function ensurePackages() {
  const missing = PACKAGES.filter((name) => spawnSync('sh', ['-c', `command -v ${name}`]).status !== 0);
  if (!missing.length) return;
  process.stdout.write(`» apt-get install ${missing.join(' ')}\n`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...PACKAGES], { stdio: 'inherit', env });
}
