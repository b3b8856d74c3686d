/**
 * Cross-tenant isolation with the real services running: host A on minio (the stand-in, which holds
 * its keys in its environment as minio does) and host B on `rclone serve restic`, both with the real
 * backup-syncd, supervised by runit as the systemd unit runs it. As each of A's accounts (and the
 * legacy service account), every attempt to read B's credentials, data, logs, state or process
 * environment, the replica credentials and the Terraform state fails; the same reads by the account
 * that owns them succeed, so each check can fail.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hostAccounts, type BackupServerConfig } from '../../lib';
import { describeAsRootWithServiceAccount } from '../support/tools';
import { TestServer } from '../support/e2e/test-server';
import { freePorts } from '../support/e2e/ports';
import { waitFor } from '../support/e2e/runit';
import { readLog } from '../support/e2e/checks';
import { runRestic } from '../support/restic';
import { SERVICE_ACCOUNT, asAccount } from '../support/accounts';

jest.setTimeout(120_000);

const A = 'ahost.example.com';
const B = 'bhost.example.com';
const BACKUP_SYNCD = join(__dirname, '..', '..', 'bin', 'backup-syncd');


describeAsRootWithServiceAccount(['runsvdir', 'runsv', 'sv', 'chpst', 'svlogd', 'rclone', 'restic', 'openssl', 'htpasswd', 'runuser'], 'cross-tenant isolation with real services (runit, minio stand-in, rclone serve restic, restic, backup-syncd)', () => {
  let server: TestServer;
  let ports: number[];
  let statePath: string;

  const a = () => server.hostPaths(A, 'minio');
  const b = () => server.hostPaths(B, 'rclone');

  beforeAll(async () => {
    server = TestServer.create('security-tenants');
    ports = await freePorts(2);
    mkdirSync(join(server.base, 'replicas'));
    chmodSync(join(server.base, 'replicas'), 0o1777);
    statePath = join(server.root, 'conf', 'terraform', 'terraform.tfstate');
    const config: BackupServerConfig = {
      server: server.serverConfig({ serverName: 'localhost', backupSyncdCommand: BACKUP_SYNCD, backend: { localStatePath: statePath } }),
      hosts: [
        { name: A, port: ports[0]!, replica: { rcloneTargets: [join(server.base, 'replicas', A)] } },
        { name: B, port: ports[1]!, storage: 'rclone', replica: { rcloneTargets: [join(server.base, 'replicas', B)] } },
      ],
    };
    // The operator's replica credentials, before the deploy makes them the replicator's alone.
    mkdirSync(join(server.root, A, 'conf'), { recursive: true });
    mkdirSync(join(server.root, B, 'conf'), { recursive: true });
    for (const paths of [a(), b()]) writeFileSync(paths.rcloneConfig, '[offsite]\ntype = local\n# secret: replica-credentials\n', { mode: 0o600 });
    await server.apply(config);
    // What Terraform would keep there (the test applier keeps its own state elsewhere).
    writeFileSync(statePath, '{"version": 4, "resources": []}\n', { mode: 0o644 });
    server.startSupervisor();
    await server.waitForHost(A, 'minio');
    await server.waitForHost(B, 'rclone');
    await waitFor(`${B}'s rclone to serve`, () => readLog(b().logs, 'rclone').includes('Serving restic REST API') || undefined, { describe: () => readLog(b().logs, 'rclone') });
    // B gets a repository (data to try to read), through its own credentials.
    const credentials = readFileSync(`${b().storageConf}/client-credentials`, 'utf8');
    const password = /^RESTIC_REST_PASSWORD=(.+)$/m.exec(credentials)![1]!;
    const init = await runRestic(['--no-cache', '--cacert', server.tlsCertificate, '-r', `rest:https://${B}:${password}@localhost:${ports[1]}/${B}/`, 'init'],
      { PATH: process.env.PATH, HOME: server.base, RESTIC_PASSWORD: 'client secret' });
    expect([init.status, init.stderr]).toEqual([0, '']);
  });

  afterAll(async () => {
    await server?.teardown();
  });

  const pidOf = (serviceDirectory: string): number => Number(readFileSync(join(serviceDirectory, 'supervise', 'pid'), 'utf8').trim());

  /** What each attacker tries to read; each must fail for every attacker. */
  const targetsOfB = (): Record<string, string> => ({
    "B's htpasswd": `${b().storageConf}/htpasswd`,
    "B's client credentials": `${b().storageConf}/client-credentials`,
    "B's repository config": `${b().storageData}/${B}/config`,
    "B's storage log": join(b().logs, 'rclone', 'current'),
    "B's backup-syncd log": join(b().logs, 'backup-syncd', 'current'),
    "B's replica credentials": b().rcloneConfig,
    "B's rclone environment": `/proc/${pidOf(`${b().runsvs}/rclone`)}/environ`,
    "B's backup-syncd environment": `/proc/${pidOf(`${b().runsvs}/backup-syncd`)}/environ`,
    'the Terraform state': statePath,
  });

  test.each([
    ["A's storage account", () => hostAccounts(A).storage],
    ["A's replicator", () => hostAccounts(A).replicator],
    ['the legacy service account', () => SERVICE_ACCOUNT],
  ])('%s reads nothing of host B, nor the Terraform state', (_who, account) => {
    for (const [what, path] of Object.entries(targetsOfB())) {
      expect(existsSync(path)).toBe(true);
      const attempt = asAccount(account(), 'cat', [path]);
      expect([what, attempt.status === 0, attempt.output]).toEqual([what, false, expect.stringMatching(/Permission denied/)]);
    }
    // Nor list B's directory, nor its state directory.
    for (const directory of [b().dir, b().syncdStateDir]) expect(asAccount(account(), 'ls', [directory]).status).not.toBe(0);
  });

  test("A's storage service reads neither A's replica credentials nor minio's keys file; the replicator reads both", () => {
    const storage = hostAccounts(A).storage;
    for (const path of [a().rcloneConfig, `${a().storageConf}/config.json`]) {
      const attempt = asAccount(storage, 'cat', [path]);
      expect([path, attempt.status === 0, attempt.output]).toEqual([path, false, expect.stringMatching(/Permission denied/)]);
    }
    // The replicator, whose they are, reads both.
    for (const path of [a().rcloneConfig, `${a().storageConf}/config.json`]) expect(asAccount(hostAccounts(A).replicator, 'cat', [path]).status).toBe(0);
  });

  test("minio's keys are in its environment, readable by its own account and root only", () => {
    const environ = `/proc/${pidOf(`${a().runsvs}/minio`)}/environ`;
    expect(readFileSync(environ, 'utf8')).toContain('MINIO_ROOT_PASSWORD=');
    expect(asAccount(hostAccounts(A).storage, 'cat', [environ]).output).toContain('MINIO_ROOT_PASSWORD=');
    for (const account of [hostAccounts(A).replicator, hostAccounts(B).storage, hostAccounts(B).replicator, SERVICE_ACCOUNT]) {
      const attempt = asAccount(account, 'cat', [environ]);
      expect([account, attempt.status === 0, attempt.output]).toEqual([account, false, expect.stringMatching(/Permission denied/)]);
    }
  });

  test("the replicator reads its host's data but cannot change it; the storage account can", () => {
    const repositoryConfig = `${b().storageData}/${B}/config`;
    const { storage, replicator } = hostAccounts(B);
    expect(asAccount(replicator, 'cat', [repositoryConfig]).status).toBe(0);
    expect(asAccount(replicator, 'ls', [`${b().storageData}/${B}/keys`]).status).toBe(0);
    for (const [command, args] of [['touch', [`${b().storageData}/${B}/planted`]], ['rm', ['-f', repositoryConfig]], ['sh', ['-c', `echo x >> ${repositoryConfig}`]]] as const) {
      expect([command, asAccount(replicator, command, args).status]).not.toEqual([command, 0]);
    }
    expect(existsSync(repositoryConfig)).toBe(true);
    expect(asAccount(storage, 'touch', [`${b().storageData}/${B}/written-by-storage`]).status).toBe(0);
  });

  test("no command line of any host's process carries a secret", () => {
    const secrets = [
      /^RESTIC_REST_PASSWORD=(.+)$/m.exec(readFileSync(`${b().storageConf}/client-credentials`, 'utf8'))![1]!,
      (JSON.parse(readFileSync(`${a().storageConf}/config.json`, 'utf8')) as { credential: { secretKey: string } }).credential.secretKey,
    ];
    const commandLines = server.processesOfServer().map(({ argv }) => argv.join(' '));
    expect(commandLines.length).toBeGreaterThan(6);
    for (const secret of secrets) expect(commandLines.filter((line) => line.includes(secret))).toEqual([]);
  });
});
