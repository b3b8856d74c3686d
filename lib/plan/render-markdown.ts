/** The plan as a pull-request comment (GitHub-flavoured markdown). */
import { planTable, summaryLine } from './plan-cells';
import type { Plan } from './plan-model';

/** A cell must not break the table: escape pipes, keep one line. */
function cell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

export function renderPlanMarkdown(plan: Plan): string {
  const table = planTable(plan);
  const out: string[] = [`### Plan for \`${plan.root}\`: hosts.ts against the disk`, '', `**${summaryLine(plan)}**`, ''];
  if (table.rows.length > 0) {
    const headers = ['', ...table.headers.map((header) => header.charAt(0) + header.slice(1).toLowerCase()), 'Details'];
    out.push(`| ${headers.join(' | ')} |`, `|${headers.map(() => '---').join('|')}|`);
    for (const { mark, cells, details } of table.rows) {
      out.push(`| ${mark.trim() === '' ? '' : `\`${mark}\``} | ${[...cells, details.join('<br>')].map(cell).join(' | ')} |`);
    }
  }
  const section = (title: string, items: readonly string[]) => {
    if (items.length > 0) out.push('', `**${title}**`, '', ...items.map((item) => `- ${cell(item)}`));
  };
  section('Conflicts (nothing can be applied until they are resolved)', plan.conflicts.map((c) => `\`${c.name}\`: ${c.message}`));
  section('Errors (the plan is incomplete)', plan.errors);
  section('Warnings', plan.warnings);
  return `${out.join('\n')}\n`;
}
