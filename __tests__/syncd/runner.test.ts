import { idList, runEnvironment } from '../../lib/syncd/runner';
import { snapshotId } from './support';

const a = snapshotId('a');
const b = snapshotId('b');

describe('the replica_sync contract', () => {
  test('list files hold the bare ids, each terminated by NUL', () => {
    expect(idList([`./snapshots/${a}`, `bucket/repo/snapshots/${b}`])).toBe(`${a}\0${b}\0`);
    expect(idList([])).toBe('');
  });

  test('the environment names the host, the root, the ids and the changed repositories', () => {
    expect(runEnvironment('ahost.example.com', '/srv/root', { added: [`x/snapshots/${a}`, `./snapshots/${b}`], removed: [`x/snapshots/${b}`] })).toEqual({
      BACKUP_HOST: 'ahost.example.com',
      BACKUP_SYNCD_ROOT: '/srv/root',
      BACKUP_SYNCD_ADDED: `${a} ${b}`,
      BACKUP_SYNCD_REMOVED: b,
      BACKUP_SYNCD_REPOSITORIES: '.\nx',
    });
  });
});
