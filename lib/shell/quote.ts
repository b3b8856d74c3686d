/**
 * The one helper through which every value reaches a shell command or script.
 *
 * Values are validated when the configuration is loaded; this helper still refuses what no shell
 * word should ever carry (NUL, control characters), so a value that skipped validation fails loudly
 * instead of changing a command's meaning.
 */

const SAFE_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f]/;

export class UnsafeShellValueError extends Error {
  constructor(value: string) {
    super(`refusing to put a value with a control character into a shell command: ${JSON.stringify(value)}`);
    this.name = 'UnsafeShellValueError';
  }
}

/** Quote one value as a single POSIX shell word. Plain words stay as they are, for readability. */
export function shellQuote(value: string): string {
  // A safe word has no control character: one test for the common case.
  if (SAFE_WORD.test(value)) return value;
  if (CONTROL_CHARACTER.test(value)) throw new UnsafeShellValueError(value);
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** Quote each value and join them into the words of one command. */
export function shellWords(values: readonly string[]): string {
  return values.map(shellQuote).join(' ');
}
