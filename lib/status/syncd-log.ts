/**
 * What backup-syncd's own log (svlogd -tt, `<host>/logs/backup-syncd/current`) says about
 * replication: the last successful and the last failed replica_sync run, the failures since the
 * last success, the output that explains the last failure, and how often the daemon started. The
 * log is the replicator account's file: its text is data, shown only after `printable()`. Pure.
 */
import { printable } from './printable';

export interface LogEvent {
  readonly atMs: number | undefined;
  readonly level: string;
  readonly event: string;
  readonly fields: Readonly<Record<string, string>>;
}

export interface SyncdLogFacts {
  readonly lastSuccessMs: number | undefined;
  readonly lastFailureMs: number | undefined;
  /** Failed runs after the last successful one (within the part of the log read). */
  readonly failuresSinceSuccess: number;
  /** The last failure and what replica_sync printed just before it; undefined when the last run succeeded. */
  readonly lastError: { readonly atMs: number | undefined; readonly message: string } | undefined;
  /** `started` events: each is a start of the daemon. */
  readonly starts: number;
}

/** svlogd -tt: `2026-11-26_12:47:06.12345 ` (UTC). */
const SVLOGD_TIME = /^(\d{4}-\d{2}-\d{2})_(\d{2}:\d{2}:\d{2}(?:\.\d+)?) /;

function textFields(rest: string): { level: string; event: string; fields: Record<string, string> } | undefined {
  const head = /^(\w+) ([\w-]+)(.*)$/.exec(rest);
  if (head === null) return undefined;
  const fields: Record<string, string> = {};
  const pair = /\s([\w-]+)=("(?:[^"\\]|\\.)*"|\S*)/g;
  for (let match = pair.exec(head[3]!); match !== null; match = pair.exec(head[3]!)) {
    const raw = match[2]!;
    let value = raw;
    if (raw.startsWith('"')) {
      try {
        value = JSON.parse(raw) as string;
      } catch {
        value = raw;
      }
    }
    fields[match[1]!] = value;
  }
  return { level: head[1]!, event: head[2]!, fields };
}

function jsonFields(rest: string): { level: string; event: string; fields: Record<string, string> } | undefined {
  try {
    const value = JSON.parse(rest) as Record<string, unknown>;
    if (typeof value.level !== 'string' || typeof value.event !== 'string') return undefined;
    const fields = Object.fromEntries(Object.entries(value).filter(([key]) => key !== 'level' && key !== 'event').map(([key, field]) => [key, String(field)]));
    return { level: value.level, event: value.event, fields };
  } catch {
    return undefined;
  }
}

export function parseLogLine(line: string): LogEvent | undefined {
  const time = SVLOGD_TIME.exec(line);
  const rest = time === null ? line : line.slice(time[0].length);
  const atMs = time === null ? undefined : Date.parse(`${time[1]}T${time[2]!.slice(0, 12)}Z`);
  const parsed = rest.startsWith('{') ? jsonFields(rest) : textFields(rest);
  return parsed === undefined ? undefined : { atMs: Number.isFinite(atMs) ? atMs : undefined, ...parsed };
}

const FAILURES = new Set(['replica-sync-failed', 'cycle-failed']);
/** How many lines of replica_sync output before a failure explain it. */
const EXPLAINING_LINES = 3;

/** Events whose lines are parsed at all; a cheap test skips the rest (most of a busy log). */
const WANTED = ['started', 'replica-sync-start', 'replica-sync-output', 'replicated', ...FAILURES];

/** The event name of a line without parsing it all: text lines are `<time> <level> <event> ...`. */
function eventOf(line: string): string | undefined {
  const json = line.indexOf('{"level"');
  if (json >= 0) return /"event":"([\w-]+)"/.exec(line)?.[1];
  const time = SVLOGD_TIME.test(line) ? line.indexOf(' ') + 1 : 0;
  const level = line.indexOf(' ', time);
  if (level < 0) return undefined;
  const end = line.indexOf(' ', level + 1);
  return line.slice(level + 1, end < 0 ? undefined : end);
}

export function readSyncdLog(text: string): SyncdLogFacts {
  let lastSuccessMs: number | undefined = undefined;
  let lastFailureMs: number | undefined;
  let failuresSinceSuccess = 0;
  let lastError: SyncdLogFacts['lastError'];
  let starts = 0;
  let output: string[] = [];
  let lastSuccessLine: string | undefined;
  // Only the last success matters: its line is parsed once, at the end.
  for (const line of text.split('\n')) {
    const name = eventOf(line);
    if (name === undefined || !WANTED.includes(name)) continue;
    if (name === 'started') {
      starts++;
      continue;
    }
    if (name === 'replica-sync-start') {
      output = [];
      continue;
    }
    if (name === 'replicated') {
      lastSuccessLine = line;
      failuresSinceSuccess = 0;
      lastError = undefined;
      continue;
    }
    const event = parseLogLine(line);
    if (event === undefined) continue;
    if (event.event === 'replica-sync-output' && event.fields.line !== undefined) output = [...output, event.fields.line].slice(-EXPLAINING_LINES);
    else if (FAILURES.has(event.event)) {
      lastFailureMs = event.atMs;
      failuresSinceSuccess++;
      const summary = Object.entries(event.fields).map(([key, value]) => `${key}=${value}`).join(' ');
      // Each part cut on its own, so a long first line cannot push out the last, most telling one.
      const parts = [`${event.event}${summary === '' ? '' : ` ${summary}`}`, ...output].map((part) => printable(part, 240));
      lastError = { atMs: event.atMs, message: parts.join(' | ') };
    }
  }
  if (lastSuccessLine !== undefined) lastSuccessMs = parseLogLine(lastSuccessLine)?.atMs;
  return { lastSuccessMs, lastFailureMs, failuresSinceSuccess, lastError, starts };
}
