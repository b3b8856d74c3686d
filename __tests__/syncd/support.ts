/** Helpers of the backup-syncd tests: temporary trees, snapshot ids, a recording replica_sync. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync, chmodSync, existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';

export function tempDir(label: string): { readonly path: string; readonly remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), `syncd-${label}-`));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** A deterministic 64-hex snapshot id. */
export const snapshotId = (n: number | string): string => createHash('sha256').update(String(n)).digest('hex');

/** A restic snapshot as rest-server / rclone / a local repository store it: a plain file. */
export function writeFileSnapshot(repository: string, id: string): void {
  mkdirSync(join(repository, 'snapshots'), { recursive: true });
  writeFileSync(join(repository, 'snapshots', id), 'snapshot');
}

/** A restic snapshot as minio stores it: `<id>/xl.meta`. */
export function writeMinioSnapshot(repository: string, id: string): void {
  mkdirSync(join(repository, 'snapshots', id), { recursive: true });
  writeFileSync(join(repository, 'snapshots', id, 'xl.meta'), 'meta');
}

/**
 * A replica_sync that appends one JSON line per run to `<dir>/runs` (ids from $1 and $2 and the
 * environment), holds while `<dir>/hold` exists, marks `<dir>/running` meanwhile, and exits with
 * the number in `<dir>/exit` (0 if absent).
 */
export function recordingScript(dir: string): { readonly script: string; readonly runs: () => RecordedRun[] } {
  const script = join(dir, 'replica_sync');
  writeFileSync(script, [
    '#!/bin/sh',
    'set -eu',
    `d='${dir}'`,
    // Overlap: another run holds the lock and is still alive (a killed run leaves a stale lock).
    'if ! mkdir "$d/lock" 2>/dev/null && kill -0 "$(cat "$d/lock/pid" 2>/dev/null || echo none)" 2>/dev/null; then echo overlap >> "$d/overlaps"; fi',
    'mkdir -p "$d/lock" && echo "$$" > "$d/lock/pid"',
    ': > "$d/running"',
    'while [ -e "$d/hold" ]; do sleep 0.02; done',
    "added=$(tr '\\000' ' ' < \"$1\")",
    "removed=$(tr '\\000' ' ' < \"$2\")",
    'printf \'{"added":"%s","removed":"%s","host":"%s","root":"%s","envAdded":"%s"}\\n\' "$added" "$removed" "$BACKUP_HOST" "$BACKUP_SYNCD_ROOT" "$BACKUP_SYNCD_ADDED" >> "$d/runs"',
    'echo "recorded run"',
    'rm -f "$d/running"',
    'rm -rf "$d/lock"',
    'code=0; [ -e "$d/exit" ] && code=$(cat "$d/exit")',
    'exit "$code"',
    '',
  ].join('\n'));
  chmodSync(script, 0o755);
  const runs = (): RecordedRun[] => {
    const file = join(dir, 'runs');
    if (!existsSync(file)) return [];
    return readFileSync(file, 'utf8').trim().split('\n').filter(Boolean).map((line) => {
      const raw = JSON.parse(line) as { added: string; removed: string; host: string; root: string; envAdded: string };
      const words = (text: string): string[] => text.split(' ').filter(Boolean);
      return { added: words(raw.added), removed: words(raw.removed), host: raw.host, root: raw.root, envAdded: words(raw.envAdded) };
    });
  };
  return { script, runs };
}

export interface RecordedRun {
  readonly added: readonly string[];
  readonly removed: readonly string[];
  readonly host: string;
  readonly root: string;
  readonly envAdded: readonly string[];
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until `condition` holds; fails with `what` after `timeoutMs`. */
export async function waitFor(what: string | (() => string), condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${typeof what === 'string' ? what : what()}`);
    await sleep(20);
  }
}

export const allAdded = (runs: readonly RecordedRun[]): string[] => runs.flatMap((run) => run.added);
