/**
 * A server tree exactly as the original `new-restic-server` script laid it out (REFERENCE.md §1),
 * with the end-to-end stand-ins as minio and backup-syncd: everything `backups:backups`, directories
 * 2770, run scripts that `exec` their daemon as `backups`, log/run scripts running svlogd as whoever
 * runsv runs as (root here, as under this project's unit), a host `run` that simply `exec`s runsvdir,
 * and one conf/runit link per enabled host.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { shellQuote as q } from '../../../lib/shell/quote';
import { SERVICE_ACCOUNT } from '../accounts';
import type { TestServer } from './test-server';

export interface OriginalHost {
  readonly name: string;
  readonly dir: string;
  readonly port: number;
  readonly accessKey: string;
  readonly secretKey: string;
  /** The operator's own replica_sync, as the original asked them to edit it. */
  readonly replicaSync: string;
}

const owner = `${SERVICE_ACCOUNT}:${SERVICE_ACCOUNT}`;

/** The server root and conf/ as the original made them: the service account's, 2770. */
export function makeOriginalRoot(server: TestServer): void {
  for (const dir of [server.root, `${server.root}/conf`, `${server.root}/conf/runit`]) {
    mkdirSync(dir, { recursive: true });
    chmodSync(dir, 0o2770);
  }
  execFileSync('chown', ['-R', owner, server.root]);
}

/** One host of the original script, enabled; returns what the test compares later. */
export function makeOriginalHost(server: TestServer, name: string, port: number, keys: { accessKey: string; secretKey: string }): OriginalHost {
  const dir = `${server.root}/${name}`;
  const conf = `${dir}/conf`;
  const write = (path: string, content: string, mode = 0o755) => {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
    chmodSync(path, mode);
  };
  const logRun = (log: string) => `#!/bin/sh\nexec svlogd -ttt ${q(`${dir}/logs/${log}`)}\n`;
  for (const log of ['minio', 'backup-syncd', 'runsvdir', 'replica_sync']) mkdirSync(`${dir}/logs/${log}`, { recursive: true });
  mkdirSync(`${dir}/minio/backups/restic/snapshots`, { recursive: true });
  write(`${dir}/minio/backups/restic/config`, `repository config of ${name}\n`, 0o644);
  write(`${dir}/minio/backups/restic/snapshots/${'c'.repeat(64)}`, `snapshot of ${name}\n`, 0o644);
  write(`${conf}/runsvs/minio/run`, `#!/bin/sh\nexec 2>&1\nexec chpst -u ${owner} ${q(server.minioStandIn)} server --quiet --config-dir ${q(`${conf}/minio`)} --address :${port} ${q(`${dir}/minio`)}\n`);
  write(`${conf}/runsvs/minio/log/run`, logRun('minio'));
  write(`${conf}/runsvs/backup-syncd/run`, `#!/bin/sh\nexec 2>&1\nexec chpst -u ${owner} ${q(server.backupSyncdStandIn)} ${q(`${dir}/minio/backups/restic/snapshots`)} ${q(`${conf}/replica_sync`)}\n`);
  write(`${conf}/runsvs/backup-syncd/log/run`, logRun('backup-syncd'));
  write(`${conf}/runsvdir/run`, `#!/bin/sh\nexec 2>&1\nexec runsvdir -P ${q(`${conf}/runsvs`)}\n`);
  write(`${conf}/runsvdir/log/run`, logRun('runsvdir'));
  const replicaSync = `#!/bin/sh\n# ${name}: copy new snapshots off-site (hand-written)\nrclone copy ${q(`${dir}/minio/backups`)} offsite:${name}\n`;
  write(`${conf}/replica_sync`, replicaSync);
  write(`${conf}/backup-syncd.log.conf`, '[root]\nlevel=INFO\n', 0o644);
  write(`${conf}/minio/config.json`, `${JSON.stringify({ version: '19', credential: keys }, null, 2)}\n`, 0o600);
  mkdirSync(`${conf}/minio/certs`, { recursive: true });
  symlinkSync(server.tlsCertificate, `${conf}/minio/certs/public.crt`);
  symlinkSync(server.tlsKey, `${conf}/minio/certs/private.key`);
  execFileSync('chown', ['-hR', owner, dir]);
  execFileSync('find', [dir, '-type', 'd', '-exec', 'chmod', '2770', '{}', '+']);
  symlinkSync(`${conf}/runsvdir`, `${server.root}/conf/runit/${name}`);
  execFileSync('chown', ['-h', owner, `${server.root}/conf/runit/${name}`]);
  return { name, dir, port, ...keys, replicaSync };
}
