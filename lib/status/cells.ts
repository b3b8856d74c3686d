/** The words the text and markdown renderers show for a host: one row of cells, and its details. */
import { formatBytes } from '../plan/format-bytes';
import { formatAge } from './evaluate';
import { printable } from './printable';
import type { HostReport, ServiceReport } from './report';

export const HEADERS = ['HOST', 'VERDICT', 'STORAGE', 'SYNCD', 'PORT', 'SNAPSHOTS', 'NEWEST', 'SIZE / QUOTA', 'PENDING', 'REPLICATED', 'LAG'] as const;

function service(report: ServiceReport): string {
  if (report.state !== 'up') return report.state;
  const uptime = report.uptimeSeconds === null ? '' : ` ${formatAge(report.uptimeSeconds)}`;
  return `up${uptime}${report.restarted ? ' (restarted)' : ''}`;
}

const dash = (value: string | null | undefined): string => value ?? '-';

export function hostCells(host: HostReport): string[] {
  const { snapshots, repository, replication } = host;
  const size = repository.bytes === null ? '-' : formatBytes(repository.bytes);
  const quota = repository.quotaBytes === null ? '' : ` / ${formatBytes(repository.quotaBytes)} (${repository.quotaUsedPercent} %)`;
  return [
    host.name,
    host.verdict,
    `${host.storage} ${service(host.services.storage)}`,
    service(host.services.backupSyncd),
    `${host.port}${host.listening === false ? ' closed' : host.listening === null ? ' ?' : ''}`,
    dash(snapshots.count?.toString()),
    snapshots.newestAgeSeconds === null ? '-' : `${formatAge(snapshots.newestAgeSeconds)} ago`,
    `${size}${quota}`,
    dash(replication.pending?.toString()),
    replication.lastConfirmedAt === null ? '-' : replication.lastConfirmedAt.replace(/\.\d+Z$/, 'Z'),
    replication.lagSeconds === null ? '-' : formatAge(replication.lagSeconds),
  ];
}

/** Findings and replica targets, one line each, already made printable. */
export function hostDetails(host: HostReport): string[] {
  return [
    ...host.findings.map((finding) => `${finding.level}: ${finding.message}`),
    ...host.replication.targets.map((target) => {
      const result = target.ok === null ? 'not checked' : target.ok ? 'ok' : `FAILED${target.error === null ? '' : `: ${target.error}`}`;
      const checked = target.checkedAt === null ? '' : ` (checked ${target.checkedAt}${target.lagSeconds === null ? '' : `, lag ${formatAge(target.lagSeconds)}`})`;
      return `replica ${printable(target.target)}: ${result}${checked}`;
    }),
  ];
}
