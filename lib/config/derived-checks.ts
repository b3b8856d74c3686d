/**
 * Checks of what the configuration derives rather than states: the paths the layout makes under
 * the root and each host's directory, and the names each firewall backend derives from a host
 * (FirewallBackend.hostProblems). They run on every part that passed the schema, so they report
 * alongside the other problems, and they use the same defaults as everything else (./resolve.ts).
 */
import type { ConfigProblem } from './problems';
import { hostSchema, serverSchema } from './schema';
import { resolveHost, resolveServer, type ResolvedHost, type ResolvedServer } from './resolve';
import { generatedFilePaths, hostPaths, serverPaths, serviceDir } from '../layout/paths';
import { MAX_PATH_BYTES, MAX_SEGMENT_BYTES, pathLimitProblem, shortenPath } from '../layout/path-limits';
import { storageBackend } from '../storage/registry';
import { firewallBackend } from '../firewall/registry';
import type { z } from 'zod';
import type { BackupServerConfig, HostConfig, ServerConfig } from './types';

/** Names of the files the running services make, longer than anything this project names itself. */
const SNAPSHOT_ID = '0'.repeat(64);
const MINIO_PART_DIRECTORY = '0'.repeat(36); // a UUID: minio keeps large objects as <object>/<uuid>/part.N
const SVLOGD_ROTATED = `@${'0'.repeat(24)}.s`;
const SUPERVISE_STATUS = 'supervise/status.new';

/**
 * The longest paths under a host's directory: everything lib/layout/paths.ts names, runit's
 * supervise files, svlogd's rotated logs and the deepest file of the restic repository.
 */
export function deepestHostPaths(server: ResolvedServer, host: ResolvedHost): string[] {
  const paths = hostPaths(server.root, host.name, host.storage);
  const named = Object.values(paths).flat().filter((value): value is string => typeof value === 'string' && value.startsWith('/'));
  const serviceDirs = [...paths.services.map((service) => serviceDir(paths, service)), paths.runsvdirService];
  const repositoryFile = `${storageBackend(host.storage).watchRoot({ server, host, paths })}/data/00/${SNAPSHOT_ID}`;
  return [
    ...named,
    ...generatedFilePaths(paths),
    ...serviceDirs.flatMap((dir) => [`${dir}/${SUPERVISE_STATUS}`, `${dir}/log/${SUPERVISE_STATUS}`]),
    ...paths.logDirs.map((dir) => `${dir}/${SVLOGD_ROTATED}`),
    host.storage === 'minio' ? `${repositoryFile}/${MINIO_PART_DIRECTORY}/part.1` : repositoryFile,
  ];
}

function firstOverLimit(paths: readonly string[]): string | undefined {
  const path = paths.find((candidate) => pathLimitProblem(candidate) !== undefined);
  return path === undefined ? undefined : `"${shortenPath(path)}": ${pathLimitProblem(path)}`;
}

const LIMITS = `each name at most ${MAX_SEGMENT_BYTES} bytes and ${MAX_PATH_BYTES} bytes in all`;

function serverProblems(server: ResolvedServer): ConfigProblem[] {
  const derived = [...Object.values(serverPaths(server.root)), server.tlsCertificate, server.tlsKey, server.backend.localStatePath]
    .filter((path) => path.startsWith(`${server.root}/`));
  const over = firstOverLimit(derived);
  return over === undefined ? [] : [{ field: 'server.root', value: server.root, allowed: `a root whose derived paths stay within Linux's limits (${LIMITS}); ${over}` }];
}

function hostProblems(server: ResolvedServer, host: ResolvedHost, index: number): ConfigProblem[] {
  const problem = (allowed: string): ConfigProblem => ({ field: `hosts[${index}].name`, host: host.name, value: host.name, allowed });
  const over = firstOverLimit(deepestHostPaths(server, host));
  const firewall = firewallBackend(server.firewall.backend).hostProblems?.(server, host) ?? [];
  return [
    ...(over === undefined ? [] : [problem(`a host name whose paths on the server stay within Linux's limits (${LIMITS}; shorten it or server.root); ${over}`)]),
    ...firewall.map(problem),
  ];
}

/**
 * Problems of derived paths and names, for the server and every host that passed the schema.
 * `parsed`: the whole configuration, when it passed the schema (saves parsing each part again).
 */
export function derivedChecks(raw: unknown, parsed?: BackupServerConfig): ConfigProblem[] {
  const config = raw as { server?: unknown; hosts?: unknown } | undefined;
  const parsedServer = parsed?.server ?? parsedPart<ServerConfig>(serverSchema, config?.server);
  if (parsedServer === undefined) return [];
  const server = resolveServer(parsedServer);
  const hosts: readonly unknown[] = parsed?.hosts ?? (Array.isArray(config?.hosts) ? config.hosts : []);
  return [
    ...serverProblems(server),
    ...hosts.flatMap((value, index) => {
      const host = parsed === undefined ? parsedPart<HostConfig>(hostSchema, value) : (value as HostConfig);
      return host === undefined ? [] : hostProblems(server, resolveHost(host, server), index);
    }),
  ];
}

function parsedPart<T>(schema: z.ZodType<unknown>, value: unknown): T | undefined {
  const result = schema.safeParse(value);
  return result.success ? (result.data as T) : undefined;
}
