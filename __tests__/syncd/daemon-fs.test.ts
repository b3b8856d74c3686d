/** backup-syncd in-process on a real filesystem with real inotify and a real replica_sync. */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SyncDaemon, type DaemonOptions } from '../../lib/syncd/daemon';
import { createLogger } from '../../lib/syncd/logger';
import { loadState } from '../../lib/syncd/state';
import { allAdded, recordingScript, snapshotId, tempDir, waitFor, writeFileSnapshot, writeMinioSnapshot } from './support';

describe('backup-syncd on a real filesystem', () => {
  let dir: ReturnType<typeof tempDir>;
  let daemon: SyncDaemon | undefined;
  let lines: string[];
  beforeEach(() => {
    dir = tempDir('daemon');
    lines = [];
  });
  afterEach(async () => {
    await daemon?.stop();
    daemon = undefined;
    dir.remove();
  });

  function start(root: string, overrides: Partial<DaemonOptions> = {}) {
    const recorder = recordingScript(dir.path);
    daemon = new SyncDaemon({
      host: 'ahost.example.com',
      watch: root,
      script: recorder.script,
      state: join(dir.path, 'state', 'state.json'),
      settleMs: 50,
      maxSettleMs: 1000,
      rescanMs: 0, // events alone must do it
      timeoutMs: 10_000,
      killGraceMs: 1000,
      backoff: { initialMs: 100, maxMs: 400 },
      maxDepth: 6,
      logger: createLogger({ level: 'debug', format: 'text' }, (line) => lines.push(line)),
      ...overrides,
    });
    return { ...recorder, started: daemon.start() };
  }

  const overlaps = (): boolean => existsSync(join(dir.path, 'overlaps'));

  test('2,500 snapshots pending (a first start): more than one exec can carry, so runs of 1,000 replicate them all', async () => {
    // Linux refuses an exec with a variable over 128 KiB: BACKUP_SYNCD_ADDED of 2,500 ids is 162 KiB.
    const root = join(dir.path, 'repo');
    const ids = Array.from({ length: 2500 }, (_, n) => snapshotId(`many-${n}`));
    for (const id of ids) writeFileSnapshot(root, id);
    const { runs, started } = start(root);
    await started;
    await waitFor('every snapshot replicated', () => allAdded(runs()).length === ids.length, 30_000);
    expect(runs().map((run) => run.added.length)).toEqual([1000, 1000, 500]);
    expect(runs().every((run) => run.envAdded.length === run.added.length)).toBe(true);
    expect(new Set(allAdded(runs()))).toEqual(new Set(ids));
    expect(lines).toContain('info run-limited added=1000 removed=0 later=1500');
    await waitFor('the state to hold them all', () => lines.some((line) => line.startsWith('info replicated added=500 ')));
    expect((await loadState(join(dir.path, 'state', 'state.json'))).replicated.size).toBe(ids.length);
    expect(lines.filter((line) => line.startsWith('warn '))).toEqual([]);
  });

  test('file snapshots and minio <id>/xl.meta directories (meta arriving later) are each replicated', async () => {
    const root = join(dir.path, 'minio', 'backups', 'restic');
    mkdirSync(root, { recursive: true });
    const { runs, started } = start(root);
    await started;
    writeFileSnapshot(root, snapshotId('file'));
    await waitFor('the file snapshot', () => allAdded(runs()).includes(snapshotId('file')));
    mkdirSync(join(root, 'snapshots', snapshotId('minio')));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(allAdded(runs())).not.toContain(snapshotId('minio'));
    writeFileSync(join(root, 'snapshots', snapshotId('minio'), 'xl.meta'), 'meta');
    await waitFor('the minio snapshot', () => allAdded(runs()).includes(snapshotId('minio')));
    writeFileSync(join(root, 'snapshots', `${snapshotId('tmp')}.tmp`), '');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(runs()).toEqual([
      { added: [snapshotId('file')], removed: [], host: 'ahost.example.com', root, envAdded: [snapshotId('file')] },
      { added: [snapshotId('minio')], removed: [], host: 'ahost.example.com', root, envAdded: [snapshotId('minio')] },
    ]);
    expect(lines).toContain('info replica-sync-output stream=stdout line="recorded run"');
    expect((await loadState(join(dir.path, 'state', 'state.json'))).replicated.size).toBe(2);
  });

  test('a burst of 100 snapshots gives one or a few runs listing every one exactly once', async () => {
    const root = join(dir.path, 'root');
    mkdirSync(join(root, 'repo', 'snapshots'), { recursive: true });
    const { runs, started } = start(root, { settleMs: 300 });
    await started;
    const ids = Array.from({ length: 100 }, (_, i) => snapshotId(`burst-${i}`));
    ids.forEach((id, i) => (i % 2 === 0 ? writeFileSnapshot(join(root, 'repo'), id) : writeMinioSnapshot(join(root, 'repo'), id)));
    await waitFor('all 100 replicated', () => allAdded(runs()).length >= 100);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(allAdded(runs()).sort()).toEqual([...ids].sort());
    expect(runs().length).toBeLessThanOrEqual(3);
    expect(overlaps()).toBe(false);
  });

  test('a watched directory that does not exist yet is picked up when it appears', async () => {
    const root = join(dir.path, 'host', 'minio', 'backups', 'restic');
    const { runs, started } = start(root);
    await started;
    await waitFor('the missing root to be reported', () => lines.some((line) => line.startsWith('warn watch-root-missing')));
    mkdirSync(join(dir.path, 'host', 'minio', 'backups'), { recursive: true });
    await new Promise((resolve) => setTimeout(resolve, 100));
    writeMinioSnapshot(root, snapshotId('late'));
    await waitFor('the snapshot in the late root', () => allAdded(runs()).includes(snapshotId('late')));
    expect(lines).toContain(`info watch-root-appeared watch=${root}`);
  });

  test('a snapshots directory removed and made again (as minio does with empty ones) is watched again', async () => {
    const root = join(dir.path, 'root');
    writeMinioSnapshot(root, snapshotId('first'));
    const { runs, started } = start(root);
    await started;
    await waitFor('the first snapshot', () => allAdded(runs()).includes(snapshotId('first')));
    rmSync(join(root, 'snapshots'), { recursive: true });
    await waitFor('the removal', () => runs().some((run) => run.removed.length === 1));
    writeMinioSnapshot(root, snapshotId('second'));
    await waitFor('the snapshot in the new directory', () => allAdded(runs()).includes(snapshotId('second')));
    writeMinioSnapshot(root, snapshotId('third'));
    await waitFor('a later snapshot in the new directory', () => allAdded(runs()).includes(snapshotId('third')));
  });

  test('snapshots arriving during a run are handled by the next run, never concurrently', async () => {
    const root = join(dir.path, 'root');
    mkdirSync(join(root, 'snapshots'), { recursive: true });
    const { runs, started } = start(root);
    await started;
    writeFileSync(join(dir.path, 'hold'), '');
    writeFileSnapshot(root, snapshotId('first'));
    await waitFor('the first run to start', () => existsSync(join(dir.path, 'running')));
    writeFileSnapshot(root, snapshotId('during-1'));
    writeMinioSnapshot(root, snapshotId('during-2'));
    await new Promise((resolve) => setTimeout(resolve, 300));
    rmSync(join(dir.path, 'hold'));
    await waitFor('the second run', () => runs().length === 2);
    expect(runs().map((run) => run.added)).toEqual([[snapshotId('first')], [snapshotId('during-1'), snapshotId('during-2')].sort()]);
    expect(overlaps()).toBe(false);
  });

  test('a failing replica_sync keeps its snapshots pending and the retry carries the accumulated difference', async () => {
    const root = join(dir.path, 'root');
    writeFileSnapshot(root, snapshotId('old'));
    writeFileSnapshot(root, snapshotId('gone'));
    writeFileSync(join(dir.path, 'exit'), '3');
    const { runs, started } = start(root);
    await started;
    await waitFor('two failed runs', () => runs().length >= 2);
    rmSync(join(root, 'snapshots', snapshotId('gone')));
    writeFileSnapshot(root, snapshotId('new'));
    const expected = [snapshotId('old'), snapshotId('new')].sort();
    await waitFor('a failed run with the accumulated difference', () => runs().some((run) => run.added.join() === expected.join()));
    rmSync(join(dir.path, 'exit'));
    await waitFor('a successful retry', () => lines.some((line) => line.startsWith('info replicated')));
    const last = runs().at(-1)!;
    expect(last.added).toEqual(expected);
    expect(lines.filter((line) => line.startsWith('warn replica-sync-failed exitCode=3'))).not.toHaveLength(0);
    expect(lines).toEqual(expect.arrayContaining([expect.stringMatching(/^warn retry-scheduled failures=2 delayMs=200$/)]));
    // Removing a replicated snapshot is reported as removed.
    rmSync(join(root, 'snapshots', snapshotId('old')));
    await waitFor('the removal', () => runs().at(-1)!.removed.length === 1);
    expect(runs().at(-1)).toMatchObject({ added: [], removed: [snapshotId('old')] });
  });

  test('a run over the timeout is stopped, counts as failed and is retried', async () => {
    const root = join(dir.path, 'root');
    writeFileSnapshot(root, snapshotId('slow'));
    writeFileSync(join(dir.path, 'hold'), '');
    const { runs, started } = start(root, { timeoutMs: 300, killGraceMs: 200 });
    await started;
    await waitFor('the timeout', () => lines.some((line) => /^warn replica-sync-failed .*timedOut=true/.test(line)));
    expect(runs()).toEqual([]);
    rmSync(join(dir.path, 'hold'));
    await waitFor('the retry', () => allAdded(runs()).includes(snapshotId('slow')));
    expect(lines).toEqual(expect.arrayContaining([expect.stringMatching(/^warn replica-sync-timeout pid=\d+ timeoutMs=300$/)]));
  });

  test('stopping during a run ends the script and keeps its snapshots pending', async () => {
    const root = join(dir.path, 'root');
    writeFileSnapshot(root, snapshotId('pending'));
    writeFileSync(join(dir.path, 'hold'), '');
    const { started } = start(root);
    await started;
    await waitFor('the run to start', () => existsSync(join(dir.path, 'running')));
    await daemon!.stop();
    daemon = undefined;
    expect(lines).toEqual(expect.arrayContaining([expect.stringMatching(/^warn replica-sync-failed .*signal=SIGTERM/), 'info stopped replicated=0']));
    expect(existsSync(join(dir.path, 'state', 'state.json'))).toBe(false);
    expect(existsSync(join(dir.path, 'state', 'state.json.running'))).toBe(false);
    expect(readFileSync(join(dir.path, 'running'), 'utf8')).toBe('');
  });
});
