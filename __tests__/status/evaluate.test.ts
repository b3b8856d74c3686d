/** Verdicts from facts, under controlled time: each rule of docs/status.md, alone. */
import { resolveConfig, type HostConfig } from '../../lib';
import { buildReport, evaluateHost, formatAge } from '../../lib/status/evaluate';
import type { HostFacts } from '../../lib/status/host-facts';
import type { ServiceFacts } from '../../lib/status/runit';

const NOW = Date.parse('2026-11-26T12:00:00Z');
const HOUR = 3_600_000;
const id = (n: number) => String(n).padStart(64, '0');
const key = (n: number) => `./snapshots/${id(n)}`;

const up = (sinceMs = NOW - 10 * HOUR): ServiceFacts => ({ state: 'up', pid: 42, sinceMs, wantUp: true, paused: false, supervisorSinceMs: sinceMs - 1000, detail: undefined });

function setup(host: Partial<HostConfig> = {}, server: Record<string, unknown> = {}) {
  const config = resolveConfig({ server: { serverName: 'backup.test', root: '/srv/b', ...server }, hosts: [{ name: 'a.test', port: 9001, storage: 'rclone', ...host }] });
  return { server: config.server, host: config.hosts[0]! };
}

/** A healthy host: one snapshot an hour old, replicated a minute later, services up. */
function facts(overrides: Partial<HostFacts> = {}, host: Partial<HostConfig> = {}, server: Record<string, unknown> = {}): { facts: HostFacts; server: ReturnType<typeof setup>['server'] } {
  const resolved = setup(host, server);
  return {
    server: resolved.server,
    facts: {
      host: resolved.host,
      addedAtMs: NOW - 100 * HOUR,
      hostDirProblem: undefined,
      storageService: up(),
      syncdService: up(),
      listening: true,
      repository: { exists: true, snapshots: new Map([[key(1), NOW - HOUR]]), newestSnapshotMs: NOW - HOUR, bytes: 1000, unreadable: [] },
      state: { value: { version: 1, replicated: new Set([key(1)]), replicas: [] }, mtimeMs: NOW - HOUR + 60_000 },
      log: { value: { lastSuccessMs: NOW - HOUR + 60_000, lastFailureMs: undefined, failuresSinceSuccess: 0, lastError: undefined, starts: 1 }, mtimeMs: NOW },
      ...overrides,
    },
  };
}

const judge = (input: ReturnType<typeof facts>) => evaluateHost(input.server, input.facts, NOW);
const findings = (input: ReturnType<typeof facts>) => judge(input).findings.map(({ level, code }) => `${level} ${code}`);

test('a healthy host is ok, with its figures', () => {
  const report = judge(facts());
  expect(report).toMatchObject({
    verdict: 'ok', findings: [], listening: true,
    snapshots: { count: 1, newestAt: '2026-11-26T11:00:00.000Z', newestAgeSeconds: 3600, maxAgeSeconds: 93_600 },
    replication: { stateVersion: 1, pending: 0, lagSeconds: 60, lastConfirmedAt: '2026-11-26T11:01:00.000Z', failuresSinceSuccess: 0, lastError: null },
    services: { storage: { state: 'up', uptimeSeconds: 36_000, restarted: false } },
  });
});

test('stale: the newest snapshot older than maxSnapshotAge (host beats server default) is crit', () => {
  const old = { repository: { exists: true, snapshots: new Map([[key(1), NOW - 30 * HOUR]]), newestSnapshotMs: NOW - 30 * HOUR, bytes: 1, unreadable: [] } };
  expect(findings(facts(old))).toEqual(['crit stale']);
  expect(findings(facts(old, { maxSnapshotAge: '2d' }))).toEqual([]);
  expect(findings(facts({}, {}, { maxSnapshotAge: '30m' }))).toEqual(['crit stale']);
  expect(judge(facts(old)).findings[0]!.message).toBe('newest snapshot is 1d 6h old (maximum 1d 2h)');
});

test('no snapshot: warn within the grace period, crit after it', () => {
  const empty = { repository: { exists: false, snapshots: new Map(), newestSnapshotMs: undefined, bytes: 0, unreadable: [] }, state: undefined };
  expect(findings(facts({ ...empty, addedAtMs: NOW - 47 * HOUR }))).toEqual(['warn no-snapshot-yet']);
  expect(findings(facts({ ...empty, addedAtMs: NOW - 49 * HOUR }))).toEqual(['crit no-snapshot']);
  expect(findings(facts({ ...empty, addedAtMs: NOW - 49 * HOUR }, {}, { newHostGracePeriod: '3d' }))).toEqual(['warn no-snapshot-yet']);
});

test('services: storage down or closed port is crit, backup-syncd down warn, unknown (no permission) warn, a fresh restart warn', () => {
  expect(findings(facts({ storageService: { ...up(), state: 'down', pid: undefined } }))).toEqual(['crit storage-down']);
  expect(findings(facts({ listening: false }))).toEqual(['crit not-listening']);
  expect(findings(facts({ syncdService: { ...up(), state: 'unsupervised' } }))).toEqual(['warn syncd-down']);
  expect(findings(facts({ storageService: { ...up(), state: 'unknown', detail: 'cannot read supervise/status (EACCES)' } }))).toEqual(['warn storage-unknown']);
  expect(findings(facts({ storageService: { ...up(NOW - 60_000), supervisorSinceMs: NOW - HOUR } }))).toEqual(['warn restarted']);
  expect(findings(facts({ storageService: { ...up(NOW - 2 * HOUR), supervisorSinceMs: NOW - 3 * HOUR } }))).toEqual([]);
});

test('quota: warn from 90 %, crit at 100 %, figures for every host with a quota', () => {
  const sized = (bytes: number) => ({ repository: { exists: true, snapshots: new Map([[key(1), NOW - HOUR]]), newestSnapshotMs: NOW - HOUR, bytes, unreadable: [] } });
  expect(findings(facts(sized(899), { quota: '1000' }))).toEqual([]);
  expect(findings(facts(sized(900), { quota: '1000' }))).toEqual(['warn quota-high']);
  expect(findings(facts(sized(1000), { quota: '1000' }))).toEqual(['crit quota-exceeded']);
  expect(judge(facts(sized(905), { quota: '1000' })).repository).toEqual({ bytes: 905, quotaBytes: 1000, quotaUsedPercent: 90.5 });
});

test('replication: failing is warn with its error, pending for an hour warn, pending beyond maxSnapshotAge crit', () => {
  const twoSnapshots = (second: number) => ({ repository: { exists: true, snapshots: new Map([[key(1), NOW - HOUR], [key(2), second]]), newestSnapshotMs: Math.max(second, NOW - HOUR), bytes: 1, unreadable: [] } });
  const failing = { log: { value: { lastSuccessMs: NOW - HOUR, lastFailureMs: NOW, failuresSinceSuccess: 3, lastError: { atMs: NOW, message: 'replica-sync-failed exitCode=1 | permission denied' }, starts: 1 }, mtimeMs: NOW } };
  expect(findings(facts({ ...twoSnapshots(NOW - 60_000), ...failing }))).toEqual(['warn replication-failing']);
  const report = judge(facts({ ...twoSnapshots(NOW - 60_000), ...failing }));
  expect(report.replication).toMatchObject({ pending: 1, lagSeconds: 60, failuresSinceSuccess: 3, lastError: { at: '2026-11-26T12:00:00.000Z', message: 'replica-sync-failed exitCode=1 | permission denied' } });
  expect(report.findings[0]!.message).toBe('last replica_sync run failed (3 times in a row): replica-sync-failed exitCode=1 | permission denied');
  expect(findings(facts(twoSnapshots(NOW - 2 * HOUR)))).toEqual(['warn replication-behind']);
  expect(findings(facts({ ...twoSnapshots(NOW - 20 * HOUR), ...failing }, { maxSnapshotAge: '10h' }))).toEqual(['crit replica-stale', 'warn replication-failing']);
});

test('replica checks of a version-2 state: per-target lag, a failed check warns', () => {
  const replicas = [
    { target: '/srv/replica', checkedAtMs: NOW - HOUR + 120_000, ok: true, missing: [], error: undefined, lastSuccessAtMs: NOW - HOUR + 120_000, consecutiveFailures: 0 },
    { target: 'b2:off', checkedAtMs: NOW - 60_000, ok: false, missing: [id(1)], error: 'bucket gone', lastSuccessAtMs: NOW - 50 * HOUR, consecutiveFailures: 7 },
  ];
  const input = facts({ state: { value: { version: 2, replicated: new Set([key(1)]), replicas }, mtimeMs: NOW - HOUR + 60_000 } }, { replica: { rcloneTargets: ['/srv/replica', 'b2:new'] } });
  const report = judge(input);
  expect(report.findings.map(({ code, message }) => `${code}: ${message}`)).toEqual(['replication-failing: replica b2:off: bucket gone']);
  expect(report.replication.targets).toEqual([
    { target: '/srv/replica', configured: true, checkedAt: '2026-11-26T11:02:00.000Z', ok: true, missing: 0, error: null, lastSuccessAt: '2026-11-26T11:02:00.000Z', consecutiveFailures: 0, lagSeconds: 120 },
    { target: 'b2:new', configured: true, checkedAt: null, ok: null, missing: null, error: null, lastSuccessAt: null, consecutiveFailures: null, lagSeconds: null },
    { target: 'b2:off', configured: false, checkedAt: '2026-11-26T11:59:00.000Z', ok: false, missing: 1, error: 'bucket gone', lastSuccessAt: '2026-11-24T10:00:00.000Z', consecutiveFailures: 7, lagSeconds: 3600 },
  ]);
});

test('unreadable state and missing host directory', () => {
  expect(findings(facts({ state: { problem: '/srv/b/a.test/conf/backup-syncd/state.json is not a regular file (not read)' } }))).toEqual(['warn state-unreadable']);
  expect(judge(facts({ state: { problem: 'x' } })).replication.pending).toBeNull();
  expect(findings(facts({ addedAtMs: undefined }))).toEqual(['crit host-missing']);
});

test('the report: worst verdict, counts, exit code', () => {
  const ok = judge(facts());
  const warn = judge(facts({ listening: true, syncdService: { ...up(), state: 'down' } }));
  const { server } = facts();
  expect(buildReport(server, [ok, warn], NOW)).toMatchObject({ formatVersion: 1, verdict: 'warn', exitCode: 1, summary: { ok: 1, warn: 1, crit: 0 }, generatedAt: '2026-11-26T12:00:00.000Z' });
  expect(buildReport(server, [], NOW)).toMatchObject({ verdict: 'ok', exitCode: 0 });
});

test.each([[0, '0s'], [59, '59s'], [61, '1m 1s'], [3600, '1h 0m'], [93_600, '1d 2h']])('formatAge(%d) = %s', (seconds, text) => expect(formatAge(seconds)).toBe(text));

test('two hundred thousand pending snapshots: counted, the oldest found, no stack overflow', () => {
  const snapshots = new Map(Array.from({ length: 200_000 }, (_, n) => [key(n), NOW - HOUR + n] as const));
  const input = facts({ repository: { exists: true, snapshots, newestSnapshotMs: NOW - HOUR + 199_999, bytes: 1, unreadable: [] }, state: { value: { version: 1, replicated: new Set(), replicas: [] }, mtimeMs: NOW } });
  expect(judge(input).replication).toMatchObject({ pending: 200_000, oldestPendingAt: new Date(NOW - HOUR).toISOString() });
});
