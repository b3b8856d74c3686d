/**
 * Operations end to end on this machine: two hosts on `rclone serve restic` under real runit, the
 * real backup-syncd writing Prometheus textfiles, the real restic client. `backup-status --json` is
 * read at each stage (before any backup, after backups and replication, with the replica made
 * unwritable, with a tiny maxSnapshotAge) with its exit code; the textfiles pass
 * `promtool check metrics` and agree with the status; host A is set up from the client bundle as
 * printed (`npm run client`), and its systemd unit's ExecStart makes the backup.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, lstatSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BackupServerConfig, HostConfig } from '../../lib';
import { runClientCli } from '../../lib/client/cli';
import { runStatusCli } from '../../lib/status/cli';
import type { HostReport, StatusReport } from '../../lib/status/report';
import { runRestic, type ResticResult } from '../support/restic';
import { describeAsRootWithServiceAccount } from '../support/tools';
import { TestServer } from '../support/e2e/test-server';
import { freePorts } from '../support/e2e/ports';
import { waitFor } from '../support/e2e/runit';
import { readLog } from '../support/e2e/checks';
import { parseExposition } from '../support/exposition';

jest.setTimeout(180_000);

const A = 'ahost.example.com';
const B = 'bhost.example.com';
const STORAGE = 'rclone';
const BACKUP_SYNCD = join(__dirname, '..', '..', 'bin', 'backup-syncd');
const REPOSITORY_PASSWORD = 'the client keeps this repository password to itself';

describeAsRootWithServiceAccount(['runsvdir', 'runsv', 'sv', 'chpst', 'svlogd', 'rclone', 'restic', 'openssl', 'htpasswd', 'promtool'], 'status, metrics and client bundle end to end (real runit, rclone, restic, backup-syncd)', () => {
  let server: TestServer;
  let ports: number[];
  let replica: string;
  let textfiles: string;
  let client: string;
  let hostsFile: string;

  const config = (overrides: { maxSnapshotAgeOfA?: string } = {}): BackupServerConfig => ({
    server: server.serverConfig({ serverName: 'localhost', storage: STORAGE, backupSyncdCommand: BACKUP_SYNCD, monitoring: { textfileDirectory: textfiles } }),
    hosts: [
      { name: A, port: ports[0]!, replica: { rcloneTargets: [replica] }, quota: '1G', ...(overrides.maxSnapshotAgeOfA === undefined ? {} : { maxSnapshotAge: overrides.maxSnapshotAgeOfA }) },
      { name: B, port: ports[1]! },
    ] satisfies HostConfig[],
  });
  const paths = (host: string) => server.hostPaths(host, STORAGE);

  let hostsFiles = 0;
  const status = async (configuration = config()): Promise<{ code: number; report: StatusReport; byHost: Record<string, HostReport> }> => {
    // A new file each time: the hosts file is loaded with require(), which caches by path.
    hostsFile = join(server.base, `hosts-${hostsFiles++}.json`);
    writeFileSync(hostsFile, JSON.stringify(configuration));
    let stdout = '';
    let stderr = '';
    const code = await runStatusCli(['--config', hostsFile, '--json'], { stdout: { write: (text: string) => (stdout += text) }, stderr: { write: (text: string) => (stderr += text) }, env: {} });
    expect(stderr).toBe('');
    const report = JSON.parse(stdout) as StatusReport;
    expect(report.exitCode).toBe(code);
    return { code, report, byHost: Object.fromEntries(report.hosts.map((host) => [host.name, host])) };
  };
  const codes = (host: HostReport) => host.findings.map((finding) => finding.code);

  const promFile = (host: string) => join(textfiles, `${host}.prom`);
  const promtoolCheck = (file: string) => spawnSync('promtool', ['check', 'metrics'], { input: readFileSync(file), encoding: 'utf8' });
  const metric = (host: string, name: string, labels: Record<string, string> = {}): number | undefined =>
    parseExposition(readFileSync(promFile(host), 'utf8')).find((sample) => sample.name === `restic_backup_server_${name}` && Object.entries({ host, ...labels }).every(([key, value]) => sample.labels[key] === value))?.value;

  const restic = (args: readonly string[], env: NodeJS.ProcessEnv): Promise<ResticResult> => runRestic(args, { PATH: process.env.PATH, HOME: client, ...env });
  const credentialsOf = (host: string) => {
    const text = readFileSync(`${paths(host).storageConf}/client-credentials`, 'utf8');
    return { user: /^RESTIC_REST_USERNAME=(.+)$/m.exec(text)![1]!, password: /^RESTIC_REST_PASSWORD=(.+)$/m.exec(text)![1]! };
  };
  const backupB = async () => {
    const { user, password } = credentialsOf(B);
    const env = { RESTIC_REPOSITORY: `rest:https://${user}:${password}@localhost:${ports[1]}/${user}/`, RESTIC_PASSWORD: REPOSITORY_PASSWORD };
    return restic(['--no-cache', '--cacert', server.tlsCertificate, 'backup', join(client, 'data')], env);
  };
  /** The environment the unit's EnvironmentFile gives: KEY=VALUE lines. */
  const environmentFile = (file: string): Record<string, string> => Object.fromEntries(readFileSync(file, 'utf8').split('\n').filter((line) => /^[A-Z_]+=/.test(line)).map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]));
  const confirmed = (host: string, count: number) => waitFor(`${host}'s backup-syncd to confirm ${count} snapshot(s)`, () => {
    try {
      return (JSON.parse(readFileSync(paths(host).syncdState, 'utf8')) as { replicated: string[] }).replicated.length === count || undefined;
    } catch {
      return undefined;
    }
  }, { timeoutMs: 60_000, describe: () => readLog(paths(host).logs, 'backup-syncd') });
  const metricsShow = (host: string, name: string, value: number, labels: Record<string, string> = {}) =>
    waitFor(`${host}.prom to show ${name} ${value}`, () => {
      try {
        return metric(host, name, labels) === value || undefined;
      } catch {
        return undefined;
      }
    }, { timeoutMs: 30_000, describe: () => (lstatSync(promFile(host), { throwIfNoEntry: false }) ? readFileSync(promFile(host), 'utf8') : 'no file') });

  beforeAll(async () => {
    server = TestServer.create('e2e-status');
    ports = await freePorts(2);
    // Sticky and writable by all, as docs/status.md advises for the textfile directory: each host's
    // replicator (an account the deploy creates) writes its own files there.
    for (const dir of ['replicas', 'textfiles']) {
      mkdirSync(join(server.base, dir));
      chmodSync(join(server.base, dir), 0o1777);
    }
    replica = join(server.base, 'replicas', A);
    textfiles = join(server.base, 'textfiles');
    client = join(server.base, 'client');
    mkdirSync(join(client, 'data'), { recursive: true });
    writeFileSync(join(client, 'data', 'file.txt'), 'precious data\n');
  });

  afterAll(async () => {
    await server?.teardown();
  });

  test('before any backup: both hosts warn (no snapshot yet, within the grace period), exit 1; the metrics files pass promtool', async () => {
    const report = await server.apply(config());
    expect(report.provisioners.filter((run) => run.exitCode !== 0)).toEqual([]);
    // The generated run script carries the metrics options.
    expect(readFileSync(`${paths(A).runsvs}/backup-syncd/run`, 'utf8')).toContain(`--metrics-dir ${textfiles} --storage-service rclone --storage-port ${ports[0]} --max-snapshot-age 93600s --quota-bytes 1073741824`);
    server.startSupervisor();
    for (const host of [A, B]) await server.waitForHost(host, STORAGE);
    for (const [host, port] of [[A, ports[0]!], [B, ports[1]!]] as const) {
      await waitFor(`${host} to serve`, () => readLog(paths(host).logs, STORAGE).includes(`Serving restic REST API on https://[::]:${port}/`) || undefined);
      await metricsShow(host, 'up', 1, { service: STORAGE });
    }

    const { code, report: json, byHost } = await status();
    expect([code, json.verdict, json.summary]).toEqual([1, 'warn', { ok: 0, warn: 2, crit: 0 }]);
    for (const host of [A, B]) {
      expect(codes(byHost[host]!)).toEqual(['no-snapshot-yet']);
      expect(byHost[host]).toMatchObject({
        services: { storage: { state: 'up', restarted: false }, backupSyncd: { state: 'up', restarted: false } },
        listening: true,
        snapshots: { count: 0, newestAt: null, maxAgeSeconds: 93_600 },
        replication: { pending: 0, lastError: null },
      });
      expect(byHost[host]!.services.storage.pid).toBeGreaterThan(0);
      const check = promtoolCheck(promFile(host));
      expect([check.status, check.stdout, check.stderr]).toEqual([0, '', '']);
      expect(metric(host, 'snapshots')).toBe(0);
      expect(metric(host, 'up', { service: 'backup-syncd' })).toBe(1);
    }
    expect(byHost[A]!.repository).toMatchObject({ quotaBytes: 1024 ** 3 });
    expect(byHost[A]!.replication.targets).toEqual([expect.objectContaining({ target: replica, configured: true, checkedAt: null })]);
    // Only the .prom files and nothing half-written are left in the directory.
    expect(readdirSync(textfiles).sort()).toEqual([`${A}.prom`, `${B}.prom`]);
  });

  test('the client bundle, run as printed, sets host A up; its unit\'s ExecStart backs up with the real restic', async () => {
    const bundle = join(server.base, 'bundle-a.sh');
    let stderr = '';
    expect(await runClientCli([A, '--config', hostsFile, '--output', bundle], { stdout: { write: () => true }, stderr: { write: (text: string) => (stderr += text) } })).toBe(0);
    expect(lstatSync(bundle).mode & 0o777).toBe(0o600);
    // An existing file is never overwritten.
    expect(await runClientCli([A, '--config', hostsFile, '--output', bundle], { stdout: { write: () => true }, stderr: { write: (text: string) => (stderr += text) } })).toBe(1);
    expect(stderr).toContain('already exists');

    const etc = join(client, 'etc');
    const units = join(client, 'units');
    mkdirSync(etc, { recursive: true });
    writeFileSync(join(etc, 'paths'), `${join(client, 'data')}\n`);
    const run = spawnSync('sh', [bundle], { env: { PATH: process.env.PATH, RESTIC_CLIENT_DIR: etc, SYSTEMD_UNIT_DIR: units }, encoding: 'utf8' });
    expect([run.status, run.stderr]).toEqual([0, '']);
    expect(lstatSync(join(etc, 'env')).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(etc, 'paths'), 'utf8')).toBe(`${join(client, 'data')}\n`);
    writeFileSync(join(etc, 'password'), `${REPOSITORY_PASSWORD}\n`, { mode: 0o600 });

    const env = environmentFile(join(etc, 'env'));
    // restic 0.14: the REST password in the URL; the CA (self-signed) given as a file.
    expect(env.RESTIC_REPOSITORY).toMatch(new RegExp(`^rest:https://${A.replace(/\./g, '\\.')}:[A-Za-z0-9_-]{40}@localhost:${ports[0]}/${A.replace(/\./g, '\\.')}/$`));
    expect(readFileSync(join(etc, 'ca.crt'), 'utf8')).toBe(readFileSync(server.tlsCertificate, 'utf8'));
    const init = await restic(['init', '--cacert', join(etc, 'ca.crt')], env);
    expect([init.status, init.stderr]).toEqual([0, '']);

    const service = readFileSync(join(units, 'restic-backup.service'), 'utf8');
    expect(service).toContain(`EnvironmentFile=${etc}/env`);
    const execStart = /^ExecStart=(.+)$/m.exec(service)![1]!.split(' ');
    const backup = await runRestic(execStart.slice(1), { PATH: process.env.PATH, HOME: client, ...env });
    expect([execStart[0], backup.status, backup.stderr]).toEqual(['/usr/bin/restic', 0, '']);
    expect(readFileSync(join(units, 'restic-backup.timer'), 'utf8')).toContain('OnCalendar=daily');
    const verify = spawnSync('systemd-analyze', ['verify', join(units, 'restic-backup.timer'), join(units, 'restic-backup.service')], { encoding: 'utf8' });
    expect(verify.stderr).not.toMatch(/restic-backup\.(service|timer):\d+:/);
  });

  test('after backups and their replication: ok, exit 0, with snapshot time, count and lag; the metrics agree', async () => {
    const initB = await restic(['--no-cache', '--cacert', server.tlsCertificate, 'init'], { RESTIC_REPOSITORY: `rest:https://${credentialsOf(B).user}:${credentialsOf(B).password}@localhost:${ports[1]}/${B}/`, RESTIC_PASSWORD: REPOSITORY_PASSWORD });
    expect(initB.status).toBe(0);
    expect((await backupB()).status).toBe(0);
    await confirmed(A, 1);
    await confirmed(B, 1);
    for (const host of [A, B]) await metricsShow(host, 'pending_snapshots', 0).then(() => metricsShow(host, 'snapshots', 1));

    const { code, report, byHost } = await status();
    expect([code, report.verdict, report.summary]).toEqual([0, 'ok', { ok: 2, warn: 0, crit: 0 }]);
    for (const host of [A, B]) {
      const json = byHost[host]!;
      expect(json.findings).toEqual([]);
      expect(json.snapshots.count).toBe(1);
      expect(Date.now() - Date.parse(json.snapshots.newestAt!)).toBeLessThan(120_000);
      expect(json.snapshots.newestAgeSeconds).toBeGreaterThanOrEqual(0);
      expect(json.replication).toMatchObject({ stateVersion: 2, pending: 0, lastError: null, failuresSinceSuccess: 0 });
      expect(json.replication.lagSeconds).toBeGreaterThanOrEqual(0);
      expect(json.replication.lagSeconds).toBeLessThan(60);
      expect(json.repository.bytes).toBeGreaterThan(1000);

      // The textfile says the same.
      expect(promtoolCheck(promFile(host)).status).toBe(0);
      expect(metric(host, 'snapshots')).toBe(json.snapshots.count);
      expect(metric(host, 'newest_snapshot_timestamp_seconds')).toBeCloseTo(Date.parse(json.snapshots.newestAt!) / 1000, 0);
      expect(metric(host, 'repository_bytes')).toBe(json.repository.bytes);
      expect(metric(host, 'pending_snapshots')).toBe(json.replication.pending);
      expect(metric(host, 'replication_last_success_timestamp_seconds', { target: 'replica_sync' })).toBeCloseTo(Date.parse(json.replication.lastConfirmedAt!) / 1000, 0);
      expect(metric(host, 'replication_failures', { target: 'replica_sync' })).toBe(0);
      expect(metric(host, 'up', { service: STORAGE })).toBe(json.listening ? 1 : 0);
    }
    expect(metric(A, 'quota_bytes')).toBe(byHost[A]!.repository.quotaBytes);
    expect(byHost[A]!.repository.quotaUsedPercent).toBeCloseTo((byHost[A]!.repository.bytes! / 1024 ** 3) * 100, 1);
  });

  test('with the replica made unwritable: replication failing shown with its error, warn, exit 1; the metrics count the failure', async () => {
    // The replicator can no longer write anywhere in the replica.
    execFileSync('chown', ['-R', 'root:root', replica]);
    const etc = join(client, 'etc');
    writeFileSync(join(client, 'data', 'second.txt'), 'more precious data\n');
    const backup = await restic(['--cacert', join(etc, 'ca.crt'), 'backup', join(client, 'data')], { ...environmentFile(join(etc, 'env')) });
    expect(backup.status).toBe(0);
    await waitFor('replica_sync to fail', () => readLog(paths(A).logs, 'backup-syncd').includes('replica-sync-failed') || undefined, { timeoutMs: 60_000, describe: () => readLog(paths(A).logs, 'backup-syncd') });
    await metricsShow(A, 'pending_snapshots', 1);

    const { code, report, byHost } = await status();
    expect([code, report.verdict, byHost[A]!.verdict, byHost[B]!.verdict]).toEqual([1, 'warn', 'warn', 'ok']);
    expect(codes(byHost[A]!)).toEqual(['replication-failing']);
    const { replication } = byHost[A]!;
    expect(replication.pending).toBe(1);
    expect(replication.failuresSinceSuccess).toBeGreaterThanOrEqual(1);
    // The failure, rclone's own error, and the script's verdict, each line cut on its own.
    // (Each part is cut to its own length, so the end depends on how long this machine's paths are.)
    expect(replication.lastError?.message).toMatch(/^replica-sync-failed exitCode=1 .*permission denied.* \| replica_sync: copying .* to .*$/);
    // The verification report of the generated script names the target and what failed.
    expect(byHost[A]!.findings[0]!.message).toBe(`replica ${replica}: copying the data and keys failed`);
    expect(byHost[A]!.replication.targets).toEqual([expect.objectContaining({ target: replica, ok: false, consecutiveFailures: expect.any(Number) })]);
    expect(byHost[A]!.snapshots.count).toBe(2);
    // While pending, the lag is the newest snapshot's age.
    expect(replication.lagSeconds).toBe(byHost[A]!.snapshots.newestAgeSeconds);
    expect(metric(A, 'replication_failures', { target: 'replica_sync' })).toBeGreaterThanOrEqual(1);
    expect(metric(A, 'snapshots')).toBe(2);
    expect(promtoolCheck(promFile(A)).status).toBe(0);
  });

  test('with a maxSnapshotAge smaller than the newest snapshot\'s age: crit (stale), exit 2', async () => {
    await new Promise((resolve) => setTimeout(resolve, 2100));
    const { code, report, byHost } = await status(config({ maxSnapshotAgeOfA: '1s' }));
    expect([code, report.verdict, byHost[A]!.verdict, byHost[B]!.verdict]).toEqual([2, 'crit', 'crit', 'ok']);
    expect(codes(byHost[A]!)).toEqual(expect.arrayContaining(['stale', 'replica-stale', 'replication-failing']));
    expect(byHost[A]!.snapshots.maxAgeSeconds).toBe(1);
    expect(byHost[A]!.findings.find((finding) => finding.code === 'stale')!.message).toMatch(/^newest snapshot is \d+s old \(maximum 1s\)$/);
  });

  test('the launcher without npm gives the same verdict and exit code; markdown and text render', async () => {
    const json = spawnSync(join(__dirname, '..', '..', 'bin', 'backup-status'), ['--config', hostsFile, '--json'], { encoding: 'utf8' });
    expect(json.status).toBe(2);
    expect((JSON.parse(json.stdout) as StatusReport).verdict).toBe('crit');
    const markdown = spawnSync(join(__dirname, '..', '..', 'bin', 'backup-status'), ['--config', hostsFile, '--markdown'], { encoding: 'utf8' });
    expect(markdown.stdout).toMatch(/^### Backup status of localhost: CRIT/);
    expect(markdown.stdout).toContain(`| ${A} | crit |`);
  });

  test("a storage service killed and restarted by runsv: status sees the restart (runsv's start from /proc/locks) and warns", async () => {
    const before = (await status()).byHost[B]!.services.storage;
    expect(before).toMatchObject({ state: 'up', restarted: false });
    process.kill(before.pid!, 'SIGKILL');
    let report: HostReport | undefined;
    for (const deadline = Date.now() + 30_000; Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 250))) {
      report = (await status()).byHost[B]!;
      if (report.services.storage.state === 'up' && report.services.storage.pid !== before.pid && report.listening) break;
    }
    expect(report!.services.storage).toMatchObject({ state: 'up', restarted: true, supervisorSince: before.supervisorSince });
    expect(report!.services.storage.pid).not.toBe(before.pid);
    expect(report!.findings.map((finding) => `${finding.code}: ${finding.message}`)).toEqual([expect.stringMatching(/^restarted: rclone was restarted by runit \d+s ago$/)]);
  });

  test('stopping backup-syncd writes up 0 into its textfile and status warns', async () => {
    execFileSync('sv', ['down', `${paths(B).runsvs}/backup-syncd`]);
    await metricsShow(B, 'up', 0, { service: 'backup-syncd' });
    const { byHost } = await status();
    expect(byHost[B]!.services.backupSyncd.state).toBe('down');
    // (The restart of the previous test still warns: less than 5 minutes ago.)
    expect([byHost[B]!.verdict, codes(byHost[B]!)]).toEqual(['warn', ['syncd-down', 'restarted']]);
  });
});

