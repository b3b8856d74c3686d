/** backup-syncd reads replica_sync's per-target report (BACKUP_SYNCD_REPORT) into its state. */
import { chmodSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SyncDaemon, reportPath } from '../../lib/syncd/daemon';
import { createLogger } from '../../lib/syncd/logger';
import { loadState } from '../../lib/syncd/state';
import { snapshotId, tempDir, waitFor, writeFileSnapshot } from './support';

/**
 * A replica_sync that records the report path it was given and whether the file was empty, then
 * appends the lines of `<dir>/lines` (if any) and exits with `<dir>/exit` (0 if absent).
 */
function reportingScript(dir: string): string {
  const script = join(dir, 'replica_sync');
  writeFileSync(script, [
    '#!/bin/sh',
    `d='${dir}'`,
    'if [ -f "$BACKUP_SYNCD_REPORT" ] && [ ! -L "$BACKUP_SYNCD_REPORT" ] && [ ! -s "$BACKUP_SYNCD_REPORT" ]; then echo "$BACKUP_SYNCD_REPORT fresh" >> "$d/given"; else echo "$BACKUP_SYNCD_REPORT not fresh" >> "$d/given"; fi',
    '[ -e "$d/lines" ] && cat "$d/lines" >> "$BACKUP_SYNCD_REPORT"',
    'echo run >> "$d/runs"',
    'code=0; [ -e "$d/exit" ] && code=$(cat "$d/exit")',
    'exit "$code"',
    '',
  ].join('\n'));
  chmodSync(script, 0o755);
  return script;
}

describe('backup-syncd and the replica report', () => {
  let dir: ReturnType<typeof tempDir>;
  let daemon: SyncDaemon | undefined;
  let lines: string[];
  let minute: number;
  beforeEach(() => {
    dir = tempDir('report');
    lines = [];
    minute = 0;
  });
  afterEach(async () => {
    await daemon?.stop();
    daemon = undefined;
    dir.remove();
  });

  const state = () => join(dir.path, 'state', 'state.json');
  const runs = () => (existsSync(join(dir.path, 'runs')) ? readFileSync(join(dir.path, 'runs'), 'utf8').trim().split('\n').length : 0);
  const start = async (root: string) => {
    daemon = new SyncDaemon({
      host: 'ahost.example.com', watch: root, script: reportingScript(dir.path), state: state(),
      settleMs: 50, maxSettleMs: 1000, rescanMs: 0, timeoutMs: 10_000, killGraceMs: 1000,
      backoff: { initialMs: 100, maxMs: 200 }, maxDepth: 6,
      logger: createLogger({ level: 'info', format: 'text' }, (line) => lines.push(line)),
      now: () => new Date(Date.UTC(2026, 10, 26, 12, minute++)),
    });
    await daemon.start();
  };

  test('a target failing verification fails the run, which is retried; the state records each check; success resets the count', async () => {
    const root = join(dir.path, 'repo');
    mkdirSync(join(dir.path, 'state'), { recursive: true });
    // A leftover report of a killed run, and a planted link: neither is reused nor followed.
    writeFileSync(join(dir.path, 'victim'), 'keep');
    symlinkSync(join(dir.path, 'victim'), reportPath(state()));
    const id = snapshotId('report');
    writeFileSync(join(dir.path, 'lines'), `{"target":"/srv/replica","ok":false,"missing":["${id}"],"error":"snapshots missing on the replica after the copy"}\n`);
    writeFileSnapshot(root, id);
    await start(root);
    await waitFor('two failed runs', () => runs() >= 2);
    await waitFor('the state to record the target', () => existsSync(state()) && readFileSync(state(), 'utf8').includes('"/srv/replica"'));
    expect(readFileSync(join(dir.path, 'victim'), 'utf8')).toBe('keep');
    const failed = await loadState(state());
    expect(failed.replicated.size).toBe(0);
    expect(failed.replicas!['/srv/replica']).toMatchObject({ ok: false, missing: [id], error: 'snapshots missing on the replica after the copy', lastSuccessAt: null });
    expect(failed.replicas!['/srv/replica']!.consecutiveFailures).toBeGreaterThanOrEqual(1);
    expect(lines).toContain(`warn replica-not-verified target=/srv/replica missing=1 error="snapshots missing on the replica after the copy"`);
    expect(lines.some((line) => line.startsWith('warn retry-scheduled failures=1'))).toBe(true);

    writeFileSync(join(dir.path, 'lines'), '{"target":"/srv/replica","ok":true,"missing":[],"error":null}\n');
    await waitFor('the state to confirm the snapshot', () => existsSync(state()) && readFileSync(state(), 'utf8').includes(`./snapshots/${id}`));
    const replicated = JSON.parse(readFileSync(state(), 'utf8'));
    expect(replicated.version).toBe(2);
    expect(replicated.replicas['/srv/replica']).toEqual({ checkedAt: replicated.replicas['/srv/replica'].lastSuccessAt, ok: true, missing: [], error: null, lastSuccessAt: expect.stringMatching(/^2026-11-26T12:\d\d:00.000Z$/), consecutiveFailures: 0 });
    expect(readFileSync(join(dir.path, 'given'), 'utf8').trim().split('\n').every((line) => line === `${reportPath(state())} fresh`)).toBe(true);
    // Read and removed after each run; the one waiting is fresh (empty) for the next run, and goes when the daemon stops.
    expect(readFileSync(reportPath(state()), 'utf8')).toBe('');
    await daemon!.stop();
    daemon = undefined;
    expect(existsSync(reportPath(state()))).toBe(false);
  });

  test('ok reported but a non-zero exit still fails; a script writing no report leaves the replicas as they were (old contract)', async () => {
    const root = join(dir.path, 'repo');
    mkdirSync(join(dir.path, 'state'), { recursive: true });
    const before = { checkedAt: '2026-01-01T00:00:00.000Z', ok: true, missing: [], error: null, lastSuccessAt: '2026-01-01T00:00:00.000Z', consecutiveFailures: 0 };
    // A version 1 state of an earlier backup-syncd is read and upgraded.
    writeFileSync(state(), '{"version": 1, "replicated": []}\n');
    writeFileSync(join(dir.path, 'lines'), '{"target":"b2:x","ok":true}\n');
    writeFileSync(join(dir.path, 'exit'), '3');
    writeFileSnapshot(root, snapshotId('one'));
    await start(root);
    await waitFor('a failed run', () => lines.some((line) => line.startsWith('warn replica-sync-failed exitCode=3')));
    // The state is saved right after that line.
    await waitFor('the state to record the target', () => readFileSync(state(), 'utf8').includes('"b2:x"'));
    expect((await loadState(state())).replicas).toEqual({ 'b2:x': expect.objectContaining({ ok: true, consecutiveFailures: 0 }) });
    await daemon!.stop();
    daemon = undefined;

    writeFileSync(state(), `${JSON.stringify({ version: 2, replicated: [], replicas: { 'b2:x': before } })}\n`);
    writeFileSync(join(dir.path, 'lines'), '');
    writeFileSync(join(dir.path, 'exit'), '0');
    await start(root);
    await waitFor('the snapshot confirmed', () => readFileSync(state(), 'utf8').includes('./snapshots/'));
    expect((await loadState(state())).replicas).toEqual({ 'b2:x': before });
  });
});
