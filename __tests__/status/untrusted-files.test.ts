/**
 * Status runs as root over files the service accounts write. Each attack as a test: the state file
 * or log replaced by a link to a secret, a FIFO (which would hang a naive reader), a huge file; a
 * snapshot entry that is a link out of the repository. Nothing is followed, nothing hangs, nothing
 * of the target leaks into the report.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveConfig, hostPaths } from '../../lib';
import { collectStatus } from '../../lib/status/collect';
import { readUntrusted } from '../../lib/security/untrusted-file';
import { readRepositories } from '../../lib/status/repository';
import { MAX_STATE_BYTES } from '../../lib/status/syncd-state-file';
import { testWith } from '../support/tools';

const SECRET = 'root:$y$j9T$TOPSECRETHASH:19000:0:99999:7:::';
let base: string;
let secret: string;

beforeEach(() => {
  base = mkdtempSync(join(tmpdir(), 'status-untrusted-'));
  secret = join(base, 'shadow');
  writeFileSync(secret, `${SECRET}\n`, { mode: 0o600 });
});
afterEach(() => rmSync(base, { recursive: true, force: true }));

testWith({ tools: ['mkfifo'] }, 'a link is not followed, a FIFO does not block, a directory is no file, a big file is refused (state) or tailed (log)', async () => {
  symlinkSync(secret, join(base, 'link'));
  execFileSync('mkfifo', [join(base, 'fifo')]);
  mkdirSync(join(base, 'dir'));
  writeFileSync(join(base, 'big'), 'x');
  truncateSync(join(base, 'big'), 2 * 1024 * 1024);
  writeFileSync(join(base, 'log'), `${'a'.repeat(100)}\nlast line\n`);
  expect(await readUntrusted(join(base, 'link'), { maxBytes: 1000 })).toEqual({ kind: 'not-a-file' });
  expect(await readUntrusted(join(base, 'fifo'), { maxBytes: 1000 })).toEqual({ kind: 'not-a-file' });
  expect(await readUntrusted(join(base, 'dir'), { maxBytes: 1000 })).toEqual({ kind: 'not-a-file' });
  expect(await readUntrusted(join(base, 'missing'), { maxBytes: 1000 })).toEqual({ kind: 'absent' });
  expect(await readUntrusted(join(base, 'big'), { maxBytes: 1024 * 1024 })).toEqual({ kind: 'unreadable', code: 'EFBIG' });
  expect(await readUntrusted(join(base, 'log'), { maxBytes: 12, tail: true })).toMatchObject({ kind: 'file', text: 'a\nlast line\n', truncated: true });
});

testWith({ tools: ['mkfifo'] }, 'a whole status over a host whose state file links to a secret and whose log is a FIFO: reported, not read', async () => {
  const root = join(base, 'systems');
  const config = resolveConfig({ server: { serverName: 'backup.test', root }, hosts: [{ name: 'a.test', port: 9001, storage: 'rclone' }] });
  const paths = hostPaths(root, 'a.test', 'rclone');
  mkdirSync(join(paths.storageData, 'a.test', 'snapshots'), { recursive: true });
  writeFileSync(join(paths.storageData, 'a.test', 'config'), 'c');
  mkdirSync(paths.syncdStateDir, { recursive: true });
  symlinkSync(secret, paths.syncdState);
  mkdirSync(join(paths.logs, 'backup-syncd'), { recursive: true });
  execFileSync('mkfifo', [join(paths.logs, 'backup-syncd', 'current')]);

  const report = await collectStatus(config, { system: { listeningPorts: new Set(), locks: new Map() } });
  const text = JSON.stringify(report);
  expect(text).not.toContain('TOPSECRET');
  expect(report.hosts[0]!.findings.map((finding) => finding.code)).toEqual(expect.arrayContaining(['state-unreadable', 'unreadable']));
  expect(report.hosts[0]!.findings.find((finding) => finding.code === 'state-unreadable')!.message).toBe(`${paths.syncdState} is not a regular file (not read)`);
});

test('a state file just over the cap is refused, not loaded', async () => {
  const file = join(base, 'state.json');
  writeFileSync(file, '{}');
  truncateSync(file, MAX_STATE_BYTES + 1);
  expect(await readUntrusted(file, { maxBytes: MAX_STATE_BYTES })).toEqual({ kind: 'unreadable', code: 'EFBIG' });
});

test('repositories: snapshot files and minio objects count with their mtime; links, temporary names and incomplete objects do not; sizes follow no link', async () => {
  const root = join(base, 'repo');
  const snapshots = join(root, 'bucket', 'prefix', 'snapshots');
  mkdirSync(snapshots, { recursive: true });
  writeFileSync(join(root, 'bucket', 'prefix', 'config'), 'x'.repeat(10));
  const a = 'a'.repeat(64);
  const b = 'b'.repeat(64);
  writeFileSync(join(snapshots, a), 'y'.repeat(100));
  utimesSync(join(snapshots, a), 1_700_000_000, 1_700_000_000);
  mkdirSync(join(snapshots, b));
  writeFileSync(join(snapshots, b, 'xl.meta'), 'z'.repeat(5));
  utimesSync(join(snapshots, b, 'xl.meta'), 1_700_000_100, 1_700_000_100);
  mkdirSync(join(snapshots, 'c'.repeat(64)));
  symlinkSync(secret, join(snapshots, 'd'.repeat(64)));
  writeFileSync(join(snapshots, `${'e'.repeat(64)}.tmp`), 'tmp');
  symlinkSync(base, join(root, 'bucket', 'loop'));

  const facts = await readRepositories(root);
  expect([...facts.snapshots].sort()).toEqual([[`bucket/prefix/snapshots/${a}`, 1_700_000_000_000], [`bucket/prefix/snapshots/${b}`, 1_700_000_100_000]]);
  expect(facts.newestSnapshotMs).toBe(1_700_000_100_000);
  expect(facts.bytes).toBe(10 + 100 + 5 + 3);
  expect(await readRepositories(join(base, 'nothing'))).toMatchObject({ exists: false, bytes: 0, snapshots: new Map() });
});

test('a repository root or directory that is a link is not walked (root would list and size its target)', async () => {
  const elsewhere = join(base, 'elsewhere');
  mkdirSync(join(elsewhere, 'snapshots'), { recursive: true });
  writeFileSync(join(elsewhere, 'config'), 'c');
  writeFileSync(join(elsewhere, 'snapshots', 'f'.repeat(64)), 'x'.repeat(1000));
  symlinkSync(elsewhere, join(base, 'linked-root'));
  expect(await readRepositories(join(base, 'linked-root'))).toMatchObject({ exists: false, bytes: 0, snapshots: new Map(), unreadable: [`${join(base, 'linked-root')} (a link, not followed)`] });

  const root = join(base, 'repo');
  mkdirSync(join(root, 'snapshots'), { recursive: true });
  writeFileSync(join(root, 'config'), 'c');
  symlinkSync(elsewhere, join(root, 'data'));
  expect(await readRepositories(root)).toMatchObject({ exists: true, bytes: 1, snapshots: new Map() });
});
