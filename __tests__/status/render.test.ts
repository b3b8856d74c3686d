/** The text and markdown renderings: columns, colours only when asked, hostile text neutralised. */
import { renderStatusMarkdown } from '../../lib/status/render-markdown';
import { renderStatusText } from '../../lib/status/render-text';
import type { HostReport, ServiceReport, StatusReport } from '../../lib/status/report';

const service: ServiceReport = { state: 'up', pid: 7, since: null, uptimeSeconds: 3700, wantUp: true, paused: false, supervisorSince: null, restarted: false, detail: null };
const host = (name: string, overrides: Partial<HostReport> = {}): HostReport => ({
  name, storage: 'rclone', port: 9001, verdict: 'ok', findings: [], addedAt: null,
  services: { storage: service, backupSyncd: { ...service, restarted: true } },
  listening: true,
  snapshots: { count: 3, newestAt: '2026-11-26T11:00:00.000Z', newestAgeSeconds: 3600, maxAgeSeconds: 93_600 },
  repository: { bytes: 1536, quotaBytes: 2048, quotaUsedPercent: 75 },
  replication: { stateVersion: 1, pending: 0, oldestPendingAt: null, lastConfirmedAt: '2026-11-26T11:01:00.123Z', lagSeconds: 60, failuresSinceSuccess: 0, lastError: null, targets: [] },
  ...overrides,
});
const report = (hosts: HostReport[], verdict: StatusReport['verdict'] = 'ok'): StatusReport => ({
  formatVersion: 1, generatedAt: '2026-11-26T12:00:00.000Z', serverName: 'backup.test', root: '/srv', verdict, exitCode: 0, summary: { ok: 1, warn: 1, crit: 0 }, hosts,
});

test('the text table: aligned columns, details under the host, no colour unless asked', () => {
  const hostile = host('b.test', {
    verdict: 'warn',
    findings: [{ level: 'warn', code: 'replication-failing', message: 'last run failed: \ufffd[2J' }],
    replication: { ...host('b').replication, targets: [{ target: 'b2:x', configured: true, checkedAt: '2026-11-26T11:59:00.000Z', ok: false, missing: 1, error: 'gone', lastSuccessAt: null, consecutiveFailures: 2, lagSeconds: 3600 }] },
  });
  const text = renderStatusText(report([host('a.test'), hostile], 'warn'));
  expect(text.split('\n').slice(2, 7)).toEqual([
    'HOST    VERDICT  STORAGE          SYNCD                 PORT  SNAPSHOTS  NEWEST     SIZE / QUOTA              PENDING  REPLICATED            LAG',
    'a.test  ok       rclone up 1h 1m  up 1h 1m (restarted)  9001  3          1h 0m ago  1.5 KiB / 2.0 KiB (75 %)  0        2026-11-26T11:01:00Z  1m 0s',
    'b.test  warn     rclone up 1h 1m  up 1h 1m (restarted)  9001  3          1h 0m ago  1.5 KiB / 2.0 KiB (75 %)  0        2026-11-26T11:01:00Z  1m 0s',
    '    warn: last run failed: \ufffd[2J',
    '    replica b2:x: FAILED: gone (checked 2026-11-26T11:59:00.000Z, lag 1h 0m)',
  ]);
  expect(text).not.toContain('\u001b');
  expect(text.trimEnd().split('\n').at(-1)).toBe('WARN: 1 ok, 1 warn, 0 crit');
  const coloured = renderStatusText(report([hostile], 'warn'), { color: true });
  expect(coloured).toContain('\u001b[33mb.test  warn');
});

test('markdown: a table whose cells cannot break out of their row', () => {
  const markdown = renderStatusMarkdown(report([host('a.test', { findings: [{ level: 'warn', code: 'x', message: 'a | b `c` <img>' }] })]));
  expect(markdown).toContain('| a.test | ok | rclone up 1h 1m | up 1h 1m (restarted) | 9001 | 3 |');
  expect(markdown).toContain('- **a.test** warn: a \\| b \\`c\\` &lt;img&gt;');
});
