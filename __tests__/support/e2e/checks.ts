/**
 * Checks every end-to-end test makes of a deployed host, whatever its storage: services run as the
 * service user, logs fill, and directories, scripts and links have the owners and modes that
 * lib/render/host-commands.ts defines (and the README documents). Storage-specific files
 * (credentials) are each test's own business.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { hostAccounts, hostDirectories, loggerRunAs, MARKER_FORMAT, resolveServer, serverDirectories, type HostPaths } from '../../../lib';
import { readProcess } from './processes';
import { waitFor, type ServiceStatus } from './runit';
import type { TestServer } from './test-server';
import { ownership } from './tree';
import { accountIds } from '../accounts';


/**
 * The storage service runs as the host's storage account, backup-syncd as its replicator, and each
 * svlogd as the account owning its log (docs/security.md). The pid runit reports is the run script
 * until it execs chpst and the daemon (same pid), so wait for that exec.
 */
export async function expectServicesRunAsHostAccounts(paths: HostPaths, statuses: Readonly<Record<string, ServiceStatus>>): Promise<void> {
  const accounts = hostAccounts(paths.name);
  for (const service of paths.services) {
    const daemon = service === paths.services[0] ? accounts.storage : accounts.replicator;
    for (const [pid, account] of [[statuses[service]!.pid!, daemon], [statuses[service]!.log!.pid!, loggerRunAs(paths, service).user]] as const) {
      await waitFor(`${service} (pid ${pid}) of ${paths.name} to drop to ${account}`, () => readProcess(pid)?.uid !== 0, { timeoutMs: 5000, describe: () => JSON.stringify(readProcess(pid)) });
      expect(readProcess(pid)).toMatchObject(accountIds(account));
      expect(execFileSync('ps', ['-o', 'user:40=', '-p', String(pid)], { encoding: 'utf8' }).trim()).toBe(account);
    }
  }
}

/** Directories, run scripts, log config, TLS links, enable link and marker of a deployed host. */
export function expectDocumentedHostLayout(server: TestServer, paths: HostPaths, marker: Readonly<Record<string, unknown>>): void {
  for (const { path, owner, group, mode } of hostDirectories(paths)) expect([path, ownership(path)]).toEqual([path, { user: owner, group, mode }]);
  const scripts = [...paths.services.flatMap((service) => [`${paths.runsvs}/${service}/run`, `${paths.runsvs}/${service}/log/run`]), `${paths.runsvdirService}/run`, `${paths.runsvdirService}/log/run`, paths.replicaSync];
  // Written by root (Terraform) into root-owned directories without setgid.
  for (const script of scripts) expect([script, ownership(script)]).toEqual([script, { user: 'root', group: 'root', mode: '0755' }]);
  expect(ownership(paths.syncdLogConf)).toEqual({ user: 'root', group: 'root', mode: '0644' });
  expect(ownership(paths.marker)).toEqual({ user: 'root', group: 'root', mode: '0644' });
  expect(readlinkSync(`${paths.certs}/public.crt`)).toBe(server.tlsCertificate);
  expect(readlinkSync(`${paths.certs}/private.key`)).toBe(server.tlsKey);
  expect(readlinkSync(paths.enableLink)).toBe(paths.runsvdirService);
  expect(JSON.parse(readFileSync(paths.marker, 'utf8'))).toMatchObject({ format: MARKER_FORMAT, name: paths.name, ...marker });
}

/** The server root, its conf/ and the root-only directories below it. */
export function expectDocumentedServerLayout(server: TestServer): void {
  for (const { path, owner, group, mode } of serverDirectories(resolveServer(server.serverConfig()))) {
    expect([path, ownership(path)]).toEqual([path, { user: owner, group, mode }]);
  }
}

/** What svlogd has written so far to `logs/<service>/current` ('' before it exists). */
export function readLog(logs: string, service: string): string {
  const path = join(logs, service, 'current');
  return existsSync(path) ? readFileSync(path, 'utf8') : '';
}
