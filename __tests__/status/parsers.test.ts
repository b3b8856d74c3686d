/** The pure readers of status: runit's binary status, /proc, backup-syncd's state file and log, sizes and ages. */
import { parseSuperviseStatus, wasRestarted, type ServiceFacts } from '../../lib/status/runit';
import { deviceNumbers, lockKey, parseBootTime, parseListeningPorts, parseLocks, parseProcessStart } from '../../lib/status/proc';
import { parseSyncdStateFile, pendingKeys } from '../../lib/status/syncd-state-file';
import { parseLogLine, readSyncdLog } from '../../lib/status/syncd-log';
import { printable } from '../../lib/status/printable';
import { parseByteSize } from '../../lib/config/byte-size';
import { parseAge } from '../../lib/config/age';

/** What runsv wrote on this machine for a service started at Unix 1795697236 (pid 6390, want up, running). */
const RUNNING = Buffer.from('400000006b082a5e38f444d4f61800000075' + '0001', 'hex');
const DOWN = Buffer.from('400000006b082a60' + '26290cf4' + '00000000' + '00640000', 'hex');

describe('runit supervise/status', () => {
  test('a running service: state, pid (little-endian), TAI64N start, want up', () => {
    expect(parseSuperviseStatus(RUNNING)).toEqual({ state: 'run', pid: 6390, sinceMs: 1795697236 * 1000 + 955, paused: false, wantUp: true, terminating: false });
  });

  test('a service taken down: no pid, want down', () => {
    expect(parseSuperviseStatus(DOWN)).toMatchObject({ state: 'down', pid: undefined, wantUp: false, sinceMs: 1795697238 * 1000 + 640 });
  });

  test('anything but 20 bytes with a known state is refused', () => {
    expect(parseSuperviseStatus(RUNNING.subarray(0, 19))).toBeUndefined();
    expect(parseSuperviseStatus(Buffer.concat([RUNNING, Buffer.from([0])]))).toBeUndefined();
    const bad = Buffer.from(RUNNING);
    bad[19] = 7;
    expect(parseSuperviseStatus(bad)).toBeUndefined();
    // All zeros (a file cut short and padded, say): a time before 1970 is not runsv's.
    expect(parseSuperviseStatus(Buffer.alloc(20))).toBeUndefined();
    expect(parseSuperviseStatus(Buffer.from('7fffffffffffffff' + '00'.repeat(11) + '01', 'hex'))).toBeUndefined();
  });

  test('restarted: the run began more than 5 s after its runsv', () => {
    const base: ServiceFacts = { state: 'up', pid: 1, sinceMs: 100_000, wantUp: true, paused: false, supervisorSinceMs: 99_000, detail: undefined };
    expect(wasRestarted(base)).toBe(false);
    expect(wasRestarted({ ...base, supervisorSinceMs: 90_000 })).toBe(true);
    expect(wasRestarted({ ...base, supervisorSinceMs: undefined })).toBeUndefined();
  });
});

describe('/proc', () => {
  test('listening ports of tcp and tcp6 (state 0A only)', () => {
    const tcp = [
      '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode',
      '   0: 00000000:2329 00000000:0000 0A 00000000:00000000 00:00000000 00000000   998        0 1 1',
      '   1: 0100007F:2328 0100007F:9C40 01 00000000:00000000 00:00000000 00000000   998        0 2 1',
    ].join('\n');
    const tcp6 = '  sl  local_address\n   0: 00000000000000000000000000000000:1F90 00000000000000000000000000000000:0000 0A 0 0 0\n';
    expect([...parseListeningPorts(tcp)]).toEqual([9001]);
    expect([...parseListeningPorts(tcp6)]).toEqual([8080]);
  });

  test('lock holders, but not waiters', () => {
    const locks = parseLocks('1: FLOCK  ADVISORY  WRITE 6388 fe:00:2146829 0 EOF\n1: -> FLOCK  ADVISORY  WRITE 7000 fe:00:2146829 0 EOF\n2: POSIX  ADVISORY  WRITE 12 08:01:55 0 EOF\n');
    expect([...locks]).toEqual([[lockKey(0xfe, 0, 2146829), 6388], [lockKey(8, 1, 55), 12]]);
  });

  test('device numbers as glibc splits them', () => {
    expect(deviceNumbers(0xfe00)).toEqual({ major: 0xfe, minor: 0 });
    expect(deviceNumbers(0x801)).toEqual({ major: 8, minor: 1 });
    expect(deviceNumbers(0x10301)).toEqual({ major: 259, minor: 1 });
    expect(deviceNumbers(0x100345)).toEqual({ major: 3, minor: 0x145 });
  });

  test('process start from /proc/<pid>/stat (comm with spaces and parentheses) and btime', () => {
    const stat = '6388 (run sv) (x)) S 1 6388 6388 0 -1 4194560 90 0 0 0 0 0 0 0 20 0 1 0 12345 2490368 166 18446744073709551615';
    expect(parseProcessStart(stat, 1_700_000_000)).toBe(1_700_000_000_000 + 123_450);
    expect(parseBootTime('cpu 1 2 3\nbtime 1700000000\nprocesses 5\n')).toBe(1_700_000_000);
  });
});

describe('backup-syncd state file (versions 1 and 2)', () => {
  const id = 'a'.repeat(64);
  test('version 1: replicated keys, no replica information', () => {
    expect(parseSyncdStateFile(JSON.stringify({ version: 1, replicated: [`./snapshots/${id}`] }))).toEqual({ version: 1, replicated: new Set([`./snapshots/${id}`]), replicas: [] });
  });

  test('version 2: replica checks, tolerant of malformed entries and unknown fields', () => {
    const parsed = parseSyncdStateFile(JSON.stringify({
      version: 2,
      replicated: [],
      future: true,
      replicas: {
        'b2:x': { checkedAt: '2026-11-26T10:00:00Z', ok: false, missing: [id, 3], error: 'permission denied', lastSuccessAt: '2026-11-25T10:00:00Z', consecutiveFailures: 4 },
        '/srv/a': { checkedAt: 'yesterday', ok: true, missing: 'x', error: null, lastSuccessAt: null, consecutiveFailures: -1 },
        broken: 'no',
      },
    }));
    expect(parsed).toEqual({
      version: 2,
      replicated: new Set(),
      replicas: [
        { target: '/srv/a', checkedAtMs: undefined, ok: true, missing: [], error: undefined, lastSuccessAtMs: undefined, consecutiveFailures: 0 },
        { target: 'b2:x', checkedAtMs: Date.parse('2026-11-26T10:00:00Z'), ok: false, missing: [id], error: 'permission denied', lastSuccessAtMs: Date.parse('2026-11-25T10:00:00Z'), consecutiveFailures: 4 },
      ],
    });
  });

  test('what cannot be a state gives a reason that never quotes the file', () => {
    expect(parseSyncdStateFile('root:$y$j9T$secret:19000:0:99999:7:::')).toEqual({ problem: 'not JSON' });
    expect(parseSyncdStateFile('{"version":1,"replicated":[1]}')).toEqual({ problem: 'no "replicated" list of strings' });
    expect(parseSyncdStateFile('[1]')).toEqual({ problem: 'unknown version undefined' });
    expect(parseSyncdStateFile('{"version":3,"replicated":[]}')).toEqual({ problem: 'unknown version 3' });
    expect(parseSyncdStateFile('null')).toEqual({ problem: 'not a JSON object' });
  });

  test('pending: present and not replicated', () => {
    expect(pendingKeys(['./snapshots/b', './snapshots/a', './snapshots/c'], new Set(['./snapshots/a', './snapshots/gone']))).toEqual(['./snapshots/b', './snapshots/c']);
  });
});

describe("backup-syncd's log", () => {
  const log = [
    '2026-11-26_10:00:00.00000 info started host=a watch=/x replicated=0',
    '2026-11-26_10:01:00.00000 info replica-sync-start pid=1 added=1 removed=0',
    '2026-11-26_10:01:01.00000 info replicated added=1 removed=0 durationMs=900',
    '2026-11-26_11:00:00.00000 info replica-sync-start pid=2 added=1 removed=0',
    '2026-11-26_11:00:01.00000 info replica-sync-output stream=stderr line="ERROR : data: permission denied"',
    '2026-11-26_11:00:01.50000 info replica-sync-output stream=stdout line="replica_sync: copying /x to /r failed; backup-syncd will retry"',
    '2026-11-26_11:00:02.00000 warn replica-sync-failed exitCode=1 timedOut=false durationMs=1200',
    '2026-11-26_11:00:07.00000 warn retry-scheduled failures=1 delayMs=5000',
    'garbage line',
    '2026-11-26_11:00:08.00000 {"level":"warn","event":"replica-sync-failed","exitCode":1}',
  ].join('\n');

  test('svlogd -tt times, text and JSON lines', () => {
    expect(parseLogLine('2026-11-26_11:00:02.12345 warn replica-sync-failed exitCode=1 error="no such file"')).toEqual({
      atMs: Date.parse('2026-11-26T11:00:02.123Z'), level: 'warn', event: 'replica-sync-failed', fields: { exitCode: '1', error: 'no such file' },
    });
    expect(parseLogLine('garbage')).toBeUndefined();
  });

  test('last success, last failure with the output that explains it, failures since, starts', () => {
    const facts = readSyncdLog(log);
    expect(facts).toEqual({
      lastSuccessMs: Date.parse('2026-11-26T10:01:01Z'),
      lastFailureMs: Date.parse('2026-11-26T11:00:08Z'),
      failuresSinceSuccess: 2,
      lastError: { atMs: Date.parse('2026-11-26T11:00:08Z'), message: 'replica-sync-failed exitCode=1 | ERROR : data: permission denied | replica_sync: copying /x to /r failed; backup-syncd will retry' },
      starts: 1,
    });
    expect(readSyncdLog(`${log}\n2026-11-26_12:00:00.00000 info replicated added=1 removed=0`)).toMatchObject({ failuresSinceSuccess: 0, lastError: undefined });
  });

  test('terminal escapes written into the log by the replicator account reach no terminal', () => {
    const facts = readSyncdLog('2026-11-26_11:00:01.00000 info replica-sync-output stream=stdout line="\\u001b[2J\\u001b]0;owned\\u0007"\n2026-11-26_11:00:02.00000 warn replica-sync-failed exitCode=1');
    expect(facts.lastError!.message).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
    expect(printable('a\u001b[31mb\u202ec\n', 100)).toBe('a\ufffd[31mb\ufffdc\ufffd');
    expect(printable('x'.repeat(50), 10)).toBe(`${'x'.repeat(9)}…`);
    const long = readSyncdLog(`2026-11-26_11:00:01.00000 info replica-sync-output stream=stderr line="${'e'.repeat(1000)}"\n2026-11-26_11:00:01.00000 info replica-sync-output stream=stdout line="the verdict"\n2026-11-26_11:00:02.00000 warn replica-sync-failed exitCode=1`);
    expect(long.lastError!.message).toBe(`replica-sync-failed exitCode=1 | ${'e'.repeat(239)}… | the verdict`);
  });
});

describe('sizes and ages of hosts.ts', () => {
  test.each([
    ['500G', 500 * 1024 ** 3], ['1.5T', 1.5 * 1024 ** 4], ['750GiB', 750 * 1024 ** 3], ['2TB', 2e12], ['1024', 1024], ['10 MB', 10e6], ['1K', 1024], ['3B', 3],
  ])('%s is %d bytes', (text, bytes) => expect(parseByteSize(text)).toBe(bytes));

  test.each(['', '0', '0G', '-1G', '1g', '1 GB ', '1XB', '1Gi', '1e9', '99999999999999999P', 'G'])('%j is not a size', (text) => expect(parseByteSize(text)).toBeUndefined());

  test.each([['26h', 93_600], ['90m', 5400], ['8d', 691_200], ['3600s', 3600]])('%s is %d seconds', (text, seconds) => expect(parseAge(text)).toBe(seconds));

  test.each(['', '0h', '26', '1.5h', '1w', '26H', ' 26h', '9999999d'])('%j is not an age', (text) => expect(parseAge(text)).toBeUndefined());
});
