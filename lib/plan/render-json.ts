/**
 * The plan for machines: the Plan object as JSON, with a format version for consumers; characters
 * that would act on a terminal it is printed to are \u-escaped (the same JSON values).
 */
import { escapeJsonText } from './escape';
import type { Plan } from './plan-model';

export const PLAN_JSON_FORMAT = 1;

export function renderPlanJson(plan: Plan): string {
  return `${escapeJsonText(JSON.stringify({ format: PLAN_JSON_FORMAT, ...plan }, null, 2))}\n`;
}
