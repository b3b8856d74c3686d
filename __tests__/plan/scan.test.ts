import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { nodeDiskReader, type DiskReader } from '../../lib/plan/disk-reader';
import { scanDisk } from '../../lib/plan/scan';
import { serverPaths } from '../../lib/layout/paths';
import { describeAsRootWithServiceAccount, describeWith } from '../support/tools';
import { configFor, makeOriginalHost, makeProjectHost, makeRoot, PROJECT_HOST_NEEDS, removeRoot, testWithProjectHosts } from './disk-fixtures';

let root: string;
beforeEach(() => {
  root = makeRoot();
});
afterEach(() => removeRoot(root));

describe('scanDisk on real trees', () => {
  test('a root that does not exist yet: a fresh server', () => {
    const model = scanDisk(join(root, 'missing'));
    expect(model).toMatchObject({ rootExists: false, hosts: [], others: [], errors: [] });
  });

  testWithProjectHosts('a host laid out by this project', () => {
    const config = configFor(root, [{ name: 'a.test', port: 9001, allowFrom: ['192.0.2.1/32'] }]);
    makeProjectHost(config, 'a.test');
    const model = scanDisk(root);
    expect(model.errors).toEqual([]);
    expect(model.hosts).toEqual([{
      name: 'a.test', origin: 'project', port: 9001, storage: 'minio', enabled: true, credentials: true,
      marker: expect.objectContaining({ format: 2, allowFrom: ['192.0.2.1/32'] }),
      tlsCertificate: `${root}/conf/public.crt`, tlsKey: `${root}/conf/private.key`, generatedFiles: [],
      holdsData: false, handWrittenReplicaSync: false,
    }]);
    expect(model.runit).toEqual([{ name: 'a.test', target: `${root}/a.test/conf/runsvdir`, pointsToHost: true, dangling: false }]);
  });

  test('a host laid out by the original script, with the files adoption replaces', () => {
    makeOriginalHost(root, 'old.test', 9100, { enabled: false });
    const [host] = scanDisk(root).hosts;
    expect(host).toMatchObject({ name: 'old.test', origin: 'original', port: 9100, storage: 'minio', enabled: false, credentials: true });
    expect(host.marker).toBeUndefined();
    expect(host.generatedFiles).toEqual([
      'conf/runsvs/minio/run', 'conf/runsvs/minio/log/run', 'conf/runsvs/backup-syncd/run', 'conf/runsvs/backup-syncd/log/run',
      'conf/runsvdir/run', 'conf/runsvdir/log/run', 'conf/replica_sync', 'conf/backup-syncd.log.conf',
    ]);
  });

  test('an original host reduced to its run script: no credentials, no TLS links', () => {
    makeOriginalHost(root, 'bare.test', 9101, { bare: true, enabled: false });
    const [host] = scanDisk(root).hosts;
    expect(host).toMatchObject({ origin: 'original', port: 9101, credentials: false, generatedFiles: ['conf/runsvs/minio/run'] });
    expect(host.tlsCertificate).toBeUndefined();
  });

  test('sizes count the regular files under the host directory only with sizes', () => {
    makeOriginalHost(root, 'old.test', 9100, { bare: true });
    writeFileSync(`${root}/old.test/minio/backups/restic/snapshots/big`, Buffer.alloc(5000));
    expect(scanDisk(root).hosts[0].sizeBytes).toBeUndefined();
    const runLength = spawnSync('stat', ['-c', '%s', `${root}/old.test/conf/runsvs/minio/run`]).stdout.toString().trim();
    expect(scanDisk(root, { sizes: true }).hosts[0].sizeBytes).toBe(1000 + 5000 + Number(runLength));
  });

  test('partial and broken entries are not hosts, and say why', () => {
    writeFileSync(`${root}/file.test`, 'not a directory');
    mkdirSync(`${root}/noconf.test/minio`, { recursive: true });
    symlinkSync('/nonexistent', `${root}/link.test`);
    mkdirSync(`${root}/badmarker.test/conf`, { recursive: true });
    writeFileSync(`${root}/badmarker.test/conf/backup-server.json`, '{"format":1');
    const model = scanDisk(root);
    expect(model.hosts).toEqual([]);
    expect(model.errors).toEqual([]);
    expect(model.others).toEqual([
      { name: 'badmarker.test', ports: [], reason: 'its conf/backup-server.json is not JSON' },
      { name: 'file.test', ports: [], reason: 'a regular file, not a host directory' },
      { name: 'link.test', ports: [], reason: 'a symbolic link, not a host directory' },
      { name: 'noconf.test', ports: [], reason: 'a directory without conf/backup-server.json or conf/runsvs/minio/run' },
    ]);
  });

  test('conf/runit: dangling links, links elsewhere and non-links', () => {
    const runit = serverPaths(root).runit;
    symlinkSync(`${root}/gone.test/conf/runsvdir`, `${runit}/gone.test`);
    symlinkSync('/etc/sv/other', `${runit}/other.test`);
    symlinkSync('../../rel.test/conf/runsvdir', `${runit}/rel.test`);
    mkdirSync(`${runit}/plain.test`);
    expect(scanDisk(root).runit).toEqual([
      { name: 'gone.test', target: `${root}/gone.test/conf/runsvdir`, pointsToHost: true, dangling: true },
      { name: 'other.test', target: '/etc/sv/other', pointsToHost: false, dangling: true },
      { name: 'plain.test', pointsToHost: false, dangling: false },
      { name: 'rel.test', target: `${root}/rel.test/conf/runsvdir`, pointsToHost: true, dangling: true },
    ]);
  });

  test('a missing server conf is no error: nothing is enabled', () => {
    makeOriginalHost(root, 'old.test', 9100);
    rmSync(`${root}/conf`, { recursive: true });
    const model = scanDisk(root);
    expect(model.runit).toEqual([]);
    expect(model.hosts[0].enabled).toBe(false);
    expect(model.errors).toEqual([]);
  });
});

describe('scanDisk with injected read failures', () => {
  const failing = (predicate: (path: string) => boolean, code = 'EACCES'): DiskReader => {
    const fail = <A extends unknown[], R>(read: (path: string, ...rest: A) => R) => (path: string, ...rest: A): R => {
      if (predicate(path)) throw Object.assign(new Error(`${code}: ${path}`), { code });
      return read(path, ...rest);
    };
    return {
      readdir: fail(nodeDiskReader.readdir), lstat: fail(nodeDiskReader.lstat), stat: fail(nodeDiskReader.stat),
      readlink: fail(nodeDiskReader.readlink), readFile: fail(nodeDiskReader.readFile),
    };
  };

  test('an unreadable host directory is an error naming it, the others are still scanned', () => {
    makeOriginalHost(root, 'a.test', 9001);
    makeOriginalHost(root, 'b.test', 9002);
    const model = scanDisk(root, { reader: failing((path) => path.startsWith(`${root}/a.test/`)) });
    expect(model.hosts.map((host) => host.name)).toEqual(['b.test']);
    expect(model.errors).toEqual([{ path: `${root}/a.test/conf/backup-server.json`, message: `cannot read ${root}/a.test/conf/backup-server.json (EACCES)` }]);
  });

  test('an unreadable root is an error, not an empty server', () => {
    const model = scanDisk(root, { reader: failing((path) => path === root) });
    expect(model.rootExists).toBe(true);
    expect(model.errors).toEqual([{ path: root, message: `cannot read ${root} (EACCES)` }]);
  });

  test('an unreadable conf/runit is an error', () => {
    const model = scanDisk(root, { reader: failing((path) => path === serverPaths(root).runit, 'EIO') });
    expect(model.errors.map((error) => error.message)).toEqual([`cannot read ${root}/conf/runit (EIO)`]);
  });

  test('an unreadable part of the data makes the size a warning, not an error', () => {
    makeOriginalHost(root, 'a.test', 9001, { bare: true });
    const model = scanDisk(root, { sizes: true, reader: failing((path) => path === `${root}/a.test/minio/backups`) });
    expect(model.errors).toEqual([]);
    expect(model.warnings).toEqual([`size of ${root}/a.test is incomplete: cannot read ${root}/a.test/minio/backups (EACCES)`]);
  });
});

describeAsRootWithServiceAccount(['setpriv'], 'scanDisk as the backups user', () => {
  test('a directory backups cannot read is reported, not skipped', () => {
    makeOriginalHost(root, 'open.test', 9001);
    makeOriginalHost(root, 'closed.test', 9002);
    chmodSync(`${root}/closed.test`, 0o700);
    const script = `const { scanDisk } = require(${JSON.stringify(join(__dirname, '../../lib/plan/scan'))});
      process.stdout.write(JSON.stringify(scanDisk(${JSON.stringify(root)})));`;
    const result = spawnSync('setpriv', ['--reuid=backups', '--regid=backups', '--clear-groups', process.execPath, '--import', 'tsx', '-e', script], { encoding: 'utf8', cwd: join(__dirname, '../..') });
    expect(result.stderr).toBe('');
    const model = JSON.parse(result.stdout);
    expect(model.hosts.map((host: { name: string }) => host.name)).toEqual(['open.test']);
    // Its enabling link cannot be followed, and its directory cannot be read.
    expect(model.runit.map((entry: { name: string }) => entry.name)).toEqual(['open.test']);
    expect(model.errors.map((error: { message: string }) => error.message)).toEqual([
      `cannot read ${root}/conf/runit/closed.test (EACCES)`,
      `cannot read ${root}/closed.test/conf/backup-server.json (EACCES)`,
    ]);
  });
});

describeWith({ ...PROJECT_HOST_NEEDS, tools: ['htpasswd'] }, 'scanDisk on hosts of the REST storage services', () => {
  test.each(['rest-server', 'rclone'] as const)('a %s host made by this project: storage and credentials from its backend', (storage) => {
    const config = configFor(root, [{ name: 'r.test', port: 9300, storage }]);
    makeProjectHost(config, 'r.test');
    const model = scanDisk(root);
    expect(model.errors).toEqual([]);
    expect(model.hosts).toEqual([expect.objectContaining({ name: 'r.test', origin: 'project', port: 9300, storage, credentials: true, tlsCertificate: `${root}/conf/public.crt` })]);
  });
});
