import { chmodSync, existsSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLogger } from '../../lib/syncd/logger';
import { ScriptRunner, idList, runEnvironment } from '../../lib/syncd/runner';
import { snapshotId, tempDir } from './support';

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

describe('one run of replica_sync (real script, real files)', () => {
  let dir: ReturnType<typeof tempDir>;
  beforeEach(() => (dir = tempDir('runner')));
  afterEach(() => dir.remove());

  test('lists, environment, marker, a fresh report (never through a planted link), the group record, and cleanup', async () => {
    const seen = join(dir.path, 'seen');
    const record = join(dir.path, 'state.json.running');
    const script = join(dir.path, 'replica_sync');
    writeFileSync(script, [
      '#!/bin/sh',
      `out='${seen}'`,
      'cp "$1" "$out.added"; cp "$2" "$out.removed"',
      'echo "$1" > "$out.lists"',
      '{ echo "host=$BACKUP_HOST"; echo "root=$BACKUP_SYNCD_ROOT"; echo "added=$BACKUP_SYNCD_ADDED"; echo "removed=$BACKUP_SYNCD_REMOVED"; echo "repositories=$BACKUP_SYNCD_REPOSITORIES"; echo "marker=$BACKUP_SYNCD_RUN_OF"; } > "$out.env"',
      'if [ -f "$BACKUP_SYNCD_REPORT" ] && [ ! -L "$BACKUP_SYNCD_REPORT" ] && [ ! -s "$BACKUP_SYNCD_REPORT" ]; then echo fresh > "$out.report"; fi',
      // The record names this very process, which leads its own session and process group. The
      // daemon writes it right after the start, so it may take a moment to appear.
      `i=0; while [ ! -s '${record}' ] && [ $i -lt 500 ]; do sleep 0.01; i=$((i + 1)); done`,
      `cat '${record}' > "$out.record"; cut -d' ' -f1,5,6 /proc/$$/stat > "$out.group"`,
      'echo "target=a ok" >> "$BACKUP_SYNCD_REPORT"',
      'echo to-the-log',
      '',
    ].join('\n'));
    chmodSync(script, 0o755);
    const report = join(dir.path, 'state.json.report');
    const victim = join(dir.path, 'victim');
    writeFileSync(victim, 'untouched');
    symlinkSync(victim, report);
    const logged: string[] = [];
    const runner = new ScriptRunner({
      script, host: 'h.example', root: '/srv/root', timeoutMs: 10_000, killGraceMs: 100, groupRecord: record, marker: join(dir.path, 'state.json'), report,
      logger: createLogger({ level: 'info', format: 'text' }, (line) => logged.push(line)),
    });
    const result = await runner.run({ added: [`./snapshots/${a}`, `x/snapshots/${b}`], removed: [`x/snapshots/${a}`] });
    await runner.shutdown();

    expect(result).toMatchObject({ ok: true, exitCode: 0, timedOut: false, report: 'target=a ok\n' });
    expect(readFileSync(`${seen}.added`, 'utf8')).toBe(`${a}\0${b}\0`);
    expect(readFileSync(`${seen}.removed`, 'utf8')).toBe(`${a}\0`);
    expect(readFileSync(`${seen}.env`, 'utf8')).toBe(`host=h.example\nroot=/srv/root\nadded=${a} ${b}\nremoved=${a}\nrepositories=.\nx\nmarker=${join(dir.path, 'state.json')}\n`);
    expect(readFileSync(`${seen}.report`, 'utf8')).toBe('fresh\n');
    expect(readFileSync(victim, 'utf8')).toBe('untouched');
    const [pid, pgid, sid] = readFileSync(`${seen}.group`, 'utf8').trim().split(/\s+/).map(Number);
    expect(pgid).toBe(pid);
    expect(sid).toBe(pid);
    expect(JSON.parse(readFileSync(`${seen}.record`, 'utf8'))).toMatchObject({ pid });
    expect(logged).toEqual(expect.arrayContaining([`info replica-sync-start pid=${pid} added=2 removed=1`, 'info replica-sync-output stream=stdout line=to-the-log']));
    // Nothing of the run is left: list files, report, record.
    expect(existsSync(readFileSync(`${seen}.lists`, 'utf8').trim())).toBe(false);
    expect(existsSync(report)).toBe(false);
    expect(existsSync(record)).toBe(false);
  });
});
