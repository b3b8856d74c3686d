import { isCompleteSnapshot, isIgnoredDirectory, isRepository, isSnapshotId, parseSnapshotKey, snapshotKey } from '../../lib/syncd/detection';
import { snapshotId } from './support';

const id = snapshotId(1);

describe('snapshot detection rules', () => {
  test('a snapshot id is exactly 64 lower-case hex digits', () => {
    expect(isSnapshotId(id)).toBe(true);
    expect(isSnapshotId(id.toUpperCase())).toBe(false);
    expect(isSnapshotId(id.slice(1))).toBe(false);
    expect(isSnapshotId(`${id}0`)).toBe(false);
  });

  test.each([`${id}.tmp`, `.${id}`, `.${id}.partial`, `${id}-tmp-123456`, `${id}.rest-server-temp`, 'xl.meta'])('temporary upload name %s is not a snapshot', (name) => {
    expect(isSnapshotId(name)).toBe(false);
    expect(isCompleteSnapshot(name, 'file', false)).toBe(false);
  });

  test('a file counts at once; a minio object directory only once it holds xl.meta', () => {
    expect(isCompleteSnapshot(id, 'file', false)).toBe(true);
    expect(isCompleteSnapshot(id, 'directory', false)).toBe(false);
    expect(isCompleteSnapshot(id, 'directory', true)).toBe(true);
    expect(isCompleteSnapshot(id, 'other', true)).toBe(false);
  });

  test('repositories are recognised by config, keys or snapshots; .minio.sys and hidden directories are skipped', () => {
    expect(isRepository(['config', 'data', 'index'])).toBe(true);
    expect(isRepository(['snapshots'])).toBe(true);
    expect(isRepository(['restic', 'other'])).toBe(false);
    expect(isIgnoredDirectory('.minio.sys')).toBe(true);
    expect(isIgnoredDirectory('.trash')).toBe(true);
    expect(isIgnoredDirectory('restic')).toBe(false);
  });

  test('keys name the repository and the id and parse back', () => {
    expect(snapshotKey('.', id)).toBe(`./snapshots/${id}`);
    expect(parseSnapshotKey(snapshotKey('bucket/repo', id))).toEqual({ repository: 'bucket/repo', id });
    expect(parseSnapshotKey('bucket/repo/data/xy')).toBeUndefined();
    expect(parseSnapshotKey(`./snapshots/${id}.tmp`)).toBeUndefined();
  });
});
