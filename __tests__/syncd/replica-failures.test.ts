/**
 * The generated replica_sync under stress, for real (rclone serve restic, restic, backup-syncd):
 * killed with SIGKILL in the middle of a copy, copying while a backup runs, and a target that cannot
 * be written. rclone reads RCLONE_BWLIMIT from the environment backup-syncd passes on, which makes
 * a copy slow enough to be caught in the middle.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { groupRecordPath } from '../../lib/syncd/daemon';
import { loadState } from '../../lib/syncd/state';
import { expectSuccess, makeTree, snapshotIdsOf, startDrill, type Drill } from '../support/replica-drill';
import { describeWithTools } from '../support/tools';
import { killQuietly, startSyncd, type DaemonProcess } from './daemon-process';
import { waitFor } from './support';

jest.setTimeout(120_000);

/** Number of files below `dir` (0 if it does not exist). */
function fileCount(dir: string): number {
  if (!existsSync(dir)) return 0;
  return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile()).length;
}

/** A copy of the replica as it is now, so that restic checks exactly this moment. */
function freeze(replica: string, into: string): string {
  execFileSync('cp', ['-a', replica, into]);
  return into;
}

const replicatedRuns = (daemon: DaemonProcess): number => daemon.lines.filter((line) => line.startsWith('info replicated ')).length;

describeWithTools(['restic', 'rclone', 'openssl'], 'the generated replica_sync when things go wrong', () => {
  let drill: Drill;
  let daemon: DaemonProcess | undefined;
  let first: string;
  afterEach(async () => {
    killQuietly(daemon?.child.pid);
    daemon = undefined;
    await drill?.remove();
  });

  /** A host whose repository holds one small snapshot, and its backup-syncd started. */
  async function replicatedHost(env: NodeJS.ProcessEnv, extra: readonly string[] = [], replicaNames?: readonly string[], prepare: () => void = () => undefined): Promise<void> {
    drill = await startDrill('rclone', mkdtempSync(join(tmpdir(), 'replica-failures-')), replicaNames);
    prepare();
    makeTree(join(drill.base, 'first'), 50, 0);
    expectSuccess(await drill.restic(['init']), 'restic init');
    expectSuccess(await drill.restic(['backup', join(drill.base, 'first')]), 'restic backup');
    [first] = snapshotIdsOf(await drill.restic(['snapshots', '--json', '--no-lock']));
    daemon = startSyncd(drill, env, extra);
  }

  test('kill -9 of replica_sync in the middle of a copy: restic check passes on the replica then, and after the retry the replica is complete', async () => {
    await replicatedHost({ RCLONE_BWLIMIT: '2M' }, ['--backoff-min', '1s']);
    await daemon!.waitForLine(/^info replicated added=1/, 60_000);
    const [replica] = drill.replicas;
    const before = fileCount(join(replica!, 'data'));

    makeTree(join(drill.base, 'second'), 100, 8);
    expectSuccess(await drill.restic(['backup', join(drill.base, 'second')]), 'restic backup');
    const both = snapshotIdsOf(await drill.restic(['snapshots', '--json', '--no-lock']));
    // In the middle: some of the new packs are there, not all (about 8 MiB at 2 MiB/s).
    await waitFor('the copy of the second backup to be under way', () => fileCount(join(replica!, 'data')) >= before + 1, 60_000);
    const group = JSON.parse(readFileSync(groupRecordPath(drill.state), 'utf8')) as { pid: number };
    process.kill(-group.pid, 'SIGKILL');
    const killedAt = freeze(replica!, join(drill.base, 'replica-at-kill'));
    await daemon!.waitForLine(/^warn replica-sync-failed signal=SIGKILL/);

    expectSuccess(await drill.resticOn(killedAt, ['check']), 'restic check of the replica killed mid-copy');
    expect(snapshotIdsOf(await drill.resticOn(killedAt, ['snapshots', '--json', '--no-lock']))).toEqual([first]);

    await waitFor('the retry to replicate the second snapshot', () => replicatedRuns(daemon!) >= 2, 90_000);
    expect(snapshotIdsOf(await drill.resticOn(replica!, ['snapshots', '--json', '--no-lock']))).toEqual(both);
    expectSuccess(await drill.resticOn(replica!, ['check', '--read-data']), 'restic check --read-data of the replica after the retry');
    expect((await loadState(drill.state)).replicas?.[replica!]).toMatchObject({ ok: true, missing: [], consecutiveFailures: 0 });
  });

  test('a backup running while replica_sync copies: every snapshot on the replica has all its data', async () => {
    await replicatedHost({ RCLONE_BWLIMIT: '2M' });
    await daemon!.waitForLine(/^info replicated added=1/, 60_000);
    const [replica] = drill.replicas;
    const before = fileCount(join(replica!, 'data'));

    makeTree(join(drill.base, 'second'), 100, 12);
    makeTree(join(drill.base, 'third'), 50, 1);
    expectSuccess(await drill.restic(['backup', join(drill.base, 'second')]), 'restic backup');
    const firstAndSecond = snapshotIdsOf(await drill.restic(['snapshots', '--json', '--no-lock']));
    await waitFor('the copy of the second backup to be under way', () => fileCount(join(replica!, 'data')) >= before + 1, 60_000);
    // The third backup runs and finishes while the second one's copy is going on.
    expectSuccess(await drill.restic(['backup', join(drill.base, 'third')]), 'restic backup during the copy');
    expect(replicatedRuns(daemon!)).toBe(1);
    await waitFor('the run of the second backup to end', () => replicatedRuns(daemon!) >= 2, 90_000);
    // Stopped here, the replica is as that run left it (the next run would copy the third backup).
    daemon!.child.kill('SIGTERM');
    await daemon!.exited;

    // The third snapshot came after the run listed the source, so that run did not copy it (a retry
    // after a failed run, which the log would show, may have).
    const onReplica = snapshotIdsOf(await drill.resticOn(replica!, ['snapshots', '--json', '--no-lock']));
    if (!daemon!.lines.some((line) => line.startsWith('warn replica-sync-failed'))) expect(onReplica).toEqual(firstAndSecond);
    expect(onReplica).toEqual(expect.arrayContaining(firstAndSecond));
    expectSuccess(await drill.resticOn(replica!, ['check', '--read-data']), 'restic check --read-data of the replica');
    for (const id of onReplica) {
      const restored = join(drill.base, `restored-${id.slice(0, 8)}`);
      expectSuccess(await drill.resticOn(replica!, ['restore', id, '--target', restored]), `restore of ${id} from the replica`);
    }

    daemon = startSyncd(drill);
    await daemon.waitForLine(/^info replicated added=1/, 60_000);
    expect(snapshotIdsOf(await drill.resticOn(replica!, ['snapshots', '--json', '--no-lock']))).toEqual(snapshotIdsOf(await drill.restic(['snapshots', '--json', '--no-lock'])));
  });

  test('a target that cannot be written: the run fails, is retried with back-off, the state records it; the other target is written; fixed, it catches up', async () => {
    // A file where a directory should be: not even root can write below it.
    await replicatedHost({}, ['--backoff-min', '300ms', '--backoff-max', '2s'], ['good', 'blocked/replica'], () => writeFileSync(join(drill.base, 'blocked'), 'not a directory'));
    const [good, blocked] = drill.replicas;
    await waitFor('two retries scheduled', () => daemon!.lines.filter((line) => line.startsWith('warn retry-scheduled')).length >= 2, 60_000);
    const delays = daemon!.lines.filter((line) => line.startsWith('warn retry-scheduled')).map((line) => Number(/delayMs=(\d+)/.exec(line)![1]));
    expect(delays[1]).toBeGreaterThan(delays[0]!);

    const failed = await loadState(drill.state);
    expect(failed.replicated.size).toBe(0);
    expect(failed.replicas?.[blocked!]).toMatchObject({ ok: false, error: 'copying the data and keys failed', lastSuccessAt: null });
    expect(failed.replicas?.[blocked!]?.consecutiveFailures).toBeGreaterThanOrEqual(1);
    expect(failed.replicas?.[good!]).toMatchObject({ ok: true, missing: [], error: null, consecutiveFailures: 0 });
    expect(snapshotIdsOf(await drill.resticOn(good!, ['snapshots', '--json', '--no-lock']))).toEqual([first]);

    rmSync(join(drill.base, 'blocked'));
    mkdirSync(join(drill.base, 'blocked'));
    await daemon!.waitForLine(/^info replicated added=1/, 60_000);
    const fixed = await loadState(drill.state);
    expect(fixed.replicas?.[blocked!]).toMatchObject({ ok: true, missing: [], error: null, consecutiveFailures: 0 });
    expect(snapshotIdsOf(await drill.resticOn(blocked!, ['snapshots', '--json', '--no-lock']))).toEqual([first]);
    expectSuccess(await drill.resticOn(blocked!, ['check']), 'restic check of the repaired target');
  });
});
