/** The standby of a run: its message is data, never code, and it ends with its daemon. */
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLogger } from '../../lib/syncd/logger';
import { RUN_MARKER, groupAlive, markedGroups } from '../../lib/syncd/process-group';
import { ScriptRunner } from '../../lib/syncd/runner';
import { Standby, STANDBY_SHELL } from '../../lib/syncd/standby';
import { MALFORMED_MESSAGE_STATUS, STANDBY_NAME, STANDBY_PROGRAM, standbyMessage, type RunVariables } from '../../lib/syncd/standby-protocol';
import { killQuietly } from './daemon-process';
import { snapshotId, tempDir, waitFor } from './support';

const variables = (values: Partial<RunVariables> = {}): RunVariables => ({ BACKUP_SYNCD_ADDED: '', BACKUP_SYNCD_REMOVED: '', BACKUP_SYNCD_REPOSITORIES: '', ...values });

describe('the standby message', () => {
  test('is "run", then each value as its count of lines and those lines', () => {
    expect(standbyMessage(variables({ BACKUP_SYNCD_ADDED: 'a b', BACKUP_SYNCD_REPOSITORIES: '.\nx' }))).toBe('run\n1\na b\n1\n\n2\n.\nx\n');
  });

  test('refuses a NUL byte, which the shell would drop silently', () => {
    expect(() => standbyMessage(variables({ BACKUP_SYNCD_REPOSITORIES: 'a\0b' }))).toThrow('standby message: BACKUP_SYNCD_REPOSITORIES holds a NUL byte');
  });
});

describe('a standby shell (real /bin/sh)', () => {
  let dir: ReturnType<typeof tempDir>;
  const pids: number[] = [];
  beforeEach(() => (dir = tempDir('standby')));
  afterEach(() => {
    for (const pid of pids.splice(0)) killQuietly(-pid);
    dir.remove();
  });

  /** A replica_sync that records its arguments, pid, group, standard input and environment, each value NUL-terminated. */
  function recorder(): { readonly script: string; readonly seen: (name: string) => string } {
    const script = join(dir.path, 'replica_sync');
    writeFileSync(script, [
      '#!/bin/sh',
      `out='${dir.path}/seen'`,
      'printf "%s\\0" "$@" > "$out.args"',
      'cut -d" " -f1,5,6 /proc/$$/stat > "$out.group"',
      'cat > "$out.stdin"',
      'for name in BACKUP_SYNCD_ADDED BACKUP_SYNCD_REMOVED BACKUP_SYNCD_REPOSITORIES BACKUP_HOST; do eval "printf \'%s\\0\' \\"\\$$name\\"" >> "$out.env"; done',
      // Only sh and coreutils: the test must run where nothing else is installed.
      'env | while IFS= read -r line; do case $line in standby_*) echo "$line" ;; esac; done > "$out.leaked"',
      'echo "ran"',
      '',
    ].join('\n'));
    chmodSync(script, 0o755);
    return { script, seen: (name) => readFileSync(join(dir.path, `seen.${name}`), 'utf8') };
  }

  const lists: [string, string] = ['/tmp/lists/added', '/tmp/lists/removed'];

  function standby(script: string, output: string[] = [], args: [string, string] = lists): Standby {
    // A variable named like the shell's own, exported by the daemon's environment: the shell's values must not reach the script through it.
    const environment = { PATH: process.env.PATH, BACKUP_HOST: 'h.example', [RUN_MARKER]: join(dir.path, 'state.json'), standby_line: 'exported' };
    const made = new Standby({ script, args, environment, onOutput: (stream, line) => output.push(`${stream}: ${line}`) });
    if (made.pid !== undefined) pids.push(made.pid);
    return made;
  }

  // Names a client can give its repositories (minio buckets are tamer; rest-server and rclone
  // take almost any path), each aimed at the shell that reads them.
  const hostile = [
    'plain',
    'two\nlines',
    '$(touch PWNED)',
    '`touch PWNED`',
    "it's \"quoted\"",
    'back\\slash\\',
    '  spaced  ',
    '-n',
    '*',
    '',
    'run',
    '3',
    'x\n1\nBACKUP_SYNCD_ADDED',
    'ends with CR\r',
    `${'long'.repeat(5000)}`,
    'ünïcödé',
  ];

  test('the script sees exactly the values sent, as data: nothing is expanded, split or evaluated', async () => {
    const { script, seen } = recorder();
    const output: string[] = [];
    const args: [string, string] = [join(dir.path, 'lists dir', "ad'ded"), join(dir.path, '-removed\n')];
    const waiting = standby(script, output, args);
    const repositories = hostile.join('\n');
    expect(waiting.waiting).toBe(true);
    waiting.start(variables({ BACKUP_SYNCD_ADDED: `${snapshotId('a')} ${snapshotId('b')}`, BACKUP_SYNCD_REMOVED: '', BACKUP_SYNCD_REPOSITORIES: repositories }));
    expect(waiting.waiting).toBe(false);
    expect(await waiting.exited).toEqual({ exitCode: 0, signal: null });
    expect(seen('args')).toBe(`${args[0]}\0${args[1]}\0`);
    expect(seen('env')).toBe(`${snapshotId('a')} ${snapshotId('b')}\0\0${repositories}\0h.example\0`);
    expect(existsSync(join(dir.path, 'PWNED'))).toBe(false);
    expect(readdirSync(dir.path).filter((name) => /PWNED/.test(name))).toEqual([]);
    // Standard input is /dev/null, as for any run; none of the shell's own variables reach the script.
    expect(seen('stdin')).toBe('');
    expect(seen('leaked')).toBe('');
    // The exec kept the standby's pid: the script leads its own session and process group.
    const [pid, pgid, sid] = seen('group').trim().split(' ').map(Number);
    expect([pid, pgid, sid]).toEqual([waiting.pid, waiting.pid, waiting.pid]);
    expect(output).toEqual(['stdout: ran']);
  });

  const notStarted = 'the message does not start with run';
  const badCount = 'a line count is not a decimal number below 100000000';
  const early = 'the message ended early';
  test.each([
    ['no "run" first', 'go\n1\nx\n', notStarted],
    ['a count that is not a number', 'run\nx\n', badCount],
    ['a count with a leading zero (the shell would read it as octal)', 'run\n010\n', badCount],
    ['a count too large', 'run\n100000000\n', badCount],
    ['a negative count', 'run\n-1\n', badCount],
    ['a message that ends early', 'run\n2\nonly one line\n', early],
    ['a message cut after the first value', 'run\n1\nabc\n', early],
  ])('%s: exits with EX_SOFTWARE and replica_sync never runs', async (_what, message, reason) => {
    const { script } = recorder();
    // The program itself, given a message the daemon never writes.
    const child = spawn(STANDBY_SHELL, ['-c', STANDBY_PROGRAM, STANDBY_NAME, script, ...lists], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    child.stdin.end(message);
    expect(await exited).toBe(MALFORMED_MESSAGE_STATUS);
    expect(existsSync(join(dir.path, 'seen.args'))).toBe(false);
    expect(stderr).toBe(`backup-syncd standby: ${reason}\n`);
  });

  test('discarded (end of input before any message): exits 0 without running anything', async () => {
    const { script } = recorder();
    const waiting = standby(script);
    waiting.discard();
    expect(await waiting.exited).toEqual({ exitCode: 0, signal: null });
    expect(existsSync(join(dir.path, 'seen.args'))).toBe(false);
  });

  test('ended while it ignores its input (stopped): killed after the grace time, never run', async () => {
    const { script } = recorder();
    const waiting = standby(script);
    await waitFor('the standby to start', () => existsSync(`/proc/${waiting.pid}/cmdline`));
    process.kill(waiting.pid!, 'SIGSTOP');
    expect(await waiting.end(100)).toEqual({ exitCode: null, signal: 'SIGKILL' });
    expect(existsSync(join(dir.path, 'seen.args'))).toBe(false);
  });

  test('a missing replica_sync fails the run with the shell\'s message in the log', async () => {
    const output: string[] = [];
    const waiting = standby(join(dir.path, 'no-such-script'), output);
    waiting.start(variables());
    expect(await waiting.exited).toEqual({ exitCode: 127, signal: null });
    expect(output.join('\n')).toMatch(/^stderr: .*no-such-script.*not found/);
  });

  test('is the one program the runner starts: /bin/sh -c, named in ps', async () => {
    const { script } = recorder();
    const waiting = standby(script);
    await waitFor('the standby to start', () => existsSync(`/proc/${waiting.pid}/cmdline`));
    expect(readFileSync(`/proc/${waiting.pid}/cmdline`, 'utf8').split('\0')).toEqual([STANDBY_SHELL, '-c', STANDBY_PROGRAM, STANDBY_NAME, script, ...lists, '']);
    waiting.discard();
    await waiting.exited;
  });
});

describe('the runner\'s prepared run', () => {
  let dir: ReturnType<typeof tempDir>;
  /** Where the runner makes the prepared lists. */
  let tmp: string;
  let logged: string[];
  beforeEach(() => {
    dir = tempDir('runner-standby');
    tmp = join(dir.path, 'tmp');
    mkdirSync(tmp);
    logged = [];
  });
  afterEach(() => dir.remove());

  function runner(script: string): ScriptRunner {
    return new ScriptRunner({
      script, host: 'h.example', root: '/srv/root', timeoutMs: 10_000, killGraceMs: 100, groupRecord: join(dir.path, 'state.json.running'), marker: join(dir.path, 'state.json'), report: join(dir.path, 'state.json.report'), listsParent: tmp,
      logger: createLogger({ level: 'info', format: 'text' }, (line) => logged.push(line)),
    });
  }

  /** Appends its pid and both lists (NUL as "|") to `runs`. */
  function countingScript(): string {
    const script = join(dir.path, 'replica_sync');
    writeFileSync(script, `#!/bin/sh\necho "$$ $(tr '\\000' '|' < "$1") $(tr '\\000' '|' < "$2")" >> '${dir.path}/runs'\n`);
    chmodSync(script, 0o755);
    return script;
  }

  const runLines = (): string[] => (existsSync(join(dir.path, 'runs')) ? readFileSync(join(dir.path, 'runs'), 'utf8').trim().split('\n') : []);
  const runs = (): number[] => runLines().map((line) => Number(line.split(' ')[0]));
  const diff = { added: [`./snapshots/${snapshotId('a')}`], removed: [] };
  const prepared = (): string[] => readdirSync(tmp);

  test('one standby waits, marked for a successor daemon; each run uses it and leaves a new one; shutdown leaves none', async () => {
    const marker = join(dir.path, 'state.json');
    const subject = runner(countingScript());
    subject.prepare();
    const [first] = markedGroups(marker);
    expect(markedGroups(marker)).toEqual([first]);
    // Its lists are there, empty and private, and so is a fresh report.
    expect(prepared()).toEqual([expect.stringMatching(/^backup-syncd-/)]);
    const lists = join(tmp, prepared()[0]!);
    expect(statSync(lists).mode & 0o777).toBe(0o700);
    expect(readdirSync(lists).sort()).toEqual(['added', 'removed']);
    expect(readFileSync(join(lists, 'added'), 'utf8')).toBe('');
    expect(readFileSync(join(dir.path, 'state.json.report'), 'utf8')).toBe('');

    expect((await subject.run(diff)).ok).toBe(true);
    expect(runs()).toEqual([first]);
    const next = markedGroups(marker);
    expect(next).toHaveLength(1);
    expect(next[0]).not.toBe(first);
    expect(prepared()).toHaveLength(1);
    expect(join(tmp, prepared()[0]!)).not.toBe(lists);
    expect((await subject.run({ added: [], removed: [`x/snapshots/${snapshotId('b')}`] })).ok).toBe(true);
    expect(runLines()).toEqual([`${first} ${snapshotId('a')}| `, `${next[0]}  ${snapshotId('b')}|`]);
    await subject.shutdown();
    expect(markedGroups(marker)).toEqual([]);
    expect(prepared()).toEqual([]);
    expect(existsSync(join(dir.path, 'state.json.running'))).toBe(false);
    expect(existsSync(join(dir.path, 'state.json.report'))).toBe(false);
  });

  test('a standby killed while waiting costs nothing: the run starts a new one', async () => {
    const marker = join(dir.path, 'state.json');
    const subject = runner(countingScript());
    subject.prepare();
    const [killed] = markedGroups(marker);
    process.kill(killed!, 'SIGKILL');
    await waitFor('the standby to die', () => !groupAlive(killed!));
    expect((await subject.run(diff)).ok).toBe(true);
    expect(runs()).toHaveLength(1);
    expect(runs()[0]).not.toBe(killed);
    await subject.shutdown();
  });

  test('lists removed meanwhile (a cleaner of $TMPDIR): the run makes them again and says so', async () => {
    const subject = runner(countingScript());
    subject.prepare();
    const gone = join(tmp, prepared()[0]!);
    rmSync(gone, { recursive: true });
    expect((await subject.run(diff)).ok).toBe(true);
    expect(runLines()).toEqual([expect.stringMatching(new RegExp(`^\\d+ ${snapshotId('a')}\\|$`))]);
    expect(logged).toContain(`info prepared-run-gone dir=${gone} reason="ENOENT: no such file or directory, open '${gone}/added'"`);
    await subject.shutdown();
    expect(prepared()).toEqual([]);
  });

  test('a link planted where a list was: refused, never followed', async () => {
    const subject = runner(countingScript());
    subject.prepare();
    const lists = join(tmp, prepared()[0]!);
    const victim = join(dir.path, 'victim');
    writeFileSync(victim, 'untouched');
    rmSync(join(lists, 'added'));
    symlinkSync(victim, join(lists, 'added'));
    await expect(subject.run(diff)).rejects.toMatchObject({ code: 'ELOOP' });
    expect(readFileSync(victim, 'utf8')).toBe('untouched');
    expect(runs()).toEqual([]);
    await subject.shutdown();
    expect(markedGroups(join(dir.path, 'state.json'))).toEqual([]);
    expect(prepared()).toEqual([]);
  });
});
