/** The plan for machines: the Plan object as JSON, with a format version for consumers. */
import type { Plan } from './plan-model';

export const PLAN_JSON_FORMAT = 1;

export function renderPlanJson(plan: Plan): string {
  return `${JSON.stringify({ format: PLAN_JSON_FORMAT, ...plan }, null, 2)}\n`;
}
