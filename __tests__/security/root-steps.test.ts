/**
 * The attack suite of docs/security.md: accounts plant links, FIFOs and hard links at the paths the
 * root-run steps (server layout, host layout and credentials, enable, disable, retire, unit) touch,
 * before a deploy and between two deploys, applied with the test applier as `cdktf deploy` would.
 * Root-owned decoys must stay byte-identical with their owner and mode, and every deploy must either
 * refuse with a message naming the path, its owner and mode, or act safely.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, linkSync, lstatSync, mkdirSync, readdirSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hostAccounts, hostDirectories, resolveServer, serverDirectories, type HostConfig, type ServerConfig } from '../../lib';
import { describeAsRootWithServiceAccount } from '../support/tools';
import { TestServer } from '../support/e2e/test-server';
import { ProvisionerFailedError } from '../support/applier';
import { SERVICE_ACCOUNT, accountIds, asAccount } from '../support/accounts';
import { hashContents, ownership } from '../support/e2e/tree';
import { Decoys } from './decoys';
import { makeOriginalHost, makeOriginalRoot } from '../support/e2e/original-tree';

jest.setTimeout(60_000);

const A = 'ahost.example.com';
const B = 'bhost.example.com';


describeAsRootWithServiceAccount(['runuser', 'useradd', 'flock', 'find', 'stat', 'realpath', 'mkfifo'], 'root-run steps never follow what an account controls', () => {
  let server: TestServer;
  let decoys: Decoys;

  const hosts = (extra: Partial<HostConfig> = {}, withB = true): HostConfig[] => [
    { name: A, port: 9101, ...extra },
    ...(withB ? [{ name: B, port: 9102 }] : []),
  ];
  const deploy = (serverOverrides: Partial<ServerConfig> = {}, hostList: HostConfig[] = hosts()) =>
    server.apply({ server: server.serverConfig(serverOverrides), hosts: hostList });
  /** The apply fails at `address` with a message matching `message`. */
  const refused = async (attempt: Promise<unknown>, address: string, message: RegExp) => {
    const error = await attempt.then(() => undefined, (caught: unknown) => caught);
    expect(error).toBeInstanceOf(ProvisionerFailedError);
    expect((error as ProvisionerFailedError).address).toBe(address);
    expect((error as ProvisionerFailedError).output).toMatch(message);
  };
  /** A directory owned by the legacy service account, as the original script made /backups. */
  const accountDirectory = (name: string, mode = 0o755): string => {
    const path = join(server.base, name);
    mkdirSync(path);
    chmodSync(path, mode);
    chownSync(path, accountIds(SERVICE_ACCOUNT).uid, accountIds(SERVICE_ACCOUNT).gid);
    return path;
  };

  beforeEach(() => {
    server = TestServer.create('security-root-steps');
    decoys = new Decoys(join(server.base, 'decoys'));
  });
  afterEach(async () => {
    decoys.expectUntouched();
    await server.teardown();
  });

  describe('ancestors: nothing above what root acts on may be another account\'s', () => {
    test('a directory above the root writable by the service account: the deploy refuses and lays out nothing', async () => {
      const shared = accountDirectory('shared');
      await refused(deploy({ root: join(shared, 'systems') }), 'null_resource.server_layout',
        new RegExp(`restic-backup-server: ${shared} \\(on the way to ${shared}/systems\\) is directory owned by ${SERVICE_ACCOUNT}:${SERVICE_ACCOUNT}, mode 755: it must belong to root`));
      expect(existsSync(join(shared, 'systems'))).toBe(false);
      expect(existsSync(server.serverConfig().systemd!.unitPath!)).toBe(false);
    });

    test('a root made by the service account, with a planted conf/ link: refused, the link target untouched', async () => {
      const root = accountDirectory('systems', 0o2770);
      symlinkSync(decoys.directory, join(root, 'conf'));
      await refused(deploy({ root }), 'null_resource.server_layout', new RegExp(`${root} \\(on the way to ${root}\\) is directory owned by ${SERVICE_ACCOUNT}:${SERVICE_ACCOUNT}, mode 2770: it must belong to root`));
      expect(readlinkSync(join(root, 'conf'))).toBe(decoys.directory);
    });

    test('a world-writable directory above the unit path, with the unit planted as a link: refused, the unit never written', async () => {
      const units = join(server.base, 'units');
      mkdirSync(units);
      chmodSync(units, 0o777);
      const unitPath = join(units, 'backup-minio.service');
      symlinkSync(decoys.file, unitPath);
      await refused(deploy({ systemd: { unitPath, manage: false } }), 'null_resource.server_layout',
        new RegExp(`${units} \\(above ${unitPath}\\) is directory owned by root:root, mode 777: another account could replace what is below it`));
      expect(readlinkSync(unitPath)).toBe(decoys.file);
    });

    test('a sticky world-writable directory (like /tmp): a root not made yet is refused (anyone could make it first); a root-owned one is fine', async () => {
      const sticky = join(server.base, 'sticky');
      mkdirSync(sticky);
      chmodSync(sticky, 0o1777);
      const root = join(sticky, 'systems');
      await refused(deploy({ root }), 'null_resource.server_layout', new RegExp(`${sticky} \\(above ${root}\\) is directory owned by root:root, mode 1777: another account could replace`));
      mkdirSync(root);
      const report = await deploy({ root });
      expect(report.created).toContain('null_resource.hosts_ahost_example_com_layout');
      expect(ownership(root)).toEqual({ user: 'root', group: 'root', mode: '0755' });
    });

    test('the TLS key, the nftables rule directory and the state in directories the account can write: refused', async () => {
      const writable = accountDirectory('writable');
      for (const overrides of [
        { tlsKey: join(writable, 'private.key') },
        { firewall: { backend: 'none' as const, nftables: { ruleDirectory: join(writable, 'nftables.d') } } },
        { backend: { localStatePath: join(writable, 'terraform.tfstate') } },
      ]) {
        await refused(deploy(overrides), 'null_resource.server_layout', new RegExp(`${writable} \\(on the way to ${writable}/[a-z.]+\\) is directory owned by ${SERVICE_ACCOUNT}`));
      }
    });

    test("a binary the account could replace (backup-syncd's): the host's layout refuses, before any account or directory of it exists", async () => {
      const bin = accountDirectory('bin');
      const command = join(bin, 'backup-syncd');
      writeFileSync(command, '#!/bin/sh\nexit 0\n', { mode: 0o755 });
      await refused(deploy({ backupSyncdCommand: command }), `null_resource.hosts_${A.replace(/\./g, '_')}_layout`, new RegExp(`${bin} \\(on the way to ${command}\\) is directory owned by ${SERVICE_ACCOUNT}`));
      expect(existsSync(join(server.root, A))).toBe(false);
    });
  });

  describe('after a deploy, no account can plant anything where root acts', () => {
    test('every root-owned directory of the server and the hosts refuses a new entry from every account', async () => {
      await deploy();
      const accounts = [SERVICE_ACCOUNT, ...[A, B].flatMap((name) => [hostAccounts(name).storage, hostAccounts(name).replicator])];
      const rootOwned = [
        ...serverDirectories(resolveServer(server.serverConfig())),
        ...[A, B].flatMap((name) => hostDirectories(server.hostPaths(name))),
      ].filter(({ owner }) => owner === 'root').map(({ path }) => path);
      expect(rootOwned.length).toBeGreaterThan(20);
      for (const account of accounts) {
        for (const directory of rootOwned) {
          const link = asAccount(account, 'ln', ['-s', decoys.file, join(directory, 'planted')]);
          const fifo = asAccount(account, 'mkfifo', [join(directory, 'planted-fifo')]);
          expect([account, directory, link.status === 0, fifo.status === 0]).toEqual([account, directory, false, false]);
        }
        // Nor rename what root made (the host's data directory, its conf/).
        const moved = asAccount(account, 'mv', [join(server.root, A, 'conf'), join(server.root, A, 'conf.moved')]);
        expect(moved.status).not.toBe(0);
      }
    });
  });

  describe('a tree of the original script: what the legacy account planted is refused or moved aside, never followed or run', () => {
    const plantAs = (path: string, make: () => void) => {
      mkdirSync(join(path, '..'), { recursive: true });
      make();
      spawnSync('chown', ['-h', `${accountIds(SERVICE_ACCOUNT).uid}:${accountIds(SERVICE_ACCOUNT).gid}`, path]);
    };
    const adoptable = () => {
      makeOriginalRoot(server);
      spawnSync('chown', ['root:root', server.root]);
      chmodSync(server.root, 0o755);
      return makeOriginalHost(server, A, 9101, { accessKey: 'AAAAAAAAAA0123456789', secretKey: 'a'.repeat(40) });
    };

    test('a FIFO in conf/ stops the layout before anything changes, naming it', async () => {
      const host = adoptable();
      const fifo = join(host.dir, 'conf', 'minio', 'fifo');
      plantAs(fifo, () => spawnSync('mkfifo', [fifo]));
      const started = Date.now();
      await refused(deploy({}, hosts({}, false)), `null_resource.hosts_${A.replace(/\./g, '_')}_layout`,
        new RegExp(`${fifo} is fifo owned by ${SERVICE_ACCOUNT}:${SERVICE_ACCOUNT}, mode \\d+, planted by ${SERVICE_ACCOUNT}; root never follows or opens such an entry`));
      expect(Date.now() - started).toBeLessThan(30_000);
      expect(ownership(host.dir)).toEqual({ user: SERVICE_ACCOUNT, group: SERVICE_ACCOUNT, mode: '2770' });
    });

    test('a storage change on adoption: the old service directory and conf/minio of the legacy account are moved aside (runsvdir would run them as root); the data stays', async () => {
      const host = adoptable();
      const data = hashContents(join(host.dir, 'minio'));
      const report = await deploy({}, [{ name: A, port: 9101, storage: 'rclone', acknowledgeStorageChange: 'minio', replica: { replaceLegacyScript: true } }]);
      expect(report.provisioners.filter((run) => run.exitCode !== 0)).toEqual([]);
      const aside = readdirSync(join(host.dir, 'conf', 'moved-aside'));
      expect(aside).toEqual(expect.arrayContaining([expect.stringMatching(/^runsvs_minio\.\d{8}T\d{6}Z$/), expect.stringMatching(/^minio\.\d{8}T\d{6}Z$/)]));
      expect(existsSync(join(host.dir, 'conf', 'runsvs', 'minio'))).toBe(false);
      expect(hashContents(join(host.dir, 'minio'))).toBe(data);
      expect(readdirSync(join(host.dir, 'conf', 'runsvs')).sort()).toEqual(['backup-syncd', 'rclone']);
    });

    test('replica_sync as a link: refused; a supervise/ directory of its own (runsv would write into it as root): moved aside, never used', async () => {
      const host = adoptable();
      const supervise = join(host.dir, 'conf', 'runsvs', 'minio', 'supervise');
      plantAs(supervise, () => mkdirSync(supervise));
      const replica = join(host.dir, 'conf', 'replica_sync');
      rmSync(replica);
      writeFileSync(join(supervise, 'status.new'), '');
      spawnSync('chown', [`${accountIds(SERVICE_ACCOUNT).uid}`, join(supervise, 'status.new')]);
      plantAs(replica, () => symlinkSync(decoys.file, replica));
      await refused(deploy({}, hosts({}, false)), `null_resource.hosts_${A.replace(/\./g, '_')}_layout`, new RegExp(`${replica} is symbolic link owned by ${SERVICE_ACCOUNT}`));
      rmSync(replica);
      const report = await deploy({}, hosts({}, false));
      expect(report.replaced).toContain(`null_resource.hosts_${A.replace(/\./g, '_')}_layout`);
      const aside = join(host.dir, 'conf', 'moved-aside');
      expect(readdirSync(aside)).toEqual(expect.arrayContaining([expect.stringMatching(/^runsvs_minio_supervise\.\d{8}T\d{6}Z$/)]));
      expect(existsSync(supervise)).toBe(false);
      expect(ownership(aside)).toEqual({ user: 'root', group: 'root', mode: '0700' });
      // The generated files are new, root's files; the old ones are aside, still the account's.
      expect(ownership(join(host.dir, 'conf', 'runsvs', 'minio', 'run')).user).toBe('root');
      expect(readdirSync(aside)).toEqual(expect.arrayContaining([expect.stringMatching(/^runsvs_minio_run\.\d{8}T\d{6}Z$/)]));
    });
  });

  describe("between two deploys: links, FIFOs and hard links in the accounts' own directories", () => {
    test('are never followed or read by the layout step; what the legacy account owned is handed over without following links', async () => {
      await deploy();
      const paths = server.hostPaths(A);
      const { storage, replicator } = hostAccounts(A);
      const legacy = accountIds(SERVICE_ACCOUNT);
      // The storage account, in its data and its log; the replicator, in its state and its logs.
      for (const [account, commands] of [
        [storage, [['ln', '-s', decoys.file, join(paths.storageData, 'evil')], ['mkfifo', join(paths.storageData, 'fifo')], ['ln', '-sfn', decoys.file, join(paths.logs, 'minio', 'current')], ['mkfifo', join(paths.logs, 'minio', 'lock')]]],
        [replicator, [['mkfifo', paths.syncdState], ['ln', '-s', decoys.file, `${paths.syncdState}.tmp`], ['ln', '-s', decoys.directory, join(paths.logs, 'backup-syncd', 'dir')]]],
      ] as const) {
        for (const [command, ...args] of commands) expect(asAccount(account, command, args).status).toBe(0);
      }
      // Left by the legacy account (a tree of an earlier version): a link to the decoy it owns, and
      // a file of its own with a second link, which must keep its owner (chown would change both).
      const legacyLink = join(paths.storageData, 'legacy-link');
      symlinkSync(decoys.file, legacyLink);
      spawnSync('chown', ['-h', `${legacy.uid}:${legacy.gid}`, legacyLink]);
      const shared = join(paths.storageData, 'shared');
      writeFileSync(shared, 'shared\n');
      chownSync(shared, legacy.uid, legacy.gid);
      linkSync(shared, join(paths.storageData, 'shared-second-link'));

      // A change of the host's marker (allowFrom) re-runs its layout and credentials step.
      const started = Date.now();
      const report = await deploy({}, hosts({ allowFrom: ['192.0.2.10/32'] }));
      expect(report.replaced).toContain(`null_resource.hosts_${A.replace(/\./g, '_')}_layout`);
      expect(Date.now() - started).toBeLessThan(30_000); // no FIFO was opened
      expect(lstatSync(legacyLink).uid).toBe(accountIds(storage).uid);
      expect(readlinkSync(legacyLink)).toBe(decoys.file);
      expect(lstatSync(shared).uid).toBe(legacy.uid);
      expect(lstatSync(paths.syncdState).isFIFO()).toBe(true);
    });

    test('credentials: a link or a hard link where the credentials file is (a tree of an earlier version) is refused, not followed', async () => {
      await deploy();
      const credentials = `${server.hostPaths(A).storageConf}/config.json`;
      let attempt = 0;
      for (const [plant, message] of [
        [() => symlinkSync(decoys.file, credentials), /config\.json is not a regular file \(symbolic link owned by root:root/],
        [() => linkSync(decoys.file, credentials), /config\.json has 2 hard links; refusing to change a file shared with another path/],
      ] as const) {
        rmSync(credentials, { force: true });
        plant();
        // A change of the marker (allowFrom) re-runs the step.
        await refused(deploy({}, hosts({ allowFrom: [`192.0.2.${++attempt}/32`] })), `null_resource.hosts_${A.replace(/\./g, '_')}_layout`, message);
      }
    });

    test("retiring a host never reaches into a directory an account owned: an earlier version's conf/backup-syncd with a planted certs link", async () => {
      await deploy();
      const paths = server.hostPaths(B);
      // Earlier versions kept backup-syncd's state in conf/backup-syncd, owned by the service account.
      const former = paths.formerSyncdStateDir;
      mkdirSync(former);
      chownSync(former, accountIds(SERVICE_ACCOUNT).uid, accountIds(SERVICE_ACCOUNT).gid);
      writeFileSync(join(decoys.directory, 'public.crt'), 'server certificate\n');
      writeFileSync(join(decoys.directory, 'private.key'), 'server key\n');
      decoys.track(join(decoys.directory, 'public.crt'), join(decoys.directory, 'private.key'));
      // Planted while the account could still write there (as root here: B's directory is closed to it now).
      symlinkSync(decoys.directory, join(former, 'certs'));
      spawnSync('chown', ['-h', `${accountIds(SERVICE_ACCOUNT).uid}:${accountIds(SERVICE_ACCOUNT).gid}`, join(former, 'certs')]);
      expect(asAccount(SERVICE_ACCOUNT, 'ls', [former]).status).not.toBe(0);

      const report = await deploy({}, hosts({}, false));
      expect(report.replaced).toEqual(['null_resource.server_retire-removed-hosts']);
      expect(existsSync(join(decoys.directory, 'public.crt'))).toBe(true);
      expect(existsSync(join(decoys.directory, 'private.key'))).toBe(true);
      expect(() => lstatSync(`${paths.certs}/public.crt`)).toThrow(/ENOENT/);
    });

    test("an earlier version's backup-syncd state inside conf/ is locked away, root's alone, its contents kept", async () => {
      await deploy();
      const paths = server.hostPaths(A);
      const legacy = accountIds(SERVICE_ACCOUNT);
      mkdirSync(paths.formerSyncdStateDir);
      chmodSync(paths.formerSyncdStateDir, 0o2770);
      chownSync(paths.formerSyncdStateDir, legacy.uid, legacy.gid);
      writeFileSync(join(paths.formerSyncdStateDir, 'state.json'), '{"version":1,"replicated":[]}\n');
      await deploy({}, hosts({ allowFrom: ['192.0.2.20/32'] }));
      expect(ownership(paths.formerSyncdStateDir)).toEqual({ user: 'root', group: 'root', mode: '0700' });
      expect(existsSync(join(paths.formerSyncdStateDir, 'state.json'))).toBe(true);
    });
  });
});
