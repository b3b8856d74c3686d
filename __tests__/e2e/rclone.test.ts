/**
 * End to end on this machine with the rclone backend and nothing stood in: the stack is synthesized
 * and applied (test applier), the runit tree runs as the systemd unit runs it, `rclone serve restic`
 * serves each host, the real backup-syncd (bin/backup-syncd) runs the generated rclone replica_sync,
 * and the real restic client backs up over HTTPS with the generated credentials. Then a port
 * change, a host removal, a no-change apply and a stop.
 */
import { runRestic, type ResticResult } from '../support/restic';
import { chmodSync, lstatSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { hostAccounts, type BackupServerConfig, type HostConfig } from '../../lib';
import { describeAsRootWithServiceAccount } from '../support/tools';
import { TestServer } from '../support/e2e/test-server';
import { freePorts } from '../support/e2e/ports';
import { serviceStatus, waitFor, type ServiceStatus } from '../support/e2e/runit';
import { hashTree, ownership } from '../support/e2e/tree';
import { describeProcesses, readProcess } from '../support/e2e/processes';
import { expectDocumentedHostLayout, expectDocumentedServerLayout, expectServicesRunAsHostAccounts, readLog } from '../support/e2e/checks';
import type { ApplyReport } from '../support/applier';

jest.setTimeout(120_000);

const A = 'ahost.example.com';
const B = 'bhost.example.com';
const STORAGE = 'rclone';
/** The launcher of this checkout: runit starts the real daemon as the service user. */
const BACKUP_SYNCD = join(__dirname, '..', '..', 'bin', 'backup-syncd');

interface Credentials {
  readonly user: string;
  readonly password: string;
}


describeAsRootWithServiceAccount(['runsvdir', 'runsv', 'sv', 'chpst', 'svlogd', 'rclone', 'restic', 'openssl', 'htpasswd'], 'end to end with the rclone backend (real rclone, restic and backup-syncd)', () => {
  let server: TestServer;
  let ports: number[];
  let startedAt: number;
  let replica: string;
  let client: string;
  let snapshotId: string;

  const hosts = (portOfA: number, withB = true): HostConfig[] => [
    { name: A, port: portOfA, replica: { rcloneTargets: [replica] } },
    ...(withB ? [{ name: B, port: ports[1]! }] : []),
  ];
  const config = (portOfA: number, withB = true): BackupServerConfig => ({
    // restic resolves the server name: localhost is loopback and in the test certificate.
    server: server.serverConfig({ serverName: 'localhost', storage: STORAGE, backupSyncdCommand: BACKUP_SYNCD }),
    hosts: hosts(portOfA, withB),
  });
  const paths = (host: string) => server.hostPaths(host, STORAGE);
  const statusOf = (host: string, service: string) => serviceStatus(`${paths(host).runsvs}/${service}`);
  const pidsOf = (host: string) => {
    const hostPaths = paths(host);
    const all = [serviceStatus(hostPaths.runsvdirService), ...hostPaths.services.map((service) => statusOf(host, service))];
    return all.flatMap((status: ServiceStatus) => [status.pid, status.log?.pid]);
  };
  const noProvisionerFailed = (report: ApplyReport) => expect(report.provisioners.filter((run) => run.exitCode !== 0)).toEqual([]);
  const repository = (host: string) => `${paths(host).storageData}/${host}`;
  const credentialsOf = (host: string): Credentials => {
    const text = readFileSync(`${paths(host).storageConf}/client-credentials`, 'utf8');
    const value = (name: string) => new RegExp(`^${name}=(.+)$`, 'm').exec(text)?.[1];
    const user = value('RESTIC_REST_USERNAME');
    const password = value('RESTIC_REST_PASSWORD');
    if (user === undefined || password === undefined) throw new Error(`incomplete client credentials of ${host}:\n${text}`);
    return { user, password };
  };
  /** restic 0.14 reads the REST password only from the URL. */
  const urlWith = ({ user, password }: Credentials, port: number, repositoryUser: string) =>
    `rest:https://${user}:${password}@localhost:${port}/${repositoryUser}/`;
  const waitUntilServing = (host: string, port: number) =>
    waitFor(`${host}'s rclone to serve on :${port}`, () => readLog(paths(host).logs, STORAGE).includes(`Serving restic REST API on https://[::]:${port}/`) || undefined,
      { describe: () => readLog(paths(host).logs, STORAGE) });

  /**
   * Runs the real restic client with a fixed repository password, no cache, and the test
   * certificate; the secrets are only in the child's environment. With `stopOn`, the run is
   * interrupted once its stderr matches (restic 0.14 retries refused requests for a long time).
   */
  const restic = (args: readonly string[], stopOn?: RegExp): Promise<ResticResult> =>
    runRestic(['--no-cache', '--cacert', server.tlsCertificate, ...args], { PATH: process.env.PATH, HOME: client, RESTIC_PASSWORD: 'the client keeps this repository password to itself' }, stopOn);
  const snapshotIds = async (args: readonly string[]): Promise<string[]> => {
    const result = await restic([...args, 'snapshots', '--no-lock', '--json']);
    if (result.status !== 0) throw new Error(`restic snapshots failed (${result.status}):\n${result.stderr}`);
    return (JSON.parse(result.stdout) as { id: string }[]).map((snapshot) => snapshot.id);
  };

  beforeAll(async () => {
    startedAt = Date.now();
    server = TestServer.create('e2e-rclone');
    ports = await freePorts(3);
    // The replicas: a sticky directory (like /tmp) in which host A's replicator, whose account the
    // deploy creates, makes its own replica.
    mkdirSync(join(server.base, 'replicas'));
    chmodSync(join(server.base, 'replicas'), 0o1777);
    replica = join(server.base, 'replicas', A);
    client = join(server.base, 'client');
    mkdirSync(join(client, 'data'), { recursive: true });
    writeFileSync(join(client, 'data', 'file.txt'), 'precious data\n');
  });

  afterAll(async () => {
    await server?.teardown();
    // The figure for the closing note of issue 7.
    console.info(`end-to-end rclone test: ${((Date.now() - startedAt) / 1000).toFixed(1)} s`);
  });

  test('deploy: rclone and backup-syncd of both hosts run as the accounts of their host, log, and have their documented owners and modes', async () => {
    const report = await server.apply(config(ports[0]!));
    noProvisionerFailed(report);
    expect(report.replaced).toEqual([]);
    expect(report.created).toContain('null_resource.hosts_bhost_example_com_service');
    server.startSupervisor();

    for (const [name, port] of [[A, ports[0]!], [B, ports[1]!]] as const) {
      const hostPaths = paths(name);
      const statuses = await server.waitForHost(name, STORAGE);
      expect(Object.keys(statuses).sort()).toEqual(['backup-syncd', 'rclone', 'runsvdir']);
      await expectServicesRunAsHostAccounts(hostPaths, statuses);
      // The services are the real programs, not their run scripts.
      expect(readProcess(statuses.rclone!.pid!)?.argv.slice(0, 3)).toEqual(['/usr/bin/rclone', 'serve', 'restic']);
      // backup-syncd is the compiled daemon under plain node, as bin/backup-syncd runs it: no tsx at run time.
      const syncdArgv = readProcess(statuses['backup-syncd']!.pid!)?.argv ?? [];
      expect(syncdArgv.slice(0, 5)).toEqual(['node', '--lite-mode', '--no-expose-wasm', '--max-semi-space-size=1', `${join(__dirname, '..', '..')}/dist/backup-syncd.js`]);
      expect(syncdArgv.join(' ')).not.toMatch(/tsx/);

      await waitUntilServing(name, port);
      await waitFor(`${name}'s backup-syncd log`, () => readLog(hostPaths.logs, 'backup-syncd').includes('watch-root-missing') || undefined,
        { describe: () => readLog(hostPaths.logs, 'backup-syncd') });
      await waitFor(`${name}'s runsvdir log`, () => lstatSync(join(hostPaths.logs, 'runsvdir', 'current'), { throwIfNoEntry: false }));

      expectDocumentedHostLayout(server, hostPaths, { port, storage: STORAGE });
      // The client's password file is root's only; rclone reads only the bcrypt hash.
      expect(ownership(`${hostPaths.storageConf}/client-credentials`)).toEqual({ user: 'root', group: 'root', mode: '0600' });
      expect(ownership(`${hostPaths.storageConf}/htpasswd`)).toEqual({ user: 'root', group: hostAccounts(name).storage, mode: '0640' });
      expect(credentialsOf(name).user).toBe(name);
      expect(report.outputs[`hosts_${name.replace(/\./g, '_')}_repository-url`]).toBe(`rest:https://${name}@localhost:${port}/${name}/`);
    }
    expectDocumentedServerLayout(server);
  });

  test('restic backs up over HTTPS to host A; backup-syncd copies the snapshot to the replica within seconds', async () => {
    const url = urlWith(credentialsOf(A), ports[0]!, A);
    const init = await restic(['-r', url, 'init']);
    expect([init.status, init.stderr]).toEqual([0, '']);
    const backup = await restic(['-r', url, 'backup', '--json', join(client, 'data')]);
    const backupDone = Date.now();
    expect([backup.status, backup.stderr]).toEqual([0, '']);
    // restic 0.14's backup summary gives only the short id; the listing gives the full one.
    const summary = backup.stdout.split('\n').filter((line) => line.includes('"summary"')).map((line) => JSON.parse(line) as { snapshot_id: string });
    expect(summary).toHaveLength(1);
    const listedHere = await snapshotIds(['-r', url]);
    expect(listedHere).toHaveLength(1);
    snapshotId = listedHere[0]!;
    expect(snapshotId.startsWith(summary[0]!.snapshot_id)).toBe(true);
    expect(lstatSync(`${repository(A)}/snapshots/${snapshotId}`).isFile()).toBe(true);

    // A cheap check for the file first, then restic itself must list the snapshot on the replica.
    await waitFor('the snapshot on the replica', () => lstatSync(`${replica}/snapshots/${snapshotId}`, { throwIfNoEntry: false }), {
      timeoutMs: 30_000, intervalMs: 50, describe: () => readLog(paths(A).logs, 'backup-syncd'),
    });
    let listed: string[] = [];
    for (let attempt = 0; attempt < 50 && !listed.includes(snapshotId); attempt += 1) listed = await snapshotIds(['-r', replica]).catch(() => []);
    const latencyMs = Date.now() - backupDone;
    expect(listed).toEqual([snapshotId]);
    // The figure for the closing note of issue 7.
    console.info(`rclone e2e: restic backup finished -> snapshot listed on the replica: ${latencyMs} ms`);

    const log = await waitFor('backup-syncd to log the replication', () => {
      const text = readLog(paths(A).logs, 'backup-syncd');
      return text.includes('info replicated added=1 removed=0') ? text : undefined;
    }, { describe: () => readLog(paths(A).logs, 'backup-syncd') });
    expect(log).toContain('info snapshots-changed added=1 removed=0');
    expect(log).toMatch(/info replica-sync-start pid=\d+ added=1 removed=0/);
    // (The generated script turns the list's closing NUL into a space, hence the optional blank.)
    expect(log).toMatch(new RegExp(`replica-sync-output stream=stdout line="replica_sync: ${escape(A)}: added: ${snapshotId} ?; removed here, kept on the replicas: none"`));
    expect(log).toContain(`replica-sync-output stream=stdout line="replica_sync: copied ${repository(A)} to ${replica}; 1 snapshots verified there"`);
    expect(log).toContain(`info replica-verified target=${replica}`);
    expect(log).not.toMatch(/replica-sync-failed|cycle-failed/);
    // Written by A's replicator: the replica stays readable and writable for its next runs.
    expect(ownership(`${replica}/snapshots/${snapshotId}`).user).toBe(hostAccounts(A).replicator);
    expect(JSON.parse(readFileSync(paths(A).syncdState, 'utf8'))).toMatchObject({
      version: 2, replicated: [`./snapshots/${snapshotId}`], replicas: { [replica]: { ok: true, missing: [], error: null, consecutiveFailures: 0 } },
    });
    // Host B had nothing to replicate: its generated replica_sync only logs, and never ran.
    expect(readLog(paths(B).logs, 'backup-syncd')).not.toContain('replica-sync-start');
  });

  test("isolation: B's credentials cannot read A's repository, and A's credentials do not open B's service", async () => {
    const a = credentialsOf(A);
    const b = credentialsOf(B);
    expect(b.password).not.toBe(a.password);
    // B's own repository works with B's credentials (and gives B data to keep for the removal test).
    const initB = await restic(['-r', urlWith(b, ports[1]!, B), 'init']);
    expect([initB.status, initB.stderr]).toEqual([0, '']);

    const refused = /\b(401|403)\b/;
    for (const [credentials, port, repositoryUser] of [[b, ports[0]!, A], [b, ports[0]!, B], [a, ports[1]!, A], [a, ports[1]!, B]] as const) {
      const result = await restic(['-r', urlWith(credentials, port, repositoryUser), 'snapshots', '--no-lock', '--json'], refused);
      expect([credentials.user, port, repositoryUser, result.stderr]).toEqual([credentials.user, port, repositoryUser, expect.stringMatching(refused)]);
      expect(result.status).not.toBe(0);
      expect(result.stdout).not.toContain(snapshotId);
    }
  });

  test("changing host A's port restarts A's rclone on the new port and leaves host B untouched", async () => {
    const pidsOfB = pidsOf(B);
    expect(pidsOfB.every((pid) => pid !== undefined)).toBe(true);
    const oldRcloneOfA = statusOf(A, STORAGE).pid!;
    const credentialsBefore = readFileSync(`${paths(A).storageConf}/client-credentials`, 'utf8');

    const report = await server.apply(config(ports[2]!));
    noProvisionerFailed(report);
    expect(report.replaced).toContain('null_resource.hosts_ahost_example_com_service');
    expect([...report.created, ...report.replaced, ...report.destroyed].filter((address) => address.includes('bhost'))).toEqual([]);

    const statuses = await server.waitForHost(A, STORAGE);
    expect(statuses.rclone!.pid).not.toBe(oldRcloneOfA);
    expect(readProcess(oldRcloneOfA)).toBeUndefined();
    expect(readProcess(statuses.rclone!.pid!)?.argv).toContain(`:${ports[2]}`);
    await waitUntilServing(A, ports[2]!);
    expect(await accepts(ports[0]!)).toBe(false);
    // The client keeps its password: credentials are generated once, not on every change.
    expect(readFileSync(`${paths(A).storageConf}/client-credentials`, 'utf8')).toBe(credentialsBefore);
    expect(await snapshotIds(['-r', urlWith(credentialsOf(A), ports[2]!, A)])).toEqual([snapshotId]);

    expect(pidsOf(B)).toEqual(pidsOfB);
  });

  test('removing host B stops all of its processes and keeps its data byte-identical; its link is gone', async () => {
    const hostPaths = paths(B);
    expect(lstatSync(`${repository(B)}/config`).isFile()).toBe(true);
    const dataBefore = hashTree(hostPaths.storageData);
    const pidsOfA = pidsOf(A);
    expect(server.processesOfHost(B).length).toBeGreaterThan(0);

    const report = await server.apply(config(ports[2]!, false));
    noProvisionerFailed(report);
    expect(report.destroyed).toContain('null_resource.hosts_bhost_example_com_service');
    expect(report.replaced).toEqual(['null_resource.server_retire-removed-hosts']);
    expect(report.provisioners.map(({ address, when }) => `${when} ${address}`)).toEqual(['create null_resource.server_retire-removed-hosts']);

    expect(describeProcesses(server.processesOfHost(B))).toBe('');
    expect(hashTree(hostPaths.storageData)).toBe(dataBefore);
    expect(lstatSync(hostPaths.enableLink, { throwIfNoEntry: false })).toBeUndefined();
    expect(await accepts(ports[1]!)).toBe(false);
    expect(pidsOf(A)).toEqual(pidsOfA);
  });

  test('a second apply with no change runs no provisioner and changes nothing', async () => {
    const report = await server.apply(config(ports[2]!, false));
    expect(report.provisioners).toEqual([]);
    expect([report.created, report.replaced, report.destroyed]).toEqual([[], [], []]);
    expect(report.unchanged.length).toBeGreaterThan(10);
  });

  test('SIGHUP to the top-level runsvdir, as systemd sends on stop, leaves no process of any host', async () => {
    expect(server.processesOfHost(A).length).toBeGreaterThan(0);
    expect(await server.stopSupervisor()).toBe(111);
    await waitFor('every process of the server to exit', () => server.processesOfServer().length === 0, {
      timeoutMs: 30_000,
      describe: () => describeProcesses(server.processesOfServer()),
    });
    expect(await accepts(ports[2]!)).toBe(false);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Whether something accepts TCP connections on 127.0.0.1:port. */
function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('error', () => resolve(false));
  });
}
