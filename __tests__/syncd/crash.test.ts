/** bin/backup-syncd as a real process: kill -9 at any moment loses nothing; SIGTERM stops cleanly. */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { groupAlive, markedGroups } from '../../lib/syncd/process-group';
import { killQuietly, spawnDaemon, type DaemonProcess } from './daemon-process';
import { allAdded, recordingScript, snapshotId, tempDir, waitFor, writeFileSnapshot } from './support';

describe('backup-syncd process: crashes and signals', () => {
  let dir: ReturnType<typeof tempDir>;
  const started: DaemonProcess[] = [];
  const scriptGroups: number[] = [];
  beforeEach(() => (dir = tempDir('crash')));
  afterEach(async () => {
    for (const daemon of started.splice(0)) {
      killQuietly(daemon.child.pid);
      await daemon.exited;
    }
    for (const pgid of scriptGroups.splice(0)) killQuietly(-pgid);
    dir.remove();
  });

  function run(root: string): DaemonProcess & ReturnType<typeof recordingScript> {
    const recorder = recordingScript(dir.path);
    writeFileSync(join(dir.path, 'log.conf'), 'level=info\nformat=text\n');
    const daemon = spawnDaemon(['--host', 'ahost.example.com', '--watch', root, '--script', recorder.script, '--state', join(dir.path, 'state.json'), '--log-config', join(dir.path, 'log.conf'), '--settle', '50ms', '--kill-grace', '2s']);
    started.push(daemon);
    return { ...daemon, ...recorder };
  }

  async function kill9(daemon: DaemonProcess): Promise<void> {
    daemon.child.kill('SIGKILL');
    expect((await daemon.exited).signal).toBe('SIGKILL');
  }

  test('kill -9 during a run: the restarted daemon ends the orphaned replica_sync and replicates what was pending', async () => {
    const root = join(dir.path, 'root');
    writeFileSnapshot(root, snapshotId('a'));
    writeFileSync(join(dir.path, 'hold'), '');
    const first = run(root);
    const start = await first.waitForLine(/^info replica-sync-start /);
    const orphan = Number(/pid=(\d+)/.exec(start)![1]);
    scriptGroups.push(orphan);
    await kill9(first);
    expect(groupAlive(orphan)).toBe(true); // the script outlives a kill -9 of its daemon

    writeFileSnapshot(root, snapshotId('b'));
    const second = run(root);
    await second.waitForLine(new RegExp(`^warn leftover-replica-sync-ended pid=${orphan}$`));
    expect(groupAlive(orphan)).toBe(false);
    await second.waitForLine(/^info replica-sync-start /);
    rmSync(join(dir.path, 'hold'));
    await second.waitForLine(/^info replicated added=2 removed=0/);
    expect(second.runs().map((r) => r.added)).toEqual([[snapshotId('a'), snapshotId('b')].sort()]);
    expect(existsSync(join(dir.path, 'overlaps'))).toBe(false);
  });

  test('kill -9 while idle: its standby exits; snapshots made while it was down are replicated after restart, confirmed ones never again', async () => {
    const root = join(dir.path, 'root');
    writeFileSnapshot(root, snapshotId('before'));
    const first = run(root);
    await first.waitForLine(/^info replicated added=1/);
    const [standby] = markedGroups(join(dir.path, 'state.json'));
    expect(standby).toBeDefined();
    await kill9(first);
    // Its standby sees its input close and exits by itself, before any successor looks for it.
    await waitFor('the standby of the killed daemon to exit', () => !groupAlive(standby!));
    writeFileSnapshot(root, snapshotId('while-down'));
    const second = run(root);
    await second.waitForLine(/^info started .*replicated=1/);
    await second.waitForLine(/^info replicated added=1/);
    expect(second.runs().map((r) => r.added)).toEqual([[snapshotId('before')], [snapshotId('while-down')]]);
    expect(JSON.parse(readFileSync(join(dir.path, 'state.json'), 'utf8')).replicated).toHaveLength(2);
  });

  test('SIGTERM during a run stops the script, keeps its snapshots pending and exits 0', async () => {
    const root = join(dir.path, 'root');
    writeFileSnapshot(root, snapshotId('a'));
    writeFileSync(join(dir.path, 'hold'), '');
    const daemon = run(root);
    const start = await daemon.waitForLine(/^info replica-sync-start /);
    const script = Number(/pid=(\d+)/.exec(start)![1]);
    scriptGroups.push(script);
    daemon.child.kill('SIGTERM');
    expect(await daemon.exited).toEqual({ code: 0, signal: null });
    expect(groupAlive(script)).toBe(false);
    expect(daemon.lines).toContain('info stopped replicated=0');
    expect(existsSync(join(dir.path, 'state.json'))).toBe(false);
  });

  test('SIGTERM while idle exits 0 with the state saved', async () => {
    const root = join(dir.path, 'root');
    writeFileSnapshot(root, snapshotId('a'));
    const daemon = run(root);
    await daemon.waitForLine(/^info replicated added=1/);
    expect(markedGroups(join(dir.path, 'state.json'))).toHaveLength(1);
    daemon.child.kill('SIGTERM');
    expect(await daemon.exited).toEqual({ code: 0, signal: null });
    expect(markedGroups(join(dir.path, 'state.json'))).toEqual([]); // no standby left behind
    expect(allAdded(daemon.runs())).toEqual([snapshotId('a')]);
    expect(JSON.parse(readFileSync(join(dir.path, 'state.json'), 'utf8')).replicated).toEqual([`./snapshots/${snapshotId('a')}`]);
  });
});

describe('backup-syncd command line', () => {
  const required = ['--host', 'h', '--watch', '/tmp/w', '--script', '/bin/true', '--state', '/tmp/s.json', '--log-config', '/tmp/l.conf'];
  test.each([
    ['a missing required option', ['--host', 'h'], /required option '--watch <dir>'/],
    ['an unknown option', [...required, '--settel', '1s'], /unknown option '--settel'/],
    ['a bad duration', [...required, '--settle', 'soon'], /--settle .*expected a duration/],
    ['a zero timeout', [...required, '--timeout', '0'], /--timeout .*greater than zero/],
    ['an extra argument', [...required, 'extra'], /too many arguments/],
  ])('%s gives the usage and a non-zero exit', async (_what, args, message) => {
    const daemon = spawnDaemon(args);
    const { code } = await daemon.exited;
    await new Promise((resolve) => setImmediate(resolve));
    expect(code).not.toBe(0);
    const stderr = daemon.lines.filter((line) => line.startsWith('stderr: ')).join('\n');
    expect(stderr).toMatch(message);
    expect(stderr).toContain('Usage: backup-syncd [options]');
  });
});
