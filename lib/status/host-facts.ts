/**
 * Everything status reads about one host, read-only: runit's view of its two services, the port,
 * the repositories, backup-syncd's state file and log. Files the service accounts write go through
 * lib/security/untrusted-file.ts. Judging the facts is ./evaluate.ts's job.
 */
import { promises as fs } from 'node:fs';
import type { ResolvedHost, ResolvedServer } from '../config/resolve';
import { hostPaths, logDir, serviceDir, SYNCD_SERVICE } from '../layout/paths';
import { storageBackend } from '../storage/registry';
import { readRepositories, type RepositoryFacts } from './repository';
import { readRunitService, type ServiceFacts } from './runit';
import { readUntrusted } from '../security/untrusted-file';
import { readSyncdLog, type SyncdLogFacts } from './syncd-log';
import { MAX_STATE_BYTES, parseSyncdStateFile, type SyncdStateFile } from './syncd-state-file';

/** The end of the log that is read: many days of a quiet daemon, several runs of a chatty one. */
export const LOG_TAIL_BYTES = 256 * 1024;

export type Readout<T> = { readonly value: T; readonly mtimeMs: number } | { readonly problem: string } | undefined;

export interface HostFacts {
  readonly host: ResolvedHost;
  /** undefined: the host directory does not exist. */
  readonly addedAtMs: number | undefined;
  readonly hostDirProblem: string | undefined;
  readonly storageService: ServiceFacts;
  readonly syncdService: ServiceFacts;
  /** undefined: unknown (no /proc/net). */
  readonly listening: boolean | undefined;
  readonly repository: RepositoryFacts;
  /** undefined: no state file yet. */
  readonly state: Readout<SyncdStateFile>;
  readonly log: Readout<SyncdLogFacts>;
}

export interface SystemFacts {
  readonly listeningPorts: ReadonlySet<number> | undefined;
  readonly locks: ReadonlyMap<string, number> | undefined;
}

/** The directory's birth time where the file system records it, else its mtime. */
async function addedAt(dir: string): Promise<{ addedAtMs: number | undefined; problem: string | undefined }> {
  try {
    const stats = await fs.stat(dir, { bigint: false });
    return { addedAtMs: stats.birthtimeMs > 0 ? stats.birthtimeMs : stats.mtimeMs, problem: undefined };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { addedAtMs: undefined, problem: code === 'ENOENT' ? undefined : `cannot read ${dir} (${code})` };
  }
}

async function readState(path: string): Promise<Readout<SyncdStateFile>> {
  const read = await readUntrusted(path, { maxBytes: MAX_STATE_BYTES });
  if (read.kind === 'absent') return undefined;
  if (read.kind === 'not-a-file') return { problem: `${path} is not a regular file (not read)` };
  if (read.kind === 'unreadable') return { problem: `cannot read ${path} (${read.code})` };
  const parsed = parseSyncdStateFile(read.text);
  return 'problem' in parsed ? { problem: `${path}: ${parsed.problem}` } : { value: parsed, mtimeMs: read.mtimeMs };
}

async function readLog(path: string): Promise<Readout<SyncdLogFacts>> {
  const read = await readUntrusted(path, { maxBytes: LOG_TAIL_BYTES, tail: true });
  if (read.kind === 'absent') return undefined;
  if (read.kind === 'not-a-file') return { problem: `${path} is not a regular file (not read)` };
  if (read.kind === 'unreadable') return { problem: `cannot read ${path} (${read.code})` };
  // A tail starts mid-line: drop the fragment.
  const text = read.truncated ? read.text.slice(read.text.indexOf('\n') + 1) : read.text;
  return { value: readSyncdLog(text), mtimeMs: read.mtimeMs };
}

export async function readHostFacts(server: ResolvedServer, host: ResolvedHost, system: SystemFacts): Promise<HostFacts> {
  const paths = hostPaths(server.root, host.name, host.storage);
  const backend = storageBackend(host.storage);
  const [dir, storageService, syncdService, repository, state, log] = await Promise.all([
    addedAt(paths.dir),
    readRunitService(serviceDir(paths, host.storage), system.locks),
    readRunitService(serviceDir(paths, SYNCD_SERVICE), system.locks),
    readRepositories(backend.watchRoot({ server, host, paths })),
    readState(paths.syncdState),
    readLog(`${logDir(paths, SYNCD_SERVICE)}/current`),
  ]);
  return {
    host,
    addedAtMs: dir.addedAtMs,
    hostDirProblem: dir.problem,
    storageService,
    syncdService,
    listening: system.listeningPorts === undefined ? undefined : system.listeningPorts.has(host.port),
    repository,
    state,
    log,
  };
}
