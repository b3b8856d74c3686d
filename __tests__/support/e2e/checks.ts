/**
 * Checks every end-to-end test makes of a deployed host, whatever its storage: services run as the
 * service user, logs fill, and directories, scripts and links have the owners and modes that
 * lib/render/host-commands.ts defines (and the README documents). Storage-specific files
 * (credentials) are each test's own business.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { confDirectories, dataDirectories, CONF_DIR_MODE, DATA_DIR_MODE, MARKER_FORMAT, serverPaths, type HostPaths } from '../../../lib';
import { readProcess } from './processes';
import { waitFor, type ServiceStatus } from './runit';
import type { TestServer } from './test-server';
import { SERVICE_ACCOUNT, serviceAccountIds } from '../accounts';

export { serviceAccountIds };
import { ownership } from './tree';

/**
 * Every service of the host and its svlogd run as the service user, not root. The pid runit
 * reports is the run script until it execs chpst and the daemon, so wait for that exec (same pid).
 */
export async function expectServicesRunAsServiceAccount(paths: HostPaths, statuses: Readonly<Record<string, ServiceStatus>>): Promise<void> {
  const account = serviceAccountIds();
  for (const service of paths.services) {
    for (const pid of [statuses[service]!.pid!, statuses[service]!.log!.pid!]) {
      await waitFor(`${service} (pid ${pid}) of ${paths.name} to drop to ${SERVICE_ACCOUNT}`, () => readProcess(pid)?.uid !== 0, { timeoutMs: 5000, describe: () => JSON.stringify(readProcess(pid)) });
      expect(readProcess(pid)).toMatchObject({ uid: account.uid, gid: account.gid });
      expect(execFileSync('ps', ['-o', 'user=', '-p', String(pid)], { encoding: 'utf8' }).trim()).toBe(SERVICE_ACCOUNT);
    }
  }
}

/** Directories, run scripts, log config, TLS links, enable link and marker of a deployed host. */
export function expectDocumentedHostLayout(server: TestServer, paths: HostPaths, marker: Readonly<Record<string, unknown>>): void {
  for (const directory of confDirectories(paths)) expect([directory, ownership(directory)]).toEqual([directory, { user: 'root', group: SERVICE_ACCOUNT, mode: CONF_DIR_MODE }]);
  for (const directory of dataDirectories(paths)) expect([directory, ownership(directory)]).toEqual([directory, { user: SERVICE_ACCOUNT, group: SERVICE_ACCOUNT, mode: DATA_DIR_MODE }]);
  const scripts = [...paths.services.flatMap((service) => [`${paths.runsvs}/${service}/run`, `${paths.runsvs}/${service}/log/run`]), `${paths.runsvdirService}/run`, `${paths.runsvdirService}/log/run`, paths.replicaSync];
  // Written by root (Terraform); the group comes from the setgid conf directories.
  for (const script of scripts) expect([script, ownership(script)]).toEqual([script, { user: 'root', group: SERVICE_ACCOUNT, mode: '0755' }]);
  expect(ownership(paths.syncdLogConf)).toEqual({ user: 'root', group: SERVICE_ACCOUNT, mode: '0644' });
  expect(readlinkSync(`${paths.certs}/public.crt`)).toBe(server.tlsCertificate);
  expect(readlinkSync(`${paths.certs}/private.key`)).toBe(server.tlsKey);
  expect(readlinkSync(paths.enableLink)).toBe(paths.runsvdirService);
  expect(JSON.parse(readFileSync(paths.marker, 'utf8'))).toMatchObject({ format: MARKER_FORMAT, name: paths.name, ...marker });
}

/** The server root, its conf and conf/runit directories. */
export function expectDocumentedServerLayout(server: TestServer): void {
  const { root, conf, runit } = serverPaths(server.root);
  for (const directory of [root, conf, runit]) {
    expect([directory, ownership(directory)]).toEqual([directory, { user: 'root', group: SERVICE_ACCOUNT, mode: CONF_DIR_MODE }]);
  }
}

/** What svlogd has written so far to `logs/<service>/current` ('' before it exists). */
export function readLog(logs: string, service: string): string {
  const path = join(logs, service, 'current');
  return existsSync(path) ? readFileSync(path, 'utf8') : '';
}
