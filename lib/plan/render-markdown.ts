/**
 * The plan as a pull-request comment (GitHub-flavoured markdown). Every text from the disk or
 * hosts.ts goes through escapeMarkdown: it can neither break the table nor add markup or HTML.
 */
import { escapeMarkdown as cell } from './escape';
import { planTable, summaryLine } from './plan-cells';
import type { Plan } from './plan-model';

export function renderPlanMarkdown(plan: Plan): string {
  const table = planTable(plan);
  const out: string[] = [`### Plan for ${cell(plan.root)}: hosts.ts against the disk`, '', `**${summaryLine(plan)}**`, ''];
  if (table.rows.length > 0) {
    const headers = ['', ...table.headers.map((header) => header.charAt(0) + header.slice(1).toLowerCase()), 'Details'];
    out.push(`| ${headers.join(' | ')} |`, `|${headers.map(() => '---').join('|')}|`);
    for (const { mark, cells, details } of table.rows) {
      out.push(`| ${mark.trim() === '' ? '' : `\`${mark}\``} | ${[...cells.map(cell), details.map(cell).join('<br>')].join(' | ')} |`);
    }
  }
  const section = (title: string, items: readonly string[]) => {
    if (items.length > 0) out.push('', `**${title}**`, '', ...items.map((item) => `- ${item}`));
  };
  section('Conflicts (nothing can be applied until they are resolved)', plan.conflicts.map((c) => `**${cell(c.name)}**: ${cell(c.message)}`));
  section('Errors (the plan is incomplete)', plan.errors.map(cell));
  section('Warnings', plan.warnings.map(cell));
  return `${out.join('\n')}\n`;
}
