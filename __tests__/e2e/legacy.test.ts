/**
 * Adopting a live host of the original script (issue 11), end to end: a tree exactly as the original
 * made it runs under runit (svlogd as root under the old log/run, a host `run` that simply execs
 * runsvdir); the service account planted a link, a service directory and a `finish` script; one host
 * is adopted with the test applier, the other is left out. The port's downtime is measured.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, lchownSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { diffPlan, GENERATED_NOTICE, hostAccounts, LEGACY_REPLICA_SYNC_PREFIX, MOVED_ASIDE_DIRECTORY, readListeners, resolveConfig, scanDisk, type BackupServerConfig } from '../../lib';
import { describeAsRootWithServiceAccount } from '../support/tools';
import { TestServer } from '../support/e2e/test-server';
import { freePorts } from '../support/e2e/ports';
import { waitFor, waitForRunning } from '../support/e2e/runit';
import { hashContents, ownership } from '../support/e2e/tree';
import { describeProcesses, readProcess } from '../support/e2e/processes';
import { readMinioRecord } from '../support/e2e/stand-ins';
import { expectDocumentedHostLayout, expectServicesRunAsHostAccounts, readLog } from '../support/e2e/checks';
import { makeOriginalHost, makeOriginalRoot, type OriginalHost } from '../support/e2e/original-tree';
import { ProvisionerFailedError, type ApplyReport } from '../support/applier';
import { SERVICE_ACCOUNT, serviceAccountIds } from '../support/accounts';

jest.setTimeout(180_000);

const A = 'ahost.example.com';
const B = 'bhost.example.com';

/** Every entry below `dir` with its uid, gid and mode, not following links. */
function entries(dir: string): { path: string; uid: number; gid: number; mode: number; kind: string }[] {
  const found: { path: string; uid: number; gid: number; mode: number; kind: string }[] = [];
  const walk = (path: string) => {
    const stat = lstatSync(path);
    found.push({ path, uid: stat.uid, gid: stat.gid, mode: stat.mode & 0o7777, kind: stat.isDirectory() ? 'dir' : stat.isSymbolicLink() ? 'link' : stat.isFile() ? 'file' : 'other' });
    if (stat.isDirectory()) for (const name of readdirSync(path)) walk(join(path, name));
  };
  walk(dir);
  return found;
}

/** A separate process probing TCP connects to the port every 20 ms, one line per probe: `<ms> <0|1>`. */
function startProbe(port: number, file: string): ChildProcess {
  const script = `const net=require('net');const fs=require('fs');const out=fs.openSync(${JSON.stringify(file)},'w');
setInterval(()=>{const t=Date.now();const s=net.connect(${port},'127.0.0.1');s.setTimeout(500);
const done=(ok)=>{s.destroy();fs.writeSync(out,t+' '+(ok?1:0)+'\\n');};s.once('connect',()=>done(true));s.once('error',()=>done(false));s.once('timeout',()=>done(false));},20);`;
  return spawn(process.execPath, ['-e', script], { stdio: 'ignore' });
}

/** The longest stretch of failed probes, in ms (first failure to first success after it). */
function longestOutage(file: string): number {
  const probes = readFileSync(file, 'utf8').trim().split('\n').map((line) => line.split(' ').map(Number) as [number, number]).sort((a, b) => a[0] - b[0]);
  let longest = 0;
  let downSince: number | undefined;
  for (const [time, ok] of probes) {
    if (!ok && downSince === undefined) downSince = time;
    if (ok && downSince !== undefined) {
      longest = Math.max(longest, time - downSince);
      downSince = undefined;
    }
  }
  if (downSince !== undefined) throw new Error('the port never came back');
  return longest;
}

describeAsRootWithServiceAccount(['runsvdir', 'runsv', 'sv', 'chpst', 'svlogd', 'openssl', 'find', 'sha256sum'], 'adopting a live host of the original script', () => {
  let server: TestServer;
  let ports: number[];
  let a: OriginalHost;
  let b: OriginalHost;
  let probe: ChildProcess | undefined;
  const config = (replica = { replaceLegacyScript: true }, hosts = [A]): BackupServerConfig => ({
    server: { ...server.serverConfig(), leaveAlone: [B] },
    hosts: hosts.map((name) => ({ name, port: a.port, replica })),
  });
  const plan = (settings: BackupServerConfig) => diffPlan(resolveConfig(settings), scanDisk(server.root, { listeners: readListeners }));
  const oldPids = { a: [] as number[], b: [] as number[] };
  let hashOfB: string;
  let dataOfA: string;
  let downtimeMs = -1;

  beforeAll(async () => {
    server = TestServer.create('e2e-legacy');
    ports = await freePorts(2);
    makeOriginalRoot(server);
    a = makeOriginalHost(server, A, ports[0]!, { accessKey: 'AAAAAAAAAA0123456789', secretKey: 'a'.repeat(40) });
    b = makeOriginalHost(server, B, ports[1]!, { accessKey: 'BBBBBBBBBB0123456789', secretKey: 'b'.repeat(40) });
    // What the service account did to host A: a service directory of its own (runsvdir runs it as
    // root) and a finish script (runsv runs it as root).
    const legacy = serviceAccountIds();
    const plantedService = join(a.dir, 'conf', 'runsvs', 'evil');
    for (const [path, content] of [[join(plantedService, 'run'), '#!/bin/sh\nexec sleep 2147483647\n'], [join(a.dir, 'conf', 'runsvs', 'minio', 'finish'), '#!/bin/sh\nexit 0\n']] as const) {
      mkdirSync(join(path, '..'), { recursive: true });
      writeFileSync(path, content, { mode: 0o755 });
      chownSync(path, legacy.uid, legacy.gid);
    }
    chownSync(plantedService, legacy.uid, legacy.gid);
    server.startSupervisor();
    for (const host of [a, b]) {
      await waitForRunning(join(host.dir, 'conf', 'runsvs', 'minio'));
      await waitFor(`the old minio log of ${host.name}`, () => readLog(join(host.dir, 'logs'), 'minio').includes(`listening on :${host.port}`));
    }
    await waitForRunning(join(a.dir, 'conf', 'runsvs', 'evil'));
  });

  afterAll(async () => {
    probe?.kill('SIGKILL');
    await server?.teardown();
    console.info(`adopted host's port was down for ${downtimeMs} ms during the cut-over`);
  });

  test('the original tree runs as the original did: svlogd as root left root-owned lock and current', () => {
    const log = join(a.dir, 'logs', 'minio');
    expect(ownership(join(log, 'lock')).user).toBe('root');
    expect(ownership(join(log, 'current')).user).toBe('root');
    expect(ownership(a.dir)).toEqual({ user: SERVICE_ACCOUNT, group: SERVICE_ACCOUNT, mode: '2770' });
    oldPids.a = server.processesOfHost(A).map(({ pid }) => pid);
    oldPids.b = server.processesOfHost(B).map(({ pid }) => pid);
    expect(server.processesOfHost(A).some(({ argv }) => argv[0] === 'sleep')).toBe(true);
    expect(oldPids.b.length).toBeGreaterThanOrEqual(8);
  });

  test('a link the service account planted: the deploy refuses it before changing anything of the host', async () => {
    const planted = join(a.dir, 'conf', 'minio', 'stolen');
    const decoy = join(server.base, 'decoy');
    writeFileSync(decoy, 'root only\n', { mode: 0o600 });
    symlinkSync(decoy, planted);
    lchownSync(planted, serviceAccountIds().uid, serviceAccountIds().gid);
    // The operator's one manual step (README): the root was the service account's home.
    execFileSync('chown', ['root:root', server.root]);
    execFileSync('chmod', ['755', server.root]);
    const before = hashContents(a.dir);
    const ownersBefore = entries(a.dir).map(({ path, uid }) => `${path} ${uid}`);

    const error = await server.apply(config()).then(() => undefined, (caught: unknown) => caught);
    expect(error).toBeInstanceOf(ProvisionerFailedError);
    expect((error as ProvisionerFailedError).address).toBe('null_resource.hosts_ahost_example_com_layout');
    expect((error as ProvisionerFailedError).output).toContain(
      `restic-backup-server: ${planted} in the tree of ${A}: ${planted} is symbolic link owned by ${SERVICE_ACCOUNT}:${SERVICE_ACCOUNT}, mode 777, planted by ${SERVICE_ACCOUNT}; root never follows or opens such an entry: remove it or move it out of the tree, then deploy again`,
    );
    expect(hashContents(a.dir)).toBe(before);
    expect(entries(a.dir).map(({ path, uid }) => `${path} ${uid}`)).toEqual(ownersBefore);
    expect(server.processesOfHost(A).map(({ pid }) => pid).sort()).toEqual([...oldPids.a].sort());
    expect(ownership(decoy)).toEqual({ user: 'root', group: 'root', mode: '0600' });
    rmSync(planted);
  });

  test('npm run plan: the hand-written replica_sync is a conflict until hosts.ts says what replicates A; B is left alone', () => {
    const unsaid = plan(config({ replaceLegacyScript: false }));
    expect(unsaid.conflicts.map(({ name, message }) => `${name}: ${message.split(':')[0]}`)).toEqual([`${A}: conf/replica_sync was written by hand`]);
    expect(unsaid.exitCode).toBe(1);
    const settled = plan(config());
    expect(settled.conflicts).toEqual([]);
    expect(settled.rows.map(({ name, action }) => `${name}:${action}`)).toEqual([`${A}:adopted`, `${B}:left-alone`]);
    expect(settled.exitCode).toBe(2);
  });

  test('the deploy adopts A in one go: the old supervision ends, the new services run as the host accounts with the old keys', async () => {
    hashOfB = hashContents(b.dir, ['supervise']);
    dataOfA = hashContents(join(a.dir, 'minio'), ['.minio.sys']);
    const probes = join(server.base, 'probes.txt');
    probe = startProbe(a.port, probes);
    await waitFor('the probe to see the old minio', () => existsSync(probes) && readFileSync(probes, 'utf8').includes(' 1\n'));

    const report: ApplyReport = await server.apply(config());
    expect(report.provisioners.filter((run) => run.exitCode !== 0)).toEqual([]);
    const statuses = await server.waitForHost(A);
    await waitFor('the new minio to listen', () => readFileSync(probes, 'utf8').trim().split('\n').slice(-3).every((line) => line.endsWith(' 1')), { timeoutMs: 30_000 });
    probe.kill('SIGKILL');
    probe = undefined;
    downtimeMs = longestOutage(probes);
    expect(downtimeMs).toBeGreaterThan(0);

    for (const pid of oldPids.a) expect([pid, readProcess(pid)?.argv]).toEqual([pid, undefined]);
    // Nothing of host A runs as the service account any more, nor from the planted service directory.
    expect(describeProcesses(server.processesOfHost(A).filter(({ uid, cwd }) => uid === serviceAccountIds().uid || cwd.includes('/evil')))).toBe('');

    const paths = server.hostPaths(A);
    await expectServicesRunAsHostAccounts(paths, statuses);
    const record = await waitFor('the new minio record', () => readMinioRecord(server.records, statuses.minio!.pid!));
    expect(record.env).toEqual({ MINIO_ROOT_USER: a.accessKey, MINIO_ROOT_PASSWORD: a.secretKey, MINIO_BROWSER: 'off' });
    expect(record.argv).toEqual(['server', '--quiet', '--address', `:${a.port}`, '--certs-dir', paths.certs, paths.storageData]);
    expect(JSON.parse(readFileSync(`${paths.storageConf}/config.json`, 'utf8'))).toMatchObject({ credential: { accessKey: a.accessKey, secretKey: a.secretKey } });
  });

  test('logs: the old lines are kept and the new logger writes after them', async () => {
    const paths = server.hostPaths(A);
    const accounts = hostAccounts(A);
    await waitFor('a second minio start in the log', () => readLog(paths.logs, 'minio').split(`listening on :${a.port}`).length - 1 >= 2, { describe: () => readLog(paths.logs, 'minio') });
    const log = readLog(paths.logs, 'minio');
    expect(log.indexOf(`--config-dir`)).toBe(-1);
    // The old svlogd -ttt line first, then the new svlogd -tt one.
    expect(log).toMatch(new RegExp(`^\\d{4}-\\d\\d-\\d\\dT[\\d:.]+ minio stand-in listening on :${a.port}, data in [^\\n]+\\n\\d{4}-\\d\\d-\\d\\d_[\\d:.]+ minio stand-in listening on :${a.port}`));
    for (const name of readdirSync(join(paths.logs, 'minio'))) expect([name, ownership(join(paths.logs, 'minio', name)).user]).toEqual([name, accounts.storage]);
    await waitFor('the new backup-syncd log line', () => readLog(paths.logs, 'backup-syncd').includes(`backup-syncd stand-in started: --host ${A}`));
    expect(readLog(paths.logs, 'backup-syncd')).toContain(`backup-syncd stand-in started: ${a.dir}/minio/backups/restic/snapshots`);
  });

  test('conf/ is owned as designed; the planted service directory and finish script are moved aside, the hand-written replica_sync kept', () => {
    const paths = server.hostPaths(A);
    expectDocumentedHostLayout(server, paths, { port: a.port, storage: 'minio' });
    const aside = join(paths.conf, MOVED_ASIDE_DIRECTORY);
    for (const entry of entries(paths.conf).filter(({ path }) => !path.startsWith(`${aside}/`))) {
      expect([entry.path, entry.uid]).toEqual([entry.path, 0]);
      if (entry.kind !== 'link') expect([entry.path, entry.mode & 0o022]).toEqual([entry.path, 0]);
    }
    expect(ownership(aside)).toEqual({ user: 'root', group: 'root', mode: '0700' });
    const moved = readdirSync(aside).sort();
    expect(moved).toEqual(expect.arrayContaining([expect.stringMatching(/^runsvs_evil\.\d{8}T\d{6}Z$/), expect.stringMatching(/^runsvs_minio_finish\.\d{8}T\d{6}Z$/)]));
    expect(existsSync(join(paths.runsvs, 'evil'))).toBe(false);

    const kept = join(paths.conf, `${LEGACY_REPLICA_SYNC_PREFIX}${createHash('sha256').update(a.replicaSync).digest('hex').slice(0, 12)}`);
    expect(readFileSync(kept, 'utf8')).toBe(a.replicaSync);
    expect(ownership(kept)).toEqual({ user: 'root', group: 'root', mode: '0644' });
    expect(readFileSync(paths.replicaSync, 'utf8')).toContain(GENERATED_NOTICE);
  });

  test('data is byte-identical and now the storage account\'s', () => {
    const paths = server.hostPaths(A);
    expect(hashContents(paths.storageData, ['.minio.sys'])).toBe(dataOfA);
    const storage = hostAccounts(A).storage;
    for (const entry of entries(paths.storageData)) expect([entry.path, ownership(entry.path).user]).toEqual([entry.path, storage]);
  });

  test('the unlisted legacy host B: files, link and pids unchanged', () => {
    expect(hashContents(b.dir, ['supervise'])).toBe(hashOfB);
    expect(ownership(b.dir)).toEqual({ user: SERVICE_ACCOUNT, group: SERVICE_ACCOUNT, mode: '2770' });
    expect(readlinkSync(join(server.root, 'conf', 'runit', B))).toBe(join(b.dir, 'conf', 'runsvdir'));
    expect(server.processesOfHost(B).map(({ pid }) => pid).sort()).toEqual([...oldPids.b].sort());
  });

  test('a second apply changes nothing, and the plan has settled (exit 0)', async () => {
    const report = await server.apply(config());
    expect(report.provisioners).toEqual([]);
    expect([report.created, report.replaced, report.destroyed]).toEqual([[], [], []]);
    const settled = plan(config());
    expect([settled.exitCode, settled.conflicts, settled.warnings]).toEqual([0, [], []]);
  });

  test('removing the adopted host later stops every process of it and frees its port; B still runs', async () => {
    expect(server.processesOfHost(A).length).toBeGreaterThan(0);
    const report = await server.apply(config(undefined, []));
    expect(report.provisioners.filter((run) => run.exitCode !== 0)).toEqual([]);
    await waitFor('every process of A to exit', () => server.processesOfHost(A).length === 0, { timeoutMs: 60_000, describe: () => describeProcesses(server.processesOfHost(A)) });
    expect(readListeners().filter(({ port }) => port === a.port)).toEqual([]);
    expect(server.processesOfHost(B).map(({ pid }) => pid).sort()).toEqual([...oldPids.b].sort());
  });
});
