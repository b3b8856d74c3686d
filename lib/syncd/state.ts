/**
 * What has been replicated: the snapshot keys confirmed by a successful replica_sync. Pending work
 * is always derived (scan minus state), so a crash at any moment loses nothing and a snapshot is
 * listed again only if no run confirmed it. Version 2 adds the latest outcome of every replica
 * target (./replica-report.ts); a version 1 file reads as one with no replica known yet.
 */
import { promises as fs } from 'node:fs';
import { dirname } from 'node:path';
import type { ReplicaStatus } from './replica-report';

export const STATE_VERSION = 2;
/** Read, and upgraded on the next save. */
const READABLE_VERSIONS: readonly number[] = [1, STATE_VERSION];

export interface SyncdState {
  readonly replicated: ReadonlySet<string>;
  /** By target: what replica_sync reported of it last. @default {} */
  readonly replicas?: Readonly<Record<string, ReplicaStatus>>;
}

export interface Difference {
  readonly added: readonly string[];
  readonly removed: readonly string[];
}

export const EMPTY_STATE: SyncdState = { replicated: new Set(), replicas: {} };

const sorted = (values: Iterable<string>): string[] => [...values].sort();

export function difference(state: SyncdState, current: ReadonlySet<string>): Difference {
  return {
    added: sorted([...current].filter((key) => !state.replicated.has(key))),
    removed: sorted([...state.replicated].filter((key) => !current.has(key))),
  };
}

export const isEmpty = (diff: Difference): boolean => diff.added.length === 0 && diff.removed.length === 0;

/** The state after a run that replicated `diff` succeeded; what arrived meanwhile stays pending. */
export function confirm(state: SyncdState, diff: Difference): SyncdState {
  const replicated = new Set(state.replicated);
  for (const key of diff.added) replicated.add(key);
  for (const key of diff.removed) replicated.delete(key);
  return { ...state, replicated };
}

export function serializeState(state: SyncdState): string {
  const replicas = Object.fromEntries(Object.entries(state.replicas ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return `${JSON.stringify({ version: STATE_VERSION, replicated: sorted(state.replicated), replicas }, null, 1)}\n`;
}

export class StateFileError extends Error {}

export function parseState(text: string): SyncdState {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new StateFileError(`not JSON: ${(error as Error).message}`);
  }
  const record = value as { version?: unknown; replicated?: unknown; replicas?: unknown };
  if (!READABLE_VERSIONS.includes(record?.version as number) || !Array.isArray(record.replicated) || !record.replicated.every((key) => typeof key === 'string')) {
    throw new StateFileError(`expected {"version": ${READABLE_VERSIONS.join(' or ')}, "replicated": [strings], "replicas": {...}}`);
  }
  const replicas = record.replicas ?? {};
  if (typeof replicas !== 'object' || replicas === null || Array.isArray(replicas)) throw new StateFileError('"replicas" is not an object');
  return { replicated: new Set(record.replicated as string[]), replicas: replicas as Record<string, ReplicaStatus> };
}

/** A missing file is a first start: everything present is pending. */
export async function loadState(path: string): Promise<SyncdState> {
  try {
    return parseState(await fs.readFile(path, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return EMPTY_STATE;
    throw error;
  }
}

/** Write a temporary file, flush it, rename it over the state: readers see the old or the new state, never half. */
export async function saveState(path: string, state: SyncdState): Promise<void> {
  const temporary = `${path}.tmp-${process.pid}`;
  const handle = await fs.open(temporary, 'w', 0o640);
  try {
    await handle.writeFile(serializeState(state));
    await handle.sync();
  } finally {
    await handle.close();
  }
  await fs.rename(temporary, path);
  const directory = await fs.open(dirname(path), 'r');
  try {
    await directory.sync();
  } finally {
    await directory.close();
  }
}
