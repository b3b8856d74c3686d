/**
 * The plan against a disk prepared by someone hostile (any account that can write below the root):
 * markers that are a FIFO, a link to /dev/zero, a character device, a socket, a 400 MB sparse file;
 * a conf directory that is a link; an original run script linked to /dev/zero. The plan finishes
 * (run in a child with a time limit), keeps its memory near that of a plan of a clean tree measured
 * in the same run, reads none of them and reports each as a conflict naming it.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import type { HostConfig } from '../../lib/config/types';
import { describeAsRootWithTools } from '../support/tools';
import { makeOriginalHost, makeRoot, removeRoot } from './disk-fixtures';
import { planChild, writeHostsFile } from './plan-child';

const CASES: readonly { readonly name: string; readonly make: (conf: string) => void; readonly reason: string }[] = [
  { name: 'fifo.test', make: (conf) => execFileSync('mkfifo', [`${conf}/backup-server.json`]), reason: 'its conf/backup-server.json is a FIFO, not a regular file: not read' },
  { name: 'zero.test', make: (conf) => symlinkSync('/dev/zero', `${conf}/backup-server.json`), reason: 'its conf/backup-server.json is a symbolic link, not a regular file: not read' },
  { name: 'device.test', make: (conf) => execFileSync('mknod', [`${conf}/backup-server.json`, 'c', '1', '5']), reason: 'its conf/backup-server.json is a character device, not a regular file: not read' },
  {
    name: 'socket.test',
    make: (conf) => execFileSync('python3', ['-c', 'import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])', `${conf}/backup-server.json`]),
    reason: 'its conf/backup-server.json is a socket, not a regular file: not read',
  },
  {
    name: 'sparse.test',
    make: (conf) => execFileSync('truncate', ['-s', '400M', `${conf}/backup-server.json`]),
    reason: 'its conf/backup-server.json has 419430400 bytes, more than the 65536 read at most: not read',
  },
];

describeAsRootWithTools(['mkfifo', 'mknod', 'truncate', 'python3'], 'the plan against hostile files below the root', () => {
  let root = '';
  beforeAll(() => {
    root = makeRoot();
  });
  afterAll(() => removeRoot(root));

  test('each is reported as a conflict, none is read, and the plan returns with its memory bounded', () => {
    const hosts: HostConfig[] = CASES.map((entry, index) => ({ name: entry.name, port: 9101 + index }));
    const clean = planChild(root, ['--config', writeHostsFile(root, hosts)]);
    expect(clean.status).toBe(2);

    for (const entry of CASES) {
      mkdirSync(`${root}/${entry.name}/conf`, { recursive: true });
      entry.make(`${root}/${entry.name}/conf`);
    }
    // A conf directory that is a link (to a good marker: still not followed).
    mkdirSync(`${root}/elsewhere/conf`, { recursive: true });
    writeFileSync(`${root}/elsewhere/conf/backup-server.json`, JSON.stringify({ format: 1, name: 'linkedconf.test', port: 9201, storage: 'minio' }));
    mkdirSync(`${root}/linkedconf.test`);
    symlinkSync(`${root}/elsewhere/conf`, `${root}/linkedconf.test/conf`);
    // The original script's run script, linked to /dev/zero.
    makeOriginalHost(root, 'original.test', 9202, { bare: true, enabled: false });
    execFileSync('ln', ['-sfn', '/dev/zero', `${root}/original.test/conf/runsvs/minio/run`]);

    const all: HostConfig[] = [...hosts, { name: 'linkedconf.test', port: 9201 }, { name: 'original.test', port: 9202 }];
    const run = planChild(root, ['--config', writeHostsFile(root, all)]);
    expect(run.signal).toBeNull(); // not killed at the time limit: nothing blocked
    expect(run.stderr).toBe('');
    expect(run.status).toBe(1);
    const lines = run.stdout.split('\n');
    expect(lines.filter((line) => / conflict +\d+ /.test(line))).toHaveLength(all.length);
    const conflicts = lines.filter((line) => /^ {2}! \S+: /.test(line));
    expect(conflicts).toEqual([
      ...CASES.map((entry) => `  ! ${entry.name}: ${root}/${entry.name} is ${entry.reason}: move it away or fix it by hand`),
      `  ! linkedconf.test: ${root}/linkedconf.test is its conf is a symbolic link, not a directory: not followed: move it away or fix it by hand`,
      `  ! original.test: ${root}/original.test is its conf/runsvs/minio/run is a symbolic link, not a regular file: not read: move it away or fix it by hand`,
    ].sort((a, b) => (a < b ? -1 : 1)));
    // Reading the 400 MB file or /dev/zero would need hundreds of MB more than the clean plan.
    console.log(`peak RSS: hostile tree ${run.maxRssKib} KiB, clean tree ${clean.maxRssKib} KiB (same run)`);
    expect(run.maxRssKib).toBeLessThan(clean.maxRssKib + 64 * 1024);
  });
});
