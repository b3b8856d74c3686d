/** The words every renderer shows for a plan: table cells, change lines, the summary sentence. */
import { formatBytes } from './format-bytes';
import { ACTION_MARKS, type Plan, type PlanChange, type PlanRow } from './plan-model';

export interface PlanTable {
  readonly headers: readonly string[];
  /** One per row: the mark first, then the cells under `headers`. */
  readonly rows: readonly { readonly mark: string; readonly row: PlanRow; readonly cells: readonly string[]; readonly details: readonly string[] }[];
}

const yesNo = (value: boolean | undefined): string => (value === undefined ? '-' : value ? 'yes' : 'no');

export function portCell(row: PlanRow): string {
  const { portBefore: before, portAfter: after } = row;
  if (before !== undefined && after !== undefined && before !== after) return `${before} -> ${after}`;
  return String(after ?? before ?? '-');
}

export function changeLine(change: PlanChange): string {
  return `${change.field}: ${change.from} -> ${change.to}${change.note === undefined ? '' : ` (${change.note})`}`;
}

export function hasConflict(plan: Plan, row: PlanRow): boolean {
  return plan.conflicts.some((conflict) => conflict.name === row.name);
}

/** Rows of the plan as table cells; the DATA column only when sizes were counted. */
export function planTable(plan: Plan): PlanTable {
  const sizes = plan.rows.some((row) => row.sizeBytes !== undefined);
  const headers = ['HOST', 'ACTION', 'PORT', 'STORAGE', 'ENABLED', 'CREDENTIALS', ...(sizes ? ['DATA'] : [])];
  return {
    headers,
    rows: plan.rows.map((row) => ({
      mark: hasConflict(plan, row) ? ACTION_MARKS.conflict : ACTION_MARKS[row.action],
      row,
      cells: [
        row.name, row.action, portCell(row), row.storage, yesNo(row.enabled), yesNo(row.credentials),
        ...(sizes ? [row.sizeBytes === undefined ? '-' : formatBytes(row.sizeBytes)] : []),
      ],
      details: [...row.changes.map(changeLine), ...row.notes],
    })),
  };
}

export function summaryLine(plan: Plan): string {
  const { summary } = plan;
  const counts = [
    `${summary.new} new`,
    `${summary.adopted} adopted`,
    `${summary.changed} changed`,
    `${summary.removed} removed (nothing deleted)`,
    `${summary.unchanged} unchanged`,
    ...(summary.leftAlone ? [`${summary.leftAlone} left alone`] : []),
  ].join(', ');
  const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;
  if (summary.errors > 0 || summary.conflicts > 0) {
    const problems = [
      ...(summary.conflicts > 0 ? [plural(summary.conflicts, 'conflict')] : []),
      ...(summary.errors > 0 ? [plural(summary.errors, 'unreadable path')] : []),
    ];
    return `Plan stopped by ${problems.join(' and ')}: resolve before deploying. Otherwise: ${counts}.`;
  }
  if (plan.exitCode === 0) {
    const alone = summary.leftAlone ? `; ${summary.leftAlone} left alone` : '';
    return `No changes: the disk matches hosts.ts (${plural(summary.unchanged, 'host')}${alone}).`;
  }
  return `Plan: ${counts}.`;
}
