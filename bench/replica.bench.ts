/**
 * Replicas, for real (restic, rclone, backup-syncd, the generated replica_sync; stand-ins as in the
 * restore drills: `rclone serve restic` for rest-server, s3rver over HTTPS for minio):
 *
 * 1. per storage kind, the time from `restic backup` returning to the snapshot verified on the
 *    replica (backup-syncd with its default settle delay of 2 s), p50 and p90 over RUNS backups,
 *    beside replica_sync's own share (its run time) and a plain incremental `rclone copy` of the
 *    same repository right after;
 * 2. copy throughput of replica_sync for a 200 MiB repository to an empty target, beside a plain
 *    `rclone copy` of the same files in the same run.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3_SOURCE_REMOTE, storageBackend, type StorageKind } from '../lib';
import { expectSuccess, makeTree, snapshotIdsOf, startDrill, type Drill } from '../__tests__/support/replica-drill';
import { startSyncd } from '../__tests__/syncd/daemon-process';

const RUNS = Number(process.env.REPLICA_BENCH_RUNS ?? 10);
const KINDS: readonly StorageKind[] = ['rclone', 'rest-server', 'minio'];
const REPOSITORY_MIB = 200;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const percentile = (values: readonly number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};
const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;

function bytesBelow(dir: string): number {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .reduce((sum, entry) => sum + statSync(join(entry.parentPath, entry.name)).size, 0);
}

/** The environment and the rclone path of the repository, as replica_sync reads it. */
function sourceOf(drill: Drill): { readonly env: NodeJS.ProcessEnv; readonly path: string; readonly flags: readonly string[] } {
  const source = storageBackend(drill.kind).replicaSource(drill.context);
  if (source.kind === 'directory') return { env: process.env, path: source.path, flags: [] };
  const prefix = `RCLONE_CONFIG_${S3_SOURCE_REMOTE.toUpperCase()}_`;
  const { AWS_CA_BUNDLE: _ignored, ...env } = process.env;
  return {
    env: { ...env, [`${prefix}TYPE`]: 's3', [`${prefix}PROVIDER`]: 'Minio', [`${prefix}ENDPOINT`]: source.endpoint,
      [`${prefix}ACCESS_KEY_ID`]: 'DRILLACCESSKEY000001', [`${prefix}SECRET_ACCESS_KEY`]: 'drill-secret-key-0000000000000000000000x' },
    path: `${S3_SOURCE_REMOTE}:${source.repository}`,
    flags: ['--ca-cert', drill.certificate, '--fast-list'],
  };
}

/** A plain `rclone copy` of the repository to `target`, timed (the reference). */
function plainCopyMs(drill: Drill, target: string): number {
  const { env, path, flags } = sourceOf(drill);
  const started = performance.now();
  const result = spawnSync('rclone', ['--config', '', ...flags, 'copy', path, target], { env, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`rclone copy failed: ${result.stderr}`);
  return performance.now() - started;
}

/** The generated replica_sync run once by hand, as backup-syncd runs it, timed. */
async function replicaSyncMs(drill: Drill, ids: readonly string[]): Promise<number> {
  const lists = mkdtempSync(join(tmpdir(), 'replica-bench-lists-'));
  writeFileSync(join(lists, 'added'), ids.map((id) => `${id}\0`).join(''));
  writeFileSync(join(lists, 'removed'), '');
  const started = performance.now();
  const status = await new Promise<number | null>((resolve) => {
    const child = spawn(drill.replicaSync, [join(lists, 'added'), join(lists, 'removed')], {
      stdio: 'ignore',
      env: { ...process.env, BACKUP_HOST: drill.context.host.name, BACKUP_SYNCD_ROOT: drill.watchRoot, BACKUP_SYNCD_ADDED: ids.join(' ') },
    });
    child.once('close', resolve);
  });
  const elapsed = performance.now() - started;
  rmSync(lists, { recursive: true, force: true });
  if (status !== 0) throw new Error(`replica_sync exited with ${status}`);
  return elapsed;
}

async function latency(kind: StorageKind): Promise<string> {
  const drill = await startDrill(kind, mkdtempSync(join(tmpdir(), `replica-bench-${kind}-`)));
  const daemon = startSyncd(drill, {}, ['--settle', '2s']);
  try {
    expectSuccess(await drill.restic(['init']), 'restic init');
    const totals: number[] = [];
    const runs: number[] = [];
    const plain: number[] = [];
    for (let run = 0; run < RUNS; run += 1) {
      const data = join(drill.base, `data-${run}`);
      makeTree(data, 20, 1);
      const before = daemon.lines.filter((line) => line.startsWith('info replicated ')).length;
      expectSuccess(await drill.restic(['backup', data]), 'restic backup');
      const returned = performance.now();
      let line: string | undefined;
      while ((line = daemon.lines.filter((l) => l.startsWith('info replicated '))[before]) === undefined) await sleep(5);
      totals.push(performance.now() - returned);
      runs.push(Number(/durationMs=(\d+)/.exec(line)![1]));
      plain.push(plainCopyMs(drill, join(drill.base, 'plain-copy')));
    }
    const onReplica = snapshotIdsOf(await drill.resticOn(drill.replicas[0]!, ['snapshots', '--json', '--no-lock']));
    if (onReplica.length !== RUNS) throw new Error(`${onReplica.length} snapshots on the replica, expected ${RUNS}`);
    return `| ${kind} | ${seconds(percentile(totals, 50))} | ${seconds(percentile(totals, 90))} | ${seconds(percentile(runs, 50))} | ${seconds(percentile(plain, 50))} |`;
  } finally {
    daemon.child.kill('SIGTERM');
    await daemon.exited;
    await drill.remove();
  }
}

async function throughput(kind: StorageKind): Promise<string> {
  const drill = await startDrill(kind, mkdtempSync(join(tmpdir(), `replica-bench-${kind}-`)));
  try {
    const data = join(drill.base, 'data');
    mkdirSync(data);
    // Random, so the repository is as large as the data; 8 MiB files like big backups.
    for (let i = 0; i < REPOSITORY_MIB / 8; i += 1) writeFileSync(join(data, `f${i}.bin`), randomBytes(8 * 1024 * 1024));
    expectSuccess(await drill.restic(['init']), 'restic init');
    expectSuccess(await drill.restic(['backup', data]), 'restic backup');
    const ids = snapshotIdsOf(await drill.restic(['snapshots', '--json', '--no-lock']));
    const syncMs = await replicaSyncMs(drill, ids);
    const mib = bytesBelow(drill.replicas[0]!) / 1024 / 1024;
    const plainMs = plainCopyMs(drill, join(drill.base, 'plain-copy'));
    const plainMib = bytesBelow(join(drill.base, 'plain-copy')) / 1024 / 1024;
    return `| ${kind} | ${mib.toFixed(0)} MiB | ${seconds(syncMs)} | ${(mib / (syncMs / 1000)).toFixed(1)} MiB/s | ${seconds(plainMs)} | ${(plainMib / (plainMs / 1000)).toFixed(1)} MiB/s |`;
  } finally {
    await drill.remove();
  }
}

async function main(): Promise<void> {
  console.log(`Backup returned -> snapshot verified on the replica, ${RUNS} backups per kind (backup-syncd default settle 2 s):\n`);
  console.log('| storage | p50 | p90 | replica_sync run, p50 | plain rclone copy (reference), p50 |');
  console.log('|---|---|---|---|---|');
  for (const kind of KINDS) console.log(await latency(kind));
  console.log(`\nCopy of a ${REPOSITORY_MIB} MiB repository to an empty local target:\n`);
  console.log('| storage | repository | replica_sync | throughput | plain rclone copy (reference) | throughput |');
  console.log('|---|---|---|---|---|---|');
  for (const kind of ['rclone', 'minio'] as const) console.log(await throughput(kind));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
