/**
 * Real server trees in temporary directories: hosts laid out by this project's own rendered
 * commands, hosts laid out exactly as the original shell script did, and broken ones.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ResolvedConfig, type ResolvedHost } from '../../lib/config/resolve';
import { resolveConfig } from '../../lib/config/resolve-config';
import type { HostConfig } from '../../lib/config/types';
import { hostPaths, serverPaths } from '../../lib/layout/paths';
import { renderEnableCommand, renderLayoutCommand } from '../../lib/render/host-commands';
import { renderServerLayoutCommand } from '../../lib/render/server-commands';
import { storageBackend } from '../../lib/storage/registry';
import { SERVICE_ACCOUNT_NEEDS, testWith, type Needs } from '../support/tools';

export const SERVER_NAME = 'backup.test';

export function makeRoot(): string {
  const base = mkdtempSync(join(tmpdir(), 'plan-'));
  chmodSync(base, 0o755);
  const root = join(base, 'systems');
  mkdirSync(`${serverPaths(root).runit}`, { recursive: true });
  writeFileSync(`${root}/conf/public.crt`, 'certificate\n');
  writeFileSync(`${root}/conf/private.key`, 'key\n', { mode: 0o640 });
  return root;
}

export function removeRoot(root: string): void {
  rmSync(join(root, '..'), { recursive: true, force: true });
}

export function configFor(root: string, hosts: readonly HostConfig[]): ResolvedConfig {
  return resolveConfig({ server: { serverName: SERVER_NAME, root }, hosts });
}

function sh(command: string): void {
  execFileSync('/bin/sh', ['-c', command], { stdio: 'pipe' });
}

/** What makeProjectHost needs: it runs the real layout commands (`install -o root -g backups`). */
export const PROJECT_HOST_NEEDS: Needs = SERVICE_ACCOUNT_NEEDS;

/** A test that lays out hosts with makeProjectHost: skipped (outside CI) where that cannot run. */
export function testWithProjectHosts(name: string, fn: jest.ProvidesCallback, timeout?: number): void {
  testWith(PROJECT_HOST_NEEDS, name, fn, timeout);
}

/** A host as `cdktf deploy` lays it out: the layout, credentials and enable commands, and the run script. */
export function makeProjectHost(config: ResolvedConfig, name: string, options: { enabled?: boolean } = {}): ResolvedHost {
  const host = config.hosts.find((candidate) => candidate.name === name);
  if (host === undefined) throw new Error(`${name} is not in the test config`);
  const paths = hostPaths(config.server.root, host.name, host.storage);
  const backend = storageBackend(host.storage);
  const context = { server: config.server, host, paths };
  sh(renderServerLayoutCommand(config.server));
  sh(renderLayoutCommand(config.server, host, paths, backend.binary(config.server)));
  sh(backend.renderCredentialsCommand(context));
  writeFileSync(`${paths.runsvs}/${host.storage}/run`, backend.renderRunScript(context), { mode: 0o755 });
  if (options.enabled ?? true) sh(renderEnableCommand(paths, []));
  return host;
}

export interface OriginalHostOptions {
  readonly enabled?: boolean;
  readonly credentials?: boolean;
  /** Leave out the whole conf directory except the minio run script. */
  readonly bare?: boolean;
}

/** A host exactly as the original shell script made it (REFERENCE.md §1): no marker. */
export function makeOriginalHost(root: string, name: string, port: number, options: OriginalHostOptions = {}): string {
  const dir = `${root}/${name}`;
  const conf = `${dir}/conf`;
  const write = (path: string, content: string, mode = 0o755) => {
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, content, { mode });
  };
  for (const log of ['minio', 'backup-syncd', 'runsvdir', 'replica_sync']) mkdirSync(`${dir}/logs/${log}`, { recursive: true });
  mkdirSync(`${dir}/minio/backups/restic/snapshots`, { recursive: true });
  write(`${dir}/minio/backups/restic/config`, 'x'.repeat(1000), 0o644);
  write(`${conf}/runsvs/minio/run`, `#!/bin/sh\nexec 2>&1\nexec chpst -u backups:backups minio server --quiet --config-dir ${conf}/minio --address :${port} ${dir}/minio\n`);
  if (options.bare) return dir;
  write(`${conf}/runsvs/minio/log/run`, `#!/bin/sh\nexec svlogd -ttt ${dir}/logs/minio\n`);
  write(`${conf}/runsvs/backup-syncd/run`, `#!/bin/sh\nexec 2>&1\nexec backup-syncd ${dir}/minio/backups/restic/snapshots ${conf}/replica_sync\n`);
  write(`${conf}/runsvs/backup-syncd/log/run`, `#!/bin/sh\nexec svlogd -ttt ${dir}/logs/backup-syncd\n`);
  write(`${conf}/runsvdir/run`, `#!/bin/sh\nexec 2>&1\nexec runsvdir -P ${conf}/runsvs\n`);
  write(`${conf}/runsvdir/log/run`, `#!/bin/sh\nexec svlogd -ttt ${dir}/logs/runsvdir\n`);
  write(`${conf}/replica_sync`, '#!/bin/sh\nexit 0\n');
  write(`${conf}/backup-syncd.log.conf`, '[root]\nlevel=INFO\n', 0o644);
  if (options.credentials ?? true) {
    write(`${conf}/minio/config.json`, JSON.stringify({ version: '19', credential: { accessKey: 'ABCDEFGHIJ0123456789', secretKey: 'a'.repeat(40) } }, null, 2), 0o600);
  }
  mkdirSync(`${conf}/minio/certs`, { recursive: true });
  symlinkSync(`${root}/conf/public.crt`, `${conf}/minio/certs/public.crt`);
  symlinkSync(`${root}/conf/private.key`, `${conf}/minio/certs/private.key`);
  if (options.enabled ?? true) symlinkSync(`${conf}/runsvdir`, `${serverPaths(root).runit}/${name}`);
  return dir;
}
