/** One line per event on stdout; svlogd adds the timestamps, so lines carry none. */
import { LOG_LEVELS, type LogConfig, type LogLevel } from './log-config';

export type LogFields = Readonly<Record<string, string | number | boolean | undefined>>;

export interface Logger {
  log(level: LogLevel, event: string, fields?: LogFields): void;
  debug(event: string, fields?: LogFields): void;
  info(event: string, fields?: LogFields): void;
  warn(event: string, fields?: LogFields): void;
  error(event: string, fields?: LogFields): void;
}

function textValue(value: string | number | boolean): string {
  const text = String(value);
  return /^[^\s"=]+$/.test(text) ? text : JSON.stringify(text);
}

/** `info event key=value ...` or `{"level":"info","event":"...",...}`. */
export function formatLine(config: LogConfig, level: LogLevel, event: string, fields: LogFields = {}): string {
  const present = Object.entries(fields).filter((entry): entry is [string, string | number | boolean] => entry[1] !== undefined);
  if (config.format === 'json') return JSON.stringify({ level, event, ...Object.fromEntries(present) });
  return [level, event, ...present.map(([key, value]) => `${key}=${textValue(value)}`)].join(' ');
}

export function createLogger(config: LogConfig, write: (line: string) => void = (line) => process.stdout.write(`${line}\n`)): Logger {
  const threshold = LOG_LEVELS.indexOf(config.level);
  const log = (level: LogLevel, event: string, fields?: LogFields): void => {
    if (LOG_LEVELS.indexOf(level) >= threshold) write(formatLine(config, level, event, fields));
  };
  return {
    log,
    debug: (event, fields) => log('debug', event, fields),
    info: (event, fields) => log('info', event, fields),
    warn: (event, fields) => log('warn', event, fields),
    error: (event, fields) => log('error', event, fields),
  };
}
