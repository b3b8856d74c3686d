/**
 * `backup-syncd.log.conf` (written by lib/render/syncd-log-conf.ts): `key=value` lines; `#` starts
 * a comment; blank lines and spaces around keys and values are ignored.
 *   level   debug | info | warn | error   (default info)
 *   format  text | json                   (default text)
 * A bad line is reported and skipped, so a typo never stops replication.
 */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export const LOG_FORMATS = ['text', 'json'] as const;

export type LogLevel = (typeof LOG_LEVELS)[number];
export type LogFormat = (typeof LOG_FORMATS)[number];

export interface LogConfig {
  readonly level: LogLevel;
  readonly format: LogFormat;
}

export const DEFAULT_LOG_CONFIG: LogConfig = { level: 'info', format: 'text' };

export interface ParsedLogConfig {
  readonly config: LogConfig;
  /** One message per skipped line, naming the line and what is allowed. */
  readonly problems: readonly string[];
}

const oneOf = (values: readonly string[]): string => values.join(' | ');

export function parseLogConfig(text: string): ParsedLogConfig {
  let level: LogLevel = DEFAULT_LOG_CONFIG.level;
  let format: LogFormat = DEFAULT_LOG_CONFIG.format;
  const problems: string[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.replace(/#.*$/, '').trim();
    if (line === '') return;
    const where = `line ${index + 1} (${JSON.stringify(raw.trim())})`;
    const equals = line.indexOf('=');
    if (equals < 0) {
      problems.push(`${where}: expected key=value`);
      return;
    }
    const key = line.slice(0, equals).trim();
    const value = line.slice(equals + 1).trim();
    if (key === 'level') {
      if ((LOG_LEVELS as readonly string[]).includes(value)) level = value as LogLevel;
      else problems.push(`${where}: level is one of ${oneOf(LOG_LEVELS)}`);
    } else if (key === 'format') {
      if ((LOG_FORMATS as readonly string[]).includes(value)) format = value as LogFormat;
      else problems.push(`${where}: format is one of ${oneOf(LOG_FORMATS)}`);
    } else {
      problems.push(`${where}: unknown key "${key}"; the keys are level and format`);
    }
  });
  return { config: { level, format }, problems };
}
