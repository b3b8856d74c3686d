/**
 * backup-syncd's Prometheus export: one node_exporter textfile-collector file per host,
 * `<dir>/<host>.prom`, rewritten after every cycle (every change, and at least every rescan
 * interval) and on stop. Written to a temporary name in the same directory, then renamed, so the
 * collector never reads half a file. The figures are read the way `backup-status` reads them
 * (lib/status/repository.ts, lib/status/syncd-state-file.ts), so the two agree.
 */
import { closeSync, constants, openSync, promises as fs, readSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from './logger';
import type { CycleOutcome } from './scheduler';
import { readRepositories } from '../status/repository';
import { readUntrusted } from '../security/untrusted-file';
import { MAX_STATE_BYTES, parseSyncdStateFile, pendingKeys } from '../status/syncd-state-file';
import { listeningPorts } from '../status/proc';
import { SYNCD_SERVICE } from '../layout/paths';

export const METRIC_PREFIX = 'restic_backup_server_';

export interface MetricsOptions {
  /** The textfile-collector directory. */
  readonly dir: string;
  readonly host: string;
  readonly watch: string;
  readonly state: string;
  /** The storage service's name (label `service` of its `up`). */
  readonly storageService?: string;
  /** Its TCP port: listening means up. */
  readonly storagePort?: number;
  readonly maxSnapshotAgeSeconds?: number;
  readonly quotaBytes?: number;
  readonly maxDepth?: number;
}

export interface MetricValues {
  readonly host: string;
  readonly up: readonly { readonly service: string; readonly value: 0 | 1 }[];
  readonly snapshots: number;
  readonly newestSnapshotSeconds: number | undefined;
  readonly repositoryBytes: number;
  readonly quotaBytes: number | undefined;
  readonly maxSnapshotAgeSeconds: number | undefined;
  readonly pendingSnapshots: number;
  readonly lastConfirmedSeconds: number | undefined;
  readonly consecutiveFailures: number;
  readonly replicas: readonly { readonly target: string; readonly ok: boolean | undefined; readonly lastSuccessSeconds: number | undefined; readonly failures: number }[];
  readonly updatedSeconds: number;
}

interface Family {
  readonly name: string;
  readonly help: string;
  readonly samples: readonly { readonly labels: Readonly<Record<string, string>>; readonly value: number }[];
}

/** Label values as the exposition format escapes them. */
const labelValue = (value: string): string => value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
const seconds = (ms: number | undefined): number | undefined => (ms === undefined ? undefined : Math.round(ms) / 1000);

/** The file's text: every family with HELP and TYPE (all gauges), samples sorted, no timestamps. */
export function renderMetrics(values: MetricValues): string {
  const host = { host: values.host };
  const one = (value: number | undefined) => (value === undefined ? [] : [{ labels: host, value }]);
  const families: Family[] = [
    { name: 'up', help: 'Whether a service of the host runs: the storage service listens on its port; backup-syncd writes 0 when it stops.', samples: values.up.map(({ service, value }) => ({ labels: { ...host, service }, value })) },
    { name: 'snapshots', help: 'Snapshots in the host\'s repositories.', samples: one(values.snapshots) },
    { name: 'newest_snapshot_timestamp_seconds', help: 'Time the newest snapshot was written (its object\'s mtime); absent without snapshots.', samples: one(values.newestSnapshotSeconds) },
    { name: 'repository_bytes', help: 'Bytes of the host\'s repositories (apparent size of their files).', samples: one(values.repositoryBytes) },
    { name: 'quota_bytes', help: 'The host\'s quota in bytes; absent without a quota.', samples: one(values.quotaBytes) },
    { name: 'max_snapshot_age_seconds', help: 'The host\'s maxSnapshotAge: an older newest snapshot is a stale backup.', samples: one(values.maxSnapshotAgeSeconds) },
    { name: 'pending_snapshots', help: 'Snapshots present but not yet confirmed replicated by replica_sync.', samples: one(values.pendingSnapshots) },
    { name: 'replication_last_success_timestamp_seconds', help: 'Last successful replication: per target where backup-syncd verifies replicas, else target="replica_sync" for the last successful run.', samples: [
      ...(values.lastConfirmedSeconds === undefined ? [] : [{ labels: { ...host, target: 'replica_sync' }, value: values.lastConfirmedSeconds }]),
      ...values.replicas.flatMap((replica) => (replica.lastSuccessSeconds === undefined ? [] : [{ labels: { ...host, target: replica.target }, value: replica.lastSuccessSeconds }])),
    ] },
    { name: 'replication_failures', help: 'Consecutive failed replications: per verified target, and target="replica_sync" for failed runs of the script.', samples: [
      { labels: { ...host, target: 'replica_sync' }, value: values.consecutiveFailures },
      ...values.replicas.map((replica) => ({ labels: { ...host, target: replica.target }, value: replica.failures })),
    ] },
    { name: 'replica_ok', help: 'Whether the last verification of a replica target found every snapshot.', samples: values.replicas.flatMap((replica) => (replica.ok === undefined ? [] : [{ labels: { ...host, target: replica.target }, value: replica.ok ? 1 : 0 }])) },
    { name: 'metrics_updated_timestamp_seconds', help: 'When backup-syncd last wrote this file (at least every rescan interval while it runs).', samples: one(values.updatedSeconds) },
  ];
  const lines: string[] = [];
  for (const family of families) {
    if (family.samples.length === 0) continue;
    const name = `${METRIC_PREFIX}${family.name}`;
    lines.push(`# HELP ${name} ${family.help}`, `# TYPE ${name} gauge`);
    const samples = family.samples.map(({ labels, value }) => `${name}{${Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : 1)).map(([key, text]) => `${key}="${labelValue(text)}"`).join(',')}} ${value}`);
    lines.push(...samples.sort());
  }
  return `${lines.join('\n')}\n`;
}

/** Reads the figures of one host: its repositories, backup-syncd's state file, its port. */
export async function collectMetrics(options: MetricsOptions, syncd: { readonly up: boolean; readonly consecutiveFailures: number }, now = Date.now()): Promise<MetricValues> {
  const repository = await readRepositories(options.watch, options.maxDepth);
  const read = await readUntrusted(options.state, { maxBytes: MAX_STATE_BYTES });
  const parsed = read.kind === 'file' ? parseSyncdStateFile(read.text) : undefined;
  const state = parsed !== undefined && !('problem' in parsed) ? parsed : undefined;
  const ports = options.storagePort === undefined ? undefined : listeningPorts();
  return {
    host: options.host,
    up: [
      ...(options.storageService === undefined || ports === undefined ? [] : [{ service: options.storageService, value: ports.has(options.storagePort!) ? 1 as const : 0 as const }]),
      { service: SYNCD_SERVICE, value: syncd.up ? 1 : 0 },
    ],
    snapshots: repository.snapshots.size,
    newestSnapshotSeconds: seconds(repository.newestSnapshotMs),
    repositoryBytes: repository.bytes,
    quotaBytes: options.quotaBytes,
    maxSnapshotAgeSeconds: options.maxSnapshotAgeSeconds,
    pendingSnapshots: pendingKeys(repository.snapshots.keys(), state?.replicated ?? new Set()).length,
    lastConfirmedSeconds: read.kind === 'file' && state !== undefined ? seconds(read.mtimeMs) : undefined,
    consecutiveFailures: syncd.consecutiveFailures,
    replicas: (state?.replicas ?? []).map((check) => ({ target: check.target, ok: check.ok, lastSuccessSeconds: seconds(check.lastSuccessAtMs), failures: check.consecutiveFailures })),
    updatedSeconds: Math.round(now / 1000),
  };
}

export const metricsFile = (dir: string, host: string): string => join(dir, `${host}.prom`);

/**
 * 12 hex digits from the kernel's random source: the temporary name is in a directory other
 * accounts write, so it must not be guessable. Read from /dev/urandom rather than node:crypto,
 * whose loading costs each host's daemon about 2 MiB of resident memory (OpenSSL).
 */
function unguessableSuffix(): string {
  const bytes = Buffer.alloc(6);
  const fd = openSync('/dev/urandom', constants.O_RDONLY);
  try {
    if (readSync(fd, bytes) !== bytes.length) throw new Error('short read from /dev/urandom');
  } finally {
    closeSync(fd);
  }
  return bytes.toString('hex');
}

/**
 * Writes `text` to `<dir>/<host>.prom`: a new temporary file (exclusive, no link followed, a name
 * the collector ignores), flushed, then renamed over the old one.
 */
export async function writeMetricsFile(dir: string, host: string, text: string): Promise<void> {
  const target = metricsFile(dir, host);
  const temporary = `${target}.${process.pid}.${unguessableSuffix()}`;
  const handle = await fs.open(temporary, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o644);
  try {
    await handle.writeFile(text);
    await handle.chmod(0o644);
    await handle.sync();
  } catch (error) {
    await handle.close();
    await fs.rm(temporary, { force: true });
    throw error;
  }
  await handle.close();
  try {
    await fs.rename(temporary, target);
  } catch (error) {
    await fs.rm(temporary, { force: true });
    throw error;
  }
}

/** Keeps the file current from the daemon's side: after every cycle and once more on stop. */
export class MetricsWriter {
  private failures = 0;
  private writing: Promise<void> = Promise.resolve();
  private failedBefore = false;

  constructor(private readonly options: MetricsOptions, private readonly logger: Logger) {}

  afterCycle(outcome: CycleOutcome): Promise<void> {
    // The scheduler's own count: any cycle that did not fail ends a run of failures.
    this.failures = outcome === 'failed' ? this.failures + 1 : 0;
    return this.write(true);
  }

  stopped(): Promise<void> {
    return this.write(false);
  }

  private write(up: boolean): Promise<void> {
    this.writing = this.writing.then(async () => {
      try {
        const values = await collectMetrics(this.options, { up, consecutiveFailures: this.failures });
        await writeMetricsFile(this.options.dir, this.options.host, renderMetrics(values));
        if (this.failedBefore) this.logger.info('metrics-written-again', { file: metricsFile(this.options.dir, this.options.host) });
        this.failedBefore = false;
      } catch (error) {
        // Metrics never stop replication; a failure is logged once until it recovers.
        if (!this.failedBefore) this.logger.warn('metrics-write-failed', { file: metricsFile(this.options.dir, this.options.host), reason: (error as Error).message });
        this.failedBefore = true;
      }
    });
    return this.writing;
  }
}
