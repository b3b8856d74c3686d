/** The status as an aligned table for a terminal; coloured when asked (stdout is a TTY). */
import { HEADERS, hostCells, hostDetails } from './cells';
import type { StatusReport, Verdict } from './report';

const COLOUR: Readonly<Record<Verdict, string>> = { ok: '32', warn: '33', crit: '31' };

export function renderStatusText(report: StatusReport, options: { readonly color?: boolean } = {}): string {
  const paint = (code: string, text: string) => (options.color ? `\u001b[${code}m${text}\u001b[0m` : text);
  const rows = report.hosts.map((host) => ({ host, cells: hostCells(host) }));
  const widths = HEADERS.map((header, column) => Math.max(header.length, ...rows.map(({ cells }) => cells[column]!.length)));
  const line = (cells: readonly string[]) => cells.map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column]!))).join('  ');
  const out = [`Status of ${report.serverName} (${report.root}) at ${report.generatedAt}`, ''];
  if (rows.length === 0) out.push('No hosts in hosts.ts.');
  else out.push(paint('1', line(HEADERS)));
  for (const { host, cells } of rows) {
    out.push(paint(COLOUR[host.verdict], line(cells)));
    for (const detail of hostDetails(host)) out.push(`    ${detail}`);
  }
  const { summary } = report;
  out.push('', paint(COLOUR[report.verdict], `${report.verdict.toUpperCase()}: ${summary.ok} ok, ${summary.warn} warn, ${summary.crit} crit`));
  return `${out.join('\n')}\n`;
}
