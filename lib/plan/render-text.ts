/**
 * The plan as an aligned table for a terminal, coloured when asked (stdout is a TTY). Every text
 * that comes from the disk or hosts.ts is escaped (./escape.ts) before colours are added.
 */
import { escapeForTerminal as shown } from './escape';
import { hasConflict, planTable, summaryLine } from './plan-cells';
import type { Plan, PlanAction } from './plan-model';

export interface TextOptions {
  /** Add ANSI colours. @default false */
  readonly color?: boolean;
}

type Style = 'green' | 'red' | 'yellow' | 'cyan' | 'bold' | 'dim';
const ANSI: Readonly<Record<Style, string>> = { green: '32', red: '31', yellow: '33', cyan: '36', bold: '1', dim: '2' };
const ACTION_STYLE: Readonly<Record<PlanAction, Style | undefined>> = {
  new: 'green', removed: 'red', changed: 'yellow', adopted: 'cyan', conflict: 'red', unchanged: undefined, 'left-alone': 'dim',
};

export function renderPlanText(plan: Plan, options: TextOptions = {}): string {
  const paint = (style: Style | undefined, text: string) => (options.color && style !== undefined ? `\u001b[${ANSI[style]}m${text}\u001b[0m` : text);
  const raw = planTable(plan);
  const table = { headers: raw.headers, rows: raw.rows.map((row) => ({ ...row, cells: row.cells.map(shown), details: row.details.map(shown) })) };
  const widths = table.headers.map((header, column) => Math.max(header.length, ...table.rows.map(({ cells }) => cells[column].length)));
  const line = (cells: readonly string[]) => cells.map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column]))).join('  ');

  const out: string[] = [`Plan for ${shown(plan.root)}: hosts.ts against the disk`, ''];
  if (table.rows.length === 0) out.push('  No hosts in hosts.ts or on disk.');
  else out.push(paint('bold', `    ${line(table.headers)}`));
  for (const { mark, row, cells, details } of table.rows) {
    const style = hasConflict(plan, row) ? 'red' : ACTION_STYLE[row.action];
    out.push(paint(style, `  ${mark} ${line(cells)}`));
    for (const detail of details) out.push(paint('dim', `        ${detail}`));
  }
  const section = (title: string, style: Style, items: readonly string[]) => {
    if (items.length === 0) return;
    out.push('', paint(style, title));
    for (const item of items) out.push(paint(style, `  ${shown(item)}`));
  };
  section('Conflicts (nothing can be applied until they are resolved):', 'red', plan.conflicts.map((c) => `! ${c.name}: ${c.message}`));
  section('Errors (the plan is incomplete):', 'red', plan.errors);
  section('Warnings:', 'yellow', plan.warnings);
  out.push('', paint('bold', summaryLine(plan)));
  return `${out.join('\n')}\n`;
}
