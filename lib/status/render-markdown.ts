/** The status as a markdown table, for a ticket or a chat message. */
import { HEADERS, hostCells, hostDetails } from './cells';
import type { StatusReport } from './report';

/** Cells must not end the table row or start code spans. */
const cell = (text: string): string => text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/`/g, '\\`').replace(/[<>]/g, (c) => (c === '<' ? '&lt;' : '&gt;'));

export function renderStatusMarkdown(report: StatusReport): string {
  const out = [`### Backup status of ${cell(report.serverName)}: ${report.verdict.toUpperCase()}`, '', `${report.summary.ok} ok, ${report.summary.warn} warn, ${report.summary.crit} crit, at ${report.generatedAt}.`, ''];
  if (report.hosts.length > 0) {
    out.push(`| ${HEADERS.join(' | ')} |`, `|${HEADERS.map(() => '---').join('|')}|`);
    for (const host of report.hosts) out.push(`| ${hostCells(host).map(cell).join(' | ')} |`);
    const details = report.hosts.flatMap((host) => hostDetails(host).map((detail) => `- **${cell(host.name)}** ${cell(detail)}`));
    if (details.length > 0) out.push('', ...details);
  }
  return `${out.join('\n')}\n`;
}
