/**
 * backup-syncd's state file version 2 (written by the replica verification of issue 12; faked here):
 * read by status and by the metrics from a real tree, per-target results in both.
 */
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveConfig, hostPaths } from '../../lib';
import { collectStatus } from '../../lib/status/collect';
import { collectMetrics, renderMetrics } from '../../lib/syncd/metrics';

let base: string;
beforeEach(() => {
  base = mkdtempSync(join(tmpdir(), 'status-v2-'));
});
afterEach(() => rmSync(base, { recursive: true, force: true }));

test('a version-2 state file (issue 12) read end to end: per-target replica results in the report and in the metrics', async () => {
  const root = join(base, 'systems');
  const target = '/srv/replica/a.test';
  const config = resolveConfig({ server: { serverName: 'backup.test', root }, hosts: [{ name: 'a.test', port: 9001, storage: 'rclone', replica: { rcloneTargets: [target] } }] });
  const paths = hostPaths(root, 'a.test', 'rclone');
  const repository = join(paths.storageData, 'a.test');
  mkdirSync(join(repository, 'snapshots'), { recursive: true });
  writeFileSync(join(repository, 'config'), 'c');
  const id = '1'.repeat(64);
  writeFileSync(join(repository, 'snapshots', id), 's');
  const written = Date.now() - 600_000;
  utimesSync(join(repository, 'snapshots', id), written / 1000, written / 1000);
  mkdirSync(paths.syncdStateDir, { recursive: true });
  const checkedAt = new Date(written + 90_000).toISOString();
  writeFileSync(paths.syncdState, JSON.stringify({
    version: 2,
    replicated: [`./snapshots/${id}`],
    replicas: { [target]: { checkedAt, ok: true, missing: [], error: null, lastSuccessAt: checkedAt, consecutiveFailures: 0 } },
  }));

  const report = await collectStatus(config, { system: { listeningPorts: new Set([9001]), locks: undefined } });
  expect(report.hosts[0]!.replication).toMatchObject({ stateVersion: 2, pending: 0 });
  expect(report.hosts[0]!.replication.targets).toEqual([{ target, configured: true, checkedAt, ok: true, missing: 0, error: null, lastSuccessAt: checkedAt, consecutiveFailures: 0, lagSeconds: 90 }]);

  const text = renderMetrics(await collectMetrics({ dir: base, host: 'a.test', watch: repository, state: paths.syncdState }, { up: true, consecutiveFailures: 0 }));
  expect(text).toContain(`restic_backup_server_replica_ok{host="a.test",target="${target}"} 1`);
  expect(text).toContain(`restic_backup_server_replication_last_success_timestamp_seconds{host="a.test",target="${target}"} ${Date.parse(checkedAt) / 1000}`);
  expect(text).toContain(`restic_backup_server_replication_failures{host="a.test",target="${target}"} 0`);
});
