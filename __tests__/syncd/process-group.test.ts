import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { RUN_MARKER, endLeftoverGroups, groupAlive, processStartTime, writeGroupRecord } from '../../lib/syncd/process-group';
import { killQuietly } from './daemon-process';
import { tempDir, waitFor } from './support';

function runGroup(marker: string | undefined): number {
  const env = { ...process.env };
  if (marker !== undefined) env[RUN_MARKER] = marker;
  // A script with a child, as replica_sync with rclone.
  const child = spawn('sh', ['-c', 'sleep 30 & wait'], { detached: true, stdio: 'ignore', env });
  child.unref();
  return child.pid!;
}

describe('leftover replica_sync groups', () => {
  let dir: ReturnType<typeof tempDir>;
  const groups: number[] = [];
  beforeEach(() => (dir = tempDir('groups')));
  afterEach(() => {
    for (const pgid of groups.splice(0)) killQuietly(-pgid);
    dir.remove();
  });

  test('found by the environment marker alone (no record) and ended with their children; others are left alone', async () => {
    const ours = runGroup('/srv/a/state.json');
    const other = runGroup('/srv/b/state.json');
    const unmarked = runGroup(undefined);
    groups.push(ours, other, unmarked);
    await waitFor('the groups to start', () => [ours, other, unmarked].every(groupAlive));
    await new Promise((resolve) => setTimeout(resolve, 100)); // let sh start its sleep
    expect(await endLeftoverGroups(join(dir.path, 'none.running'), '/srv/a/state.json', 1000)).toEqual([ours]);
    expect(groupAlive(ours)).toBe(false);
    expect(groupAlive(other)).toBe(true);
    expect(groupAlive(unmarked)).toBe(true);
  });

  test('found by the record even without a marker', async () => {
    const unmarked = runGroup(undefined);
    groups.push(unmarked);
    await waitFor('the group to start', () => processStartTime(unmarked) !== undefined);
    const record = join(dir.path, 'state.json.running');
    writeGroupRecord(record, { pid: unmarked, startTime: processStartTime(unmarked)! });
    expect(await endLeftoverGroups(record, join(dir.path, 'state.json'), 1000)).toEqual([unmarked]);
    expect(groupAlive(unmarked)).toBe(false);
  });

  test('a record whose pid now belongs to another process is ignored', async () => {
    const unrelated = runGroup(undefined);
    groups.push(unrelated);
    await waitFor('the group to start', () => processStartTime(unrelated) !== undefined);
    const record = join(dir.path, 'state.json.running');
    writeGroupRecord(record, { pid: unrelated, startTime: 'not-its-start-time' });
    expect(await endLeftoverGroups(record, join(dir.path, 'state.json'), 1000)).toEqual([]);
    expect(groupAlive(unrelated)).toBe(true);
  });
});
