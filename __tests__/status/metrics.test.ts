/** backup-syncd's textfile export: the exposition text, promtool's lint, the atomic write. */
import { spawnSync } from 'node:child_process';
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collectMetrics, renderMetrics, writeMetricsFile, MetricsWriter, type MetricValues } from '../../lib/syncd/metrics';
import { createLogger } from '../../lib/syncd/logger';
import { parseExposition } from '../support/exposition';
import { testWith } from '../support/tools';

const VALUES: MetricValues = {
  host: 'a.example.com',
  up: [{ service: 'rclone', value: 1 }, { service: 'backup-syncd', value: 1 }],
  snapshots: 3,
  newestSnapshotSeconds: 1_700_000_000.5,
  repositoryBytes: 123_456,
  quotaBytes: 1_000_000,
  maxSnapshotAgeSeconds: 93_600,
  pendingSnapshots: 1,
  lastConfirmedSeconds: 1_699_999_000,
  consecutiveFailures: 2,
  replicas: [{ target: 'b2:x"y\\z', ok: false, lastSuccessSeconds: 1_699_000_000, failures: 4 }],
  updatedSeconds: 1_700_000_100,
};

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'metrics-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

test('every figure under restic_backup_server_ with a host label, escaped, sorted, HELP and TYPE once per family', () => {
  const text = renderMetrics(VALUES);
  const samples = parseExposition(text).map(({ name, labels, value }) => `${name}${JSON.stringify(labels)} ${value}`);
  expect(samples).toEqual([
    'restic_backup_server_up{"host":"a.example.com","service":"backup-syncd"} 1',
    'restic_backup_server_up{"host":"a.example.com","service":"rclone"} 1',
    'restic_backup_server_snapshots{"host":"a.example.com"} 3',
    'restic_backup_server_newest_snapshot_timestamp_seconds{"host":"a.example.com"} 1700000000.5',
    'restic_backup_server_repository_bytes{"host":"a.example.com"} 123456',
    'restic_backup_server_quota_bytes{"host":"a.example.com"} 1000000',
    'restic_backup_server_max_snapshot_age_seconds{"host":"a.example.com"} 93600',
    'restic_backup_server_pending_snapshots{"host":"a.example.com"} 1',
    'restic_backup_server_replication_last_success_timestamp_seconds{"host":"a.example.com","target":"b2:x\\"y\\\\z"} 1699000000',
    'restic_backup_server_replication_last_success_timestamp_seconds{"host":"a.example.com","target":"replica_sync"} 1699999000',
    'restic_backup_server_replication_failures{"host":"a.example.com","target":"b2:x\\"y\\\\z"} 4',
    'restic_backup_server_replication_failures{"host":"a.example.com","target":"replica_sync"} 2',
    'restic_backup_server_replica_ok{"host":"a.example.com","target":"b2:x\\"y\\\\z"} 0',
    'restic_backup_server_metrics_updated_timestamp_seconds{"host":"a.example.com"} 1700000100',
  ]);
  expect(text.match(/^# TYPE /gm)).toHaveLength(11);
  expect(text).toContain('target="b2:x\\"y\\\\z"');
  // Without a snapshot, quota or replica: those families are left out, not written as 0.
  const empty = renderMetrics({ ...VALUES, newestSnapshotSeconds: undefined, quotaBytes: undefined, lastConfirmedSeconds: undefined, replicas: [] });
  expect(empty).not.toMatch(/newest_snapshot|quota_bytes|replica_ok|last_success/);
});

testWith({ tools: ['promtool'] }, 'promtool check metrics passes, with and without optional families', () => {
  for (const values of [VALUES, { ...VALUES, newestSnapshotSeconds: undefined, quotaBytes: undefined, replicas: [] }]) {
    const result = spawnSync('promtool', ['check', 'metrics'], { input: renderMetrics(values), encoding: 'utf8' });
    expect([result.status, result.stdout, result.stderr]).toEqual([0, '', '']);
  }
});

test('the file is replaced by rename: no temporary file stays, a planted temporary name cannot redirect the write, mode 0644', async () => {
  symlinkSync('/etc/passwd', join(dir, 'a.example.com.prom.tmp'));
  await writeMetricsFile(dir, 'a.example.com', 'first\n');
  await writeMetricsFile(dir, 'a.example.com', 'second\n');
  expect(readFileSync(join(dir, 'a.example.com.prom'), 'utf8')).toBe('second\n');
  expect(lstatSync(join(dir, 'a.example.com.prom')).mode & 0o777).toBe(0o644);
  expect(readdirSync(dir).sort()).toEqual(['a.example.com.prom', 'a.example.com.prom.tmp']);
  expect(readFileSync('/etc/passwd', 'utf8')).not.toBe('second\n');
});

test('collected from a repository and a state file as status reads them; the writer counts failures, writes up 0 on stop and survives a missing directory', async () => {
  const watch = join(dir, 'repo');
  mkdirSync(join(watch, 'snapshots'), { recursive: true });
  writeFileSync(join(watch, 'config'), 'cfg');
  for (const [id, time] of [['a', 1_700_000_000], ['b', 1_700_000_500]] as const) {
    writeFileSync(join(watch, 'snapshots', id.repeat(64)), '0123456789');
    utimesSync(join(watch, 'snapshots', id.repeat(64)), time, time);
  }
  const state = join(dir, 'state.json');
  writeFileSync(state, JSON.stringify({ version: 1, replicated: [`./snapshots/${'a'.repeat(64)}`] }));
  utimesSync(state, 1_700_000_600, 1_700_000_600);
  const options = { dir: join(dir, 'out'), host: 'a.example.com', watch, state, storageService: 'rclone', storagePort: 1, maxSnapshotAgeSeconds: 3600 };
  expect(await collectMetrics(options, { up: true, consecutiveFailures: 0 }, 1_700_001_000_000)).toMatchObject({
    snapshots: 2, newestSnapshotSeconds: 1_700_000_500, repositoryBytes: 23, pendingSnapshots: 1, lastConfirmedSeconds: 1_700_000_600,
    up: [{ service: 'rclone', value: 0 }, { service: 'backup-syncd', value: 1 }], maxSnapshotAgeSeconds: 3600, updatedSeconds: 1_700_001_000,
  });

  const lines: string[] = [];
  const writer = new MetricsWriter(options, createLogger({ level: 'info', format: 'text' }, (line) => lines.push(line)));
  await writer.afterCycle('failed');
  expect(lines).toEqual([expect.stringMatching(/^warn metrics-write-failed file=.*a\.example\.com\.prom reason=/)]);
  mkdirSync(options.dir);
  await writer.afterCycle('failed');
  expect(lines[1]).toMatch(/^info metrics-written-again/);
  const value = (name: string, labels: Record<string, string>) => parseExposition(readFileSync(join(options.dir, 'a.example.com.prom'), 'utf8')).find((sample) => sample.name === name && Object.entries(labels).every(([k, v]) => sample.labels[k] === v))?.value;
  expect(value('restic_backup_server_replication_failures', { target: 'replica_sync' })).toBe(2);
  await writer.afterCycle('idle');
  expect(value('restic_backup_server_replication_failures', { target: 'replica_sync' })).toBe(0);
  await writer.stopped();
  expect(value('restic_backup_server_up', { service: 'backup-syncd' })).toBe(0);
});
