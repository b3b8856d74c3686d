/** Configuration problems, reported all together before anything is synthesized or written. */
import { escapeUnsafeCharacters, formatValue } from './message-text';

export interface ConfigProblem {
  /** Where the value sits, e.g. `hosts[1].port`. */
  readonly field: string;
  /** The host the field belongs to, when known, to make the message easy to find in hosts.ts. */
  readonly host?: string;
  /** The value as given (a ValueDescription when it cannot be shown as data). */
  readonly value: unknown;
  /** What is allowed instead. */
  readonly allowed: string;
}

/**
 * One line per problem. Values go through formatValue; the whole line is escaped once more, so
 * text of the configuration quoted inside `field` or `allowed` cannot reach the terminal raw either.
 */
export function formatProblem(problem: ConfigProblem): string {
  const where = problem.host === undefined ? problem.field : `${problem.field} (host ${formatValue(problem.host)})`;
  return escapeUnsafeCharacters(`${where}: got ${formatValue(problem.value)}; allowed: ${problem.allowed}`);
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
