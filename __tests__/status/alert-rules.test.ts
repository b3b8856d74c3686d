/**
 * docs/alerts.rules.yml: promtool accepts it, and promtool's rule tests show the stale-backup,
 * replication and service-down alerts firing on the series backup-syncd writes, and not before.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeWithTools } from '../support/tools';

const RULES = join(__dirname, '..', '..', 'docs', 'alerts.rules.yml');
const SERIES_LABELS = 'host="a.example.com",instance="backup:9100",job="node"';
const ALERT_LABELS = { host: 'a.example.com', instance: 'backup:9100', job: 'node' };

describeWithTools(['promtool'], 'example alerting rules', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'alert-rules-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const promtool = (args: string[]) => spawnSync('promtool', args, { encoding: 'utf8' });

  test('promtool check rules accepts the file', () => {
    const result = promtool(['check', 'rules', RULES]);
    expect([result.status, result.stdout.trim()]).toEqual([0, `Checking ${RULES}\n  SUCCESS: 7 rules found`]);
  });

  test('the stale-backup, replication-failing and service-down alerts fire when they should and not before', () => {
    const tests = {
      rule_files: [RULES],
      evaluation_interval: '1m',
      tests: [{
        interval: '1m',
        input_series: [
          // A snapshot written at time 0; maxSnapshotAge 1h: stale from 60m, firing 10m later.
          { series: `restic_backup_server_newest_snapshot_timestamp_seconds{${SERIES_LABELS}}`, values: '0x120' },
          { series: `restic_backup_server_max_snapshot_age_seconds{${SERIES_LABELS}}`, values: '3600x120' },
          // replica_sync fails from minute 10 on, one more failure per minute.
          { series: `restic_backup_server_replication_failures{${SERIES_LABELS},target="replica_sync"}`, values: '0x9 1+1x110' },
          // The storage service stops listening at minute 100.
          { series: `restic_backup_server_up{${SERIES_LABELS},service="rclone"}`, values: '1x99 0x20' },
        ],
        alert_rule_test: [
          { eval_time: '65m', alertname: 'ResticBackupStale', exp_alerts: [] },
          {
            eval_time: '80m', alertname: 'ResticBackupStale',
            exp_alerts: [{
              exp_labels: { ...ALERT_LABELS, severity: 'critical' },
              exp_annotations: { summary: 'No new backup from a.example.com', description: 'The newest snapshot of a.example.com is 1h 20m 0s old, more than its maxSnapshotAge.' },
            }],
          },
          { eval_time: '20m', alertname: 'ResticReplicationFailing', exp_alerts: [] },
          {
            eval_time: '40m', alertname: 'ResticReplicationFailing',
            exp_alerts: [{
              exp_labels: { ...ALERT_LABELS, target: 'replica_sync', severity: 'warning' },
              exp_annotations: { summary: 'Replication of a.example.com to replica_sync is failing', description: 'See backup-syncd\'s log: <root>/a.example.com/logs/backup-syncd/current, or run backup-status.' },
            }],
          },
          { eval_time: '103m', alertname: 'ResticServiceDown', exp_alerts: [] },
          {
            eval_time: '110m', alertname: 'ResticServiceDown',
            exp_alerts: [{
              exp_labels: { ...ALERT_LABELS, service: 'rclone', severity: 'critical' },
              exp_annotations: { summary: 'rclone of a.example.com is down', description: 'rclone of a.example.com has been down for 5 minutes (sv status <root>/a.example.com/conf/runsvs/rclone).' },
            }],
          },
        ],
      }],
    };
    const file = join(dir, 'tests.yml');
    // JSON is YAML: promtool reads it as it is.
    writeFileSync(file, JSON.stringify(tests, null, 1));
    const result = promtool(['test', 'rules', file]);
    expect([result.status, `${result.stdout}${result.stderr}`]).toEqual([0, expect.stringContaining('SUCCESS')]);
  });
});
