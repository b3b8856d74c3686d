/** Configuration problems, reported all together before anything is synthesized or written. */

export interface ConfigProblem {
  /** Where the value sits, e.g. `hosts[1].port`. */
  readonly field: string;
  /** The host the field belongs to, when known, to make the message easy to find in hosts.ts. */
  readonly host?: string;
  /** The value as given. */
  readonly value: unknown;
  /** What is allowed instead. */
  readonly allowed: string;
}

export function formatValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  let text: string;
  try {
    text = typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
  } catch {
    text = String(value);
  }
  return text.length > 80 ? `${text.slice(0, 60)}… (${text.length} characters)` : text;
}

export function formatProblem(problem: ConfigProblem): string {
  const where = problem.host === undefined ? problem.field : `${problem.field} (host ${formatValue(problem.host)})`;
  return `${where}: got ${formatValue(problem.value)}; allowed: ${problem.allowed}`;
}

export class ConfigError extends Error {
  constructor(readonly problems: readonly ConfigProblem[]) {
    super(
      `hosts.ts has ${problems.length} problem${problems.length === 1 ? '' : 's'}; nothing was synthesized:\n` +
        problems.map((p) => `  - ${formatProblem(p)}`).join('\n'),
    );
    this.name = 'ConfigError';
  }
}
