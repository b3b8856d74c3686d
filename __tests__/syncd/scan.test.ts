import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { scanRoot } from '../../lib/syncd/scan';
import { snapshotId, tempDir, writeFileSnapshot, writeMinioSnapshot } from './support';

describe('scanning the watched root (real filesystem)', () => {
  let dir: ReturnType<typeof tempDir>;
  beforeEach(() => (dir = tempDir('scan')));
  afterEach(() => dir.remove());

  test('finds file snapshots and complete minio object directories in several repositories', () => {
    const root = join(dir.path, 'root');
    writeFileSnapshot(join(root, 'plain'), snapshotId('plain'));
    writeMinioSnapshot(join(root, 'bucket', 'restic'), snapshotId('minio'));
    writeFileSync(join(root, 'bucket', 'restic', 'config'), '');
    writeFileSnapshot(join(root, 'other', 'deep', 'repo'), snapshotId('deep'));
    const scan = scanRoot(root);
    expect([...scan.snapshots].sort()).toEqual([
      `plain/snapshots/${snapshotId('plain')}`,
      `bucket/restic/snapshots/${snapshotId('minio')}`,
      `other/deep/repo/snapshots/${snapshotId('deep')}`,
    ].sort());
    expect(scan.rootExists).toBe(true);
    expect(scan.watchDirs).toEqual(expect.arrayContaining([root, join(root, 'plain', 'snapshots'), join(root, 'bucket'), join(root, 'bucket', 'restic', 'snapshots')]));
  });

  test('below a repository only snapshots/ is looked at', () => {
    const root = join(dir.path, 'root');
    writeFileSnapshot(root, snapshotId('top'));
    writeFileSnapshot(join(root, 'nested'), snapshotId('nested'));
    expect([...scanRoot(root).snapshots]).toEqual([`./snapshots/${snapshotId('top')}`]);
  });

  test('ignores .minio.sys, temporary names, incomplete object directories, symlinks, and data/', () => {
    const root = join(dir.path, 'root');
    const repository = join(root, 'backups', 'restic');
    writeFileSync(join(mkdirSync(join(repository, 'snapshots'), { recursive: true })!, '..', 'config'), '');
    writeFileSnapshot(join(root, '.minio.sys', 'tmp'), snapshotId('sys'));
    writeFileSync(join(repository, 'snapshots', `${snapshotId('t1')}.tmp`), '');
    writeFileSync(join(repository, 'snapshots', `.${snapshotId('t2')}.partial`), '');
    mkdirSync(join(repository, 'snapshots', snapshotId('incomplete')));
    symlinkSync('/etc/hostname', join(repository, 'snapshots', snapshotId('link')));
    writeFileSnapshot(join(repository, 'data', 'ab'), snapshotId('inside-data'));
    const scan = scanRoot(root);
    expect([...scan.snapshots]).toEqual([]);
    // The incomplete object directory is watched, so its xl.meta arriving is noticed.
    expect(scan.watchDirs).toContain(join(repository, 'snapshots', snapshotId('incomplete')));
    expect(scan.watchDirs.some((d) => d.includes('.minio.sys') || d.includes('/data'))).toBe(false);
  });

  test('a missing root is watched through its nearest existing ancestor', () => {
    const scan = scanRoot(join(dir.path, 'minio', 'backups', 'restic'));
    expect(scan).toEqual({ snapshots: new Set(), watchDirs: [dir.path], rootExists: false });
  });

  test('snapshots known complete are listed by name alone; new entries are still checked', () => {
    const root = join(dir.path, 'root');
    const snapshots = join(root, 'snapshots');
    writeFileSync(join(mkdirSync(snapshots, { recursive: true })!, '..', 'config'), '');
    // Known from an earlier scan (its xl.meta was there then): not looked into again.
    mkdirSync(join(snapshots, snapshotId('known')));
    mkdirSync(join(snapshots, snapshotId('new-incomplete')));
    writeFileSync(join(snapshots, snapshotId('new-file')), '');
    symlinkSync('/etc/hostname', join(snapshots, snapshotId('new-link')));
    const known = new Set([`./snapshots/${snapshotId('known')}`, `./snapshots/${snapshotId('gone')}`]);
    const scan = scanRoot(root, { knownComplete: known });
    expect([...scan.snapshots].sort()).toEqual([`./snapshots/${snapshotId('known')}`, `./snapshots/${snapshotId('new-file')}`].sort());
    expect(scan.watchDirs).toContain(join(snapshots, snapshotId('new-incomplete')));
    expect(scan.watchDirs).not.toContain(join(snapshots, snapshotId('known')));
  });

  test('directories deeper than maxDepth are not searched', () => {
    const root = join(dir.path, 'root');
    writeFileSnapshot(join(root, 'a', 'b', 'c'), snapshotId('deep'));
    expect(scanRoot(root, { maxDepth: 2 }).snapshots.size).toBe(0);
    expect(scanRoot(root, { maxDepth: 3 }).snapshots.size).toBe(1);
  });
});
