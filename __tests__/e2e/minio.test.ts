/**
 * End to end on this machine with the minio backend: synthesize, apply (test applier), run the
 * runit tree as the systemd unit would, then change a port, remove a host, re-apply, and stop.
 * minio and backup-syncd are stand-ins (see support/e2e/stand-ins.ts): no minio binary exists here.
 */
import { existsSync, lstatSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { hostAccounts, type BackupServerConfig, type HostConfig } from '../../lib';
import { describeAsRootWithServiceAccount } from '../support/tools';
import { TestServer } from '../support/e2e/test-server';
import { freePorts } from '../support/e2e/ports';
import { serviceStatus, waitFor, type ServiceStatus } from '../support/e2e/runit';
import { ownership, hashTree } from '../support/e2e/tree';
import { describeProcesses, readProcess } from '../support/e2e/processes';
import { readBackupSyncdArguments, readMinioRecord } from '../support/e2e/stand-ins';
import { expectDocumentedHostLayout, expectDocumentedServerLayout, expectServicesRunAsHostAccounts, readLog } from '../support/e2e/checks';
import type { ApplyReport } from '../support/applier';

jest.setTimeout(120_000);

const A = 'ahost.example.com';
const B = 'bhost.example.com';

/** GET / over TLS on 127.0.0.1:port; resolves with the body or rejects (refused, TLS error). */
function fetchStandIn(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const call = request({ host: '127.0.0.1', port, path: '/', rejectUnauthorized: false, timeout: 2000 }, (response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => { body += chunk.toString(); });
      response.on('end', () => resolve(body));
    });
    call.on('error', reject);
    call.on('timeout', () => call.destroy(new Error('timeout')));
    call.end();
  });
}

const reachable = (port: number) => fetchStandIn(port).then((body) => body === 'minio stand-in\n', () => false);

describeAsRootWithServiceAccount(['runsvdir', 'runsv', 'sv', 'chpst', 'svlogd', 'openssl'], 'end to end with the minio backend (stand-in minio)', () => {
  let server: TestServer;
  let ports: number[];
  let startedAt: number;
  const hosts = (portOfA: number, withB = true): HostConfig[] => [
    { name: A, port: portOfA },
    ...(withB ? [{ name: B, port: ports[1]!, consolePort: ports[3]! }] : []),
  ];
  const config = (portOfA: number, withB = true): BackupServerConfig => ({ server: server.serverConfig(), hosts: hosts(portOfA, withB) });
  const statusOf = (host: string, service: string) => serviceStatus(`${server.hostPaths(host).runsvs}/${service}`);
  const pidsOf = (host: string) => {
    const paths = server.hostPaths(host);
    const all = [serviceStatus(paths.runsvdirService), ...paths.services.map((service) => statusOf(host, service))];
    return all.flatMap((status: ServiceStatus) => [status.pid, status.log?.pid]);
  };
  const noProvisionerFailed = (report: ApplyReport) => expect(report.provisioners.filter((run) => run.exitCode !== 0)).toEqual([]);

  beforeAll(async () => {
    startedAt = Date.now();
    server = TestServer.create('e2e-minio');
    ports = await freePorts(4);
  });

  afterAll(async () => {
    await server?.teardown();
    // The figure for the closing note of issue 7.
    console.info(`end-to-end minio test: ${((Date.now() - startedAt) / 1000).toFixed(1)} s`);
  });

  test('deploy: every service of both hosts runs as the accounts of its host, logs, and has its documented owners and modes', async () => {
    const report = await server.apply(config(ports[0]!));
    noProvisionerFailed(report);
    expect(report.replaced).toEqual([]);
    expect(report.created).toContain('null_resource.hosts_bhost_example_com_service');
    server.startSupervisor();

    for (const [name, port] of [[A, ports[0]!], [B, ports[1]!]] as const) {
      const paths = server.hostPaths(name);
      const statuses = await server.waitForHost(name);
      await expectServicesRunAsHostAccounts(paths, statuses);

      // minio got the credentials of config.json from its environment and the documented command line.
      const credentials = JSON.parse(readFileSync(`${paths.storageConf}/config.json`, 'utf8')) as { credential: { accessKey: string; secretKey: string } };
      expect(credentials.credential.accessKey).toMatch(/^[A-Z0-9]{20}$/);
      expect(credentials.credential.secretKey).toMatch(/^[A-Za-z0-9_-]{40}$/);
      const record = await waitFor('the minio stand-in record', () => readMinioRecord(server.records, statuses.minio!.pid!));
      const console = name === B ? ['--console-address', `:${ports[3]}`] : [];
      expect(record.argv).toEqual(['server', '--quiet', '--address', `:${port}`, ...console, '--certs-dir', paths.certs, paths.storageData]);
      expect(record.env).toEqual({
        MINIO_ROOT_USER: credentials.credential.accessKey,
        MINIO_ROOT_PASSWORD: credentials.credential.secretKey,
        ...(name === A ? { MINIO_BROWSER: 'off' } : {}),
      });
      expect(record.cwd).toBe(`${paths.runsvs}/minio`);
      expect(await pollReachable(port, true)).toBe(true);

      const syncdArguments = await waitFor('the backup-syncd stand-in record', () => readBackupSyncdArguments(server.records, statuses['backup-syncd']!.pid!));
      expect(syncdArguments).toEqual(['--host', name, '--watch', `${paths.storageData}/backups/restic`, '--script', paths.replicaSync, '--state', paths.syncdState, '--log-config', paths.syncdLogConf]);

      // Logs: svlogd writes each service's output to logs/<service>/current.
      await waitFor(`${name}'s minio log`, () => readLog(paths.logs, 'minio').includes(`minio stand-in listening on :${port}`), { describe: () => readLog(paths.logs, 'minio') });
      await waitFor(`${name}'s backup-syncd log`, () => readLog(paths.logs, 'backup-syncd').includes(`backup-syncd stand-in started: --host ${name}`));
      expect(existsSync(join(paths.logs, 'runsvdir', 'current'))).toBe(true);

      // Owners and modes as lib/render/host-commands.ts defines them.
      expectDocumentedHostLayout(server, paths, { port, storage: 'minio' });
      // Root (the run script) and the replicator read the keys; minio gets them in its environment.
      expect(ownership(`${paths.storageConf}/config.json`)).toEqual({ user: 'root', group: hostAccounts(name).replicator, mode: '0640' });
    }
    expectDocumentedServerLayout(server);
  });

  test('a second apply with no change runs no provisioner and changes nothing', async () => {
    const report = await server.apply(config(ports[0]!));
    expect(report.provisioners).toEqual([]);
    expect([report.created, report.replaced, report.destroyed]).toEqual([[], [], []]);
    expect(report.unchanged.length).toBeGreaterThan(20);
  });

  test("changing host A's port restarts A's storage on the new port and leaves host B untouched", async () => {
    const pidsOfB = pidsOf(B);
    expect(pidsOfB.every((pid) => pid !== undefined)).toBe(true);
    const oldMinioOfA = statusOf(A, 'minio').pid!;
    const credentialsOfA = readFileSync(`${server.hostPaths(A).storageConf}/config.json`, 'utf8');

    const report = await server.apply(config(ports[2]!));
    noProvisionerFailed(report);
    expect(report.replaced).toContain('null_resource.hosts_ahost_example_com_service');
    expect(report.replaced).toContain('local_file.hosts_ahost_example_com_minio-run');
    expect([...report.created, ...report.replaced, ...report.destroyed].filter((address) => address.includes('bhost'))).toEqual([]);

    const statuses = await server.waitForHost(A);
    expect(statuses.minio!.pid).not.toBe(oldMinioOfA);
    expect(readProcess(oldMinioOfA)).toBeUndefined();
    const record = await waitFor('the new minio record', () => readMinioRecord(server.records, statuses.minio!.pid!));
    expect(record.argv).toContain(`:${ports[2]}`);
    // Clients keep their keys: the credentials are generated once, not on every change.
    expect(readFileSync(`${server.hostPaths(A).storageConf}/config.json`, 'utf8')).toBe(credentialsOfA);
    expect(record.env.MINIO_ROOT_USER).toBe((JSON.parse(credentialsOfA) as { credential: { accessKey: string } }).credential.accessKey);
    expect(await pollReachable(ports[2]!, true)).toBe(true);
    expect(await reachable(ports[0]!)).toBe(false);

    expect(pidsOf(B)).toEqual(pidsOfB);
  });

  test('removing host B stops all of its processes and keeps its data byte-identical; its link is gone', async () => {
    const paths = server.hostPaths(B);
    // A snapshot as minio keeps it on disk (an object is a directory holding xl.meta).
    const snapshot = join(paths.storageData, 'backups', 'restic', 'snapshots', 'a'.repeat(64));
    mkdirSync(snapshot, { recursive: true });
    writeFileSync(join(snapshot, 'xl.meta'), 'snapshot object\n');
    execFileSync('chown', ['-R', `${hostAccounts(B).storage}:${hostAccounts(B).storage}`, join(paths.storageData, 'backups')]);
    const dataBefore = hashTree(paths.storageData);
    const pidsOfA = pidsOf(A);
    expect(server.processesOfHost(B).length).toBeGreaterThan(0);

    const report = await server.apply(config(ports[2]!, false));
    noProvisionerFailed(report);
    expect(report.destroyed).toContain('null_resource.hosts_bhost_example_com_service');
    expect(report.replaced).toEqual(['null_resource.server_retire-removed-hosts']);
    // As in Terraform: the removed block's own destroy-time provisioner does not run; retirement does the work.
    expect(report.provisioners.map(({ address, when }) => `${when} ${address}`)).toEqual(['create null_resource.server_retire-removed-hosts']);

    expect(describeProcesses(server.processesOfHost(B))).toBe('');
    expect(hashTree(paths.storageData)).toBe(dataBefore);
    expect(() => lstatSync(paths.enableLink)).toThrow(/ENOENT/);
    expect(existsSync(`${paths.storageConf}/config.json`)).toBe(true);
    expect(existsSync(paths.marker)).toBe(true);
    expect(() => lstatSync(`${paths.certs}/private.key`)).toThrow(/ENOENT/);
    expect(pidsOf(A)).toEqual(pidsOfA);
  });

  test('SIGHUP to the top-level runsvdir, as systemd sends on stop, leaves no process of any host', async () => {
    expect(server.processesOfHost(A).length).toBeGreaterThan(0);
    expect(await server.stopSupervisor()).toBe(111);
    await waitFor('every process of the server to exit', () => server.processesOfServer().length === 0, {
      timeoutMs: 30_000,
      describe: () => describeProcesses(server.processesOfServer()),
    });
  });
});

/** Polls until the stand-in on `port` is (or is not) reachable; returns the last answer. */
async function pollReachable(port: number, wanted: boolean, timeoutMs = 20_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await reachable(port);
    if (ok === wanted || Date.now() > deadline) return ok;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
