import { RUN_LIMITS, firstBatch, remainingAfter } from '../../lib/syncd/batch';
import { snapshotId } from './support';

const key = (repository: string, n: number): string => `${repository}/snapshots/${snapshotId(`${repository}-${n}`)}`;
const keys = (repository: string, count: number): string[] => Array.from({ length: count }, (_, n) => key(repository, n));

describe('how much one run of replica_sync takes', () => {
  test('a difference within the limits is taken whole', () => {
    const diff = { added: keys('a', 3), removed: keys('b', 2) };
    expect(firstBatch(diff)).toEqual(diff);
    expect(remainingAfter(diff, firstBatch(diff))).toBe(0);
  });

  test('at most maxSnapshots, added first and in order; removed only once every addition is taken', () => {
    const diff = { added: keys('.', 2500), removed: keys('x', 10) };
    const batch = firstBatch(diff);
    expect(batch).toEqual({ added: diff.added.slice(0, RUN_LIMITS.maxSnapshots), removed: [] });
    expect(remainingAfter(diff, batch)).toBe(1510);
    expect(firstBatch({ added: keys('.', 995), removed: keys('x', 10) })).toEqual({ added: keys('.', 995), removed: keys('x', 5) });
  });

  test('one id is 65 bytes of BACKUP_SYNCD_ADDED: a full run stays far below the 128 KiB the kernel allows a variable', () => {
    expect(RUN_LIMITS.maxSnapshots * 65).toBeLessThan(128 * 1024);
    expect(RUN_LIMITS.maxRepositoryBytes).toBeLessThan(128 * 1024);
  });

  test('repository names (chosen by the client) are bounded in bytes, counted once each, multi-byte characters included', () => {
    const long = (n: number): string => `${'ü'.repeat(100)}-${n}`; // 201 bytes + 1 newline
    const diff = { added: Array.from({ length: 10 }, (_, n) => key(long(n), 0)), removed: [] };
    expect(firstBatch(diff, { maxSnapshots: 1000, maxRepositoryBytes: 3 * 203 }).added).toEqual(diff.added.slice(0, 3));
    // Many snapshots of one repository cost its name once.
    expect(firstBatch({ added: keys(long(0), 50), removed: [] }, { maxSnapshots: 1000, maxRepositoryBytes: 203 }).added).toHaveLength(50);
  });

  test('never empty: a first snapshot is taken even if its repository alone is over the limit', () => {
    const diff = { added: [key('r'.repeat(500), 0), key('s', 0)], removed: [] };
    expect(firstBatch(diff, { maxSnapshots: 1000, maxRepositoryBytes: 100 })).toEqual({ added: [diff.added[0]], removed: [] });
    expect(firstBatch({ added: [], removed: [] })).toEqual({ added: [], removed: [] });
  });
});
