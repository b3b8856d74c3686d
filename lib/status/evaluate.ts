/**
 * Facts to verdicts: pure, with the time passed in. The rules (docs/status.md):
 *
 *   crit  host directory missing; storage service not up; its port not listening; newest snapshot
 *         older than maxSnapshotAge; no snapshot after the new-host grace period; quota reached;
 *         a snapshot still not replicated after maxSnapshotAge
 *   warn  backup-syncd not up; a service restarted less than 5 minutes ago; no snapshot yet within
 *         the grace period; quota at 90 % or more; replication failing (last replica_sync run
 *         failed, or a replica check failed); a snapshot pending for over an hour; anything that
 *         could not be read
 */
import type { ResolvedServer } from '../config/resolve';
import type { HostFacts } from './host-facts';
import { printable } from './printable';
import { EXIT_CODES, STATUS_FORMAT_VERSION, worst, type Finding, type HostReport, type ServiceReport, type StatusReport, type TargetReport } from './report';
import { wasRestarted, type ServiceFacts } from './runit';
import { pendingKeys } from './syncd-state-file';

export const QUOTA_WARN_PERCENT = 90;
/** A run that ended this recently after a restart is a flapping service until proven otherwise. */
export const RECENT_RESTART_SECONDS = 300;
/** Pending longer than this is more than a replica_sync run in progress. */
export const PENDING_WARN_SECONDS = 3600;

/** An ISO time, or null for no time or one a Date cannot hold (a corrupt file must not stop the report). */
const iso = (ms: number | undefined): string | null => (ms === undefined || !Number.isFinite(new Date(ms).getTime()) ? null : new Date(ms).toISOString());
const seconds = (ms: number): number => Math.max(0, Math.round(ms / 1000));

/** 3d 4h, 5h 12m, 7m 3s, 42s. */
export function formatAge(totalSeconds: number): string {
  const s = Math.max(0, Math.round(totalSeconds));
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d > 0) return `${d}d ${h}h`;
  if (h > 0) return `${h}h ${m}m`;
  if (m > 0) return `${m}m ${s % 60}s`;
  return `${s}s`;
}

function serviceReport(service: ServiceFacts, now: number): ServiceReport {
  return {
    state: service.state,
    pid: service.pid ?? null,
    since: iso(service.sinceMs),
    uptimeSeconds: service.sinceMs === undefined ? null : seconds(now - service.sinceMs),
    wantUp: service.wantUp ?? null,
    paused: service.paused ?? null,
    supervisorSince: iso(service.supervisorSinceMs),
    restarted: wasRestarted(service) ?? null,
    detail: service.detail === undefined ? null : printable(service.detail),
  };
}

const idOf = (key: string): string => key.slice(key.lastIndexOf('/') + 1);

export function evaluateHost(server: ResolvedServer, facts: HostFacts, now: number): HostReport {
  const { host, repository } = facts;
  const findings: Finding[] = [];
  const crit = (code: string, message: string) => findings.push({ level: 'crit', code, message });
  const warn = (code: string, message: string) => findings.push({ level: 'warn', code, message });

  if (facts.addedAtMs === undefined && facts.hostDirProblem === undefined) crit('host-missing', `the host directory does not exist: not deployed yet?`);
  if (facts.hostDirProblem !== undefined) warn('unreadable', facts.hostDirProblem);

  // Services.
  const services = { storage: serviceReport(facts.storageService, now), backupSyncd: serviceReport(facts.syncdService, now) };
  const describe = (name: string, service: ServiceFacts) => `${name} is ${service.state}${service.detail === undefined ? '' : ` (${printable(service.detail)})`}`;
  if (facts.storageService.state === 'unknown') warn('storage-unknown', describe(host.storage, facts.storageService));
  else if (facts.storageService.state !== 'up') crit('storage-down', describe(host.storage, facts.storageService));
  if (facts.listening === false) crit('not-listening', `nothing listens on port ${host.port}`);
  if (facts.syncdService.state !== 'up') warn(facts.syncdService.state === 'unknown' ? 'syncd-unknown' : 'syncd-down', describe('backup-syncd', facts.syncdService));
  for (const [name, service] of [[host.storage, services.storage], ['backup-syncd', services.backupSyncd]] as const) {
    if (service.restarted === true && service.uptimeSeconds !== null && service.uptimeSeconds < RECENT_RESTART_SECONDS) {
      warn('restarted', `${name} was restarted by runit ${formatAge(service.uptimeSeconds)} ago`);
    }
  }

  // Snapshots.
  const count = repository.snapshots.size;
  const newest = repository.newestSnapshotMs;
  const maxAge = host.maxSnapshotAgeSeconds;
  const newestAge = newest === undefined ? null : seconds(now - newest);
  if (newestAge !== null && newestAge > maxAge) crit('stale', `newest snapshot is ${formatAge(newestAge)} old (maximum ${formatAge(maxAge)})`);
  if (count === 0 && facts.addedAtMs !== undefined) {
    const hostAge = seconds(now - facts.addedAtMs);
    if (hostAge > server.newHostGracePeriodSeconds) crit('no-snapshot', `no snapshot ${formatAge(hostAge)} after the host was added (grace period ${formatAge(server.newHostGracePeriodSeconds)})`);
    else warn('no-snapshot-yet', `no snapshot yet; the host was added ${formatAge(hostAge)} ago (grace period ${formatAge(server.newHostGracePeriodSeconds)})`);
  }
  for (const path of repository.unreadable.slice(0, 3)) warn('unreadable', `cannot read ${printable(path)}: figures are lower bounds`);

  // Quota.
  const quota = host.quotaBytes;
  const usedPercent = quota === undefined ? null : Math.round((repository.bytes / quota) * 1000) / 10;
  if (usedPercent !== null && usedPercent >= 100) crit('quota-exceeded', `repository uses ${usedPercent} % of its quota`);
  else if (usedPercent !== null && usedPercent >= QUOTA_WARN_PERCENT) warn('quota-high', `repository uses ${usedPercent} % of its quota`);

  // Replication.
  const state = facts.state !== undefined && 'value' in facts.state ? facts.state : undefined;
  if (facts.state !== undefined && 'problem' in facts.state) warn('state-unreadable', printable(facts.state.problem));
  const log = facts.log !== undefined && 'value' in facts.log ? facts.log.value : undefined;
  if (facts.log !== undefined && 'problem' in facts.log) warn('unreadable', printable(facts.log.problem));
  const replicated = state?.value.replicated ?? new Set<string>();
  const stateKnown = state !== undefined || facts.state === undefined;
  const pending = stateKnown ? pendingKeys(repository.snapshots.keys(), replicated) : undefined;
  // A loop, not Math.min(...): a first start can leave a hundred thousand snapshots pending.
  let oldestPending: number | undefined;
  for (const key of pending ?? []) {
    const mtime = repository.snapshots.get(key)!;
    if (oldestPending === undefined || mtime < oldestPending) oldestPending = mtime;
  }
  const newestKey = newest === undefined ? undefined : [...repository.snapshots].find(([, mtime]) => mtime === newest)?.[0];
  const newestPending = newestKey !== undefined && pending !== undefined && !replicated.has(newestKey);
  const lastConfirmedMs = state?.mtimeMs;
  const lagSeconds = newest === undefined || pending === undefined ? null
    : newestPending ? seconds(now - newest) : lastConfirmedMs === undefined ? null : seconds(lastConfirmedMs - newest);

  if (oldestPending !== undefined) {
    const age = seconds(now - oldestPending);
    if (age > maxAge) crit('replica-stale', `${pending!.length} snapshot(s) not replicated, the oldest for ${formatAge(age)} (maximum ${formatAge(maxAge)})`);
    else if (age > PENDING_WARN_SECONDS) warn('replication-behind', `${pending!.length} snapshot(s) not replicated, the oldest for ${formatAge(age)}`);
  }
  const configured = new Set(host.replica.rcloneTargets);
  const checks = new Map((state?.value.replicas ?? []).map((check) => [check.target, check]));
  const targets: TargetReport[] = [...new Set([...host.replica.rcloneTargets, ...checks.keys()])].sort().map((target) => {
    const check = checks.get(target);
    const foundNewest = check?.ok === true && newestKey !== undefined && !check.missing.includes(idOf(newestKey))
      && check.checkedAtMs !== undefined && check.checkedAtMs >= newest!;
    return {
      target: printable(target),
      configured: configured.has(target),
      checkedAt: iso(check?.checkedAtMs),
      ok: check?.ok ?? null,
      missing: check === undefined ? null : check.missing.length,
      error: check?.error === undefined ? null : printable(check.error, 600),
      lastSuccessAt: iso(check?.lastSuccessAtMs),
      consecutiveFailures: check?.consecutiveFailures ?? null,
      lagSeconds: check === undefined || newest === undefined ? null : foundNewest ? seconds(check.checkedAtMs! - newest) : seconds(now - newest),
    };
  });
  const failingTargets = targets.filter((target) => target.ok === false);
  for (const target of failingTargets) warn('replication-failing', `replica ${target.target}: ${target.error ?? `${target.missing ?? 0} snapshot(s) missing`}`);
  // A failed run that no target's check explains (an operator's own script, a script that died
  // before verifying): the log says why.
  if (failingTargets.length === 0 && log?.lastError !== undefined) {
    warn('replication-failing', `last replica_sync run failed${log.failuresSinceSuccess > 1 ? ` (${log.failuresSinceSuccess} times in a row)` : ''}: ${log.lastError.message}`);
  }

  const verdict = worst(findings.map((finding) => finding.level));
  return {
    name: host.name,
    storage: host.storage,
    port: host.port,
    verdict,
    findings,
    addedAt: iso(facts.addedAtMs),
    services,
    listening: facts.listening ?? null,
    snapshots: { count: facts.addedAtMs === undefined ? null : count, newestAt: iso(newest), newestAgeSeconds: newestAge, maxAgeSeconds: maxAge },
    repository: { bytes: facts.addedAtMs === undefined ? null : repository.bytes, quotaBytes: quota ?? null, quotaUsedPercent: usedPercent },
    replication: {
      stateVersion: state?.value.version ?? null,
      pending: pending === undefined || facts.addedAtMs === undefined ? null : pending.length,
      oldestPendingAt: iso(oldestPending),
      lastConfirmedAt: iso(lastConfirmedMs),
      lagSeconds,
      failuresSinceSuccess: log?.failuresSinceSuccess ?? null,
      lastError: log?.lastError === undefined ? null : { at: iso(log.lastError.atMs), message: log.lastError.message },
      targets,
    },
  };
}

export function buildReport(server: ResolvedServer, hosts: readonly HostReport[], now: number): StatusReport {
  const verdict = worst(hosts.map((host) => host.verdict));
  const summary = { ok: 0, warn: 0, crit: 0 };
  for (const host of hosts) summary[host.verdict]++;
  return {
    formatVersion: STATUS_FORMAT_VERSION,
    generatedAt: new Date(now).toISOString(),
    serverName: server.serverName,
    root: server.root,
    verdict,
    exitCode: EXIT_CODES[verdict],
    summary,
    hosts,
  };
}
