/**
 * The plan on servers of the original script (issue 11): each problem with its exact message and
 * exit code, on real trees (hosts laid out exactly as the original did, by this project, by hand).
 */
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { diffPlan, parseProcNetTcp, readListeners, renderPlanText, resolveConfig, scanDisk, type HostConfig, type Plan, type ServerConfig } from '../../lib';
import { ConfigError } from '../../lib/config/problems';
import { makeOriginalHost, makeProjectHost, makeRoot, removeRoot, SERVER_NAME, configFor, testWithProjectHosts } from './disk-fixtures';

let root: string;
beforeEach(() => {
  root = makeRoot();
});
afterEach(() => removeRoot(root));

function planFor(hosts: readonly HostConfig[], server: Partial<ServerConfig> = {}, options: { listeners?: boolean } = {}): Plan {
  const config = resolveConfig({ server: { serverName: SERVER_NAME, root, ...server }, hosts });
  return diffPlan(config, scanDisk(root, options.listeners ? { listeners: readListeners } : {}));
}

const messages = (plan: Plan) => plan.conflicts.map(({ name, message }) => `${name}: ${message}`);
const row = (plan: Plan, name: string) => plan.rows.find((candidate) => candidate.name === name)!;

describe('4. a hand-written replica_sync', () => {
  test('is a conflict (exit 1) until hosts.ts says how the host is replicated', () => {
    makeOriginalHost(root, 'old.test', 9100);
    const plan = planFor([{ name: 'old.test', port: 9100 }]);
    expect(messages(plan)).toEqual([
      'old.test: conf/replica_sync was written by hand: the deploy would replace it with the one hosts.ts describes (now: replicate nothing) and keep it, not run, as conf/replica_sync.legacy-<sha256 prefix>; say how old.test is replicated: its text as replica.script, replica.rcloneTargets, or replica.replaceLegacyScript: true',
    ]);
    expect(plan.exitCode).toBe(1);
  });

  test.each([
    ['replaceLegacyScript', { replaceLegacyScript: true }],
    ['its text as replica.script', { script: '#!/bin/sh\nexit 0\n' }],
    ['rcloneTargets', { rcloneTargets: ['offsite:old'] }],
  ] as const)('%s settles it (exit 2); the note says the old script is kept', (_, replica) => {
    makeOriginalHost(root, 'old.test', 9100);
    const plan = planFor([{ name: 'old.test', port: 9100, replica }]);
    expect(plan.conflicts).toEqual([]);
    expect(row(plan, 'old.test').notes).toContain('the hand-written conf/replica_sync is kept, not run, as conf/replica_sync.legacy-<sha256 prefix>');
    expect(plan.exitCode).toBe(2);
  });

  test('a replica_sync this project generated is not hand-written', () => {
    makeOriginalHost(root, 'old.test', 9100);
    writeFileSync(`${root}/old.test/conf/replica_sync`, '#!/bin/sh\n# Generated from hosts.ts by restic-backup-server; local edits are overwritten.\n');
    expect(planFor([{ name: 'old.test', port: 9100 }]).exitCode).toBe(2);
  });
});

describe('5. a storage change of a host that holds data', () => {
  test('a legacy minio host listed as rclone: a conflict (exit 1) naming the data that stops being served', () => {
    makeOriginalHost(root, 'old.test', 9100);
    const plan = planFor([{ name: 'old.test', port: 9100, storage: 'rclone', replica: { replaceLegacyScript: true } }]);
    expect(messages(plan)).toEqual([
      `old.test: storage changes from minio to rclone, but ${root}/old.test/minio holds data: it stays on disk and stops being served, and rclone starts with an empty repository in ${root}/old.test/rclone and new client credentials; migrate the data first, or acknowledge it with acknowledgeStorageChange: 'minio' on old.test in hosts.ts`,
    ]);
    expect(row(plan, 'old.test').notes).toContain('its minio credentials and data stay on disk, unused by rclone');
    expect(row(plan, 'old.test').notes).not.toContain('keeps its credentials and data');
    expect(plan.exitCode).toBe(1);
  });

  test('acknowledged: exit 2, and the note still says so', () => {
    makeOriginalHost(root, 'old.test', 9100);
    const plan = planFor([{ name: 'old.test', port: 9100, storage: 'rclone', acknowledgeStorageChange: 'minio', replica: { replaceLegacyScript: true } }]);
    expect(plan.conflicts).toEqual([]);
    expect(row(plan, 'old.test').notes).toContain('storage change acknowledged: the data in old.test/minio stays on disk, no longer served');
    expect(plan.exitCode).toBe(2);
  });

  testWithProjectHosts('a project host too; one without data changes freely', () => {
    makeProjectHost(configFor(root, [{ name: 'a.test', port: 9001 }, { name: 'b.test', port: 9002 }]), 'a.test');
    makeProjectHost(configFor(root, [{ name: 'a.test', port: 9001 }, { name: 'b.test', port: 9002 }]), 'b.test');
    mkdirSync(`${root}/a.test/minio/backups/restic`, { recursive: true });
    const plan = planFor([{ name: 'a.test', port: 9001, storage: 'rest-server' }, { name: 'b.test', port: 9002, storage: 'rest-server' }]);
    expect(plan.conflicts.map(({ name }) => name)).toEqual(['a.test']);
    expect(plan.conflicts[0]!.message).toMatch(/^storage changes from minio to rest-server, but .*\/a\.test\/minio holds data/);
  });
});

describe('6. port clashes', () => {
  test('with a directory made by hand: its run scripts are read', () => {
    mkdirSync(`${root}/handmade/conf/runsvs/rest`, { recursive: true });
    writeFileSync(`${root}/handmade/conf/runsvs/rest/run`, '#!/bin/sh\nexec rest-server --path /srv/x --listen :9300\n');
    const plan = planFor([{ name: 'new.test', port: 9300 }]);
    expect(messages(plan)).toEqual([`new.test: port 9300 is used on disk by ${root}/handmade, made by hand (a run script below its conf/runsvs/ listens on it)`]);
    expect(plan.exitCode).toBe(1);
  });

  test('a link or an oversized run script of a hand-made directory is not read', () => {
    mkdirSync(`${root}/handmade/conf/runsvs/a`, { recursive: true });
    mkdirSync(`${root}/handmade/conf/runsvs/b`, { recursive: true });
    writeFileSync(`${root}/secret`, '--listen :9300\n');
    symlinkSync(`${root}/secret`, `${root}/handmade/conf/runsvs/a/run`);
    writeFileSync(`${root}/handmade/conf/runsvs/b/run`, `--listen :9301\n${'#'.repeat(70_000)}`);
    const plan = planFor([{ name: 'new.test', port: 9300 }, { name: 'other.test', port: 9301 }]);
    expect(plan.conflicts).toEqual([]);
    expect(plan.warnings).toContain(`${root}/handmade/conf/runsvs/a/run is a symbolic link; not followed`);
    expect(plan.warnings).toContain(`${root}/handmade/conf/runsvs/b/run has 70015 bytes, more than the 65536 read`);
  });

  describe('with a live listener', () => {
    let server: Server;
    let port: number;
    beforeEach(async () => {
      server = createServer();
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.address() as { port: number }).port;
    });
    afterEach(() => new Promise((resolve) => server.close(resolve)));

    test('is a conflict naming the process', () => {
      const command = readFileSync('/proc/self/comm', 'utf8').trim();
      const plan = planFor([{ name: 'new.test', port }], {}, { listeners: true });
      expect(messages(plan)).toEqual([`new.test: port ${port} is in use now by pid ${process.pid} (${command}), not by a host of this server; choose another port or stop that process`]);
      expect(plan.exitCode).toBe(1);
    });

    test('the port of the host\'s own service on disk is not', () => {
      makeOriginalHost(root, 'old.test', port);
      const plan = planFor([{ name: 'old.test', port, replica: { replaceLegacyScript: true } }], {}, { listeners: true });
      expect(plan.conflicts).toEqual([]);
    });
  });

  test('/proc/net/tcp: listening sockets only, port in hex', () => {
    const text = [
      '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode',
      '   0: 00000000:2329 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 12345 1 0000000000000000 100 0 0 10 0',
      '   1: 0100007F:A1B2 0100007F:2329 01 00000000:00000000 00:00000000 00000000     0        0 23456 1 0000000000000000 20 4 30 10 -1',
    ].join('\n');
    expect(parseProcNetTcp(text)).toEqual([{ port: 9001, inode: 12345 }]);
  });
});

describe('7. legacy names with upper case', () => {
  test('the plan gives the exact rename (exit 2 while it stays)', () => {
    makeOriginalHost(root, 'AHost.example.com', 9100);
    const plan = planFor([]);
    const advice = `AHost.example.com cannot be named in hosts.ts, whose host names are lower case: to adopt it, run \`rm ${root}/conf/runit/AHost.example.com && mv ${root}/AHost.example.com ${root}/ahost.example.com\`, then list ahost.example.com in hosts.ts (the deploy stops its old processes); or list "AHost.example.com" in server.leaveAlone`;
    expect(plan.warnings).toContain(advice);
    expect(row(plan, 'AHost.example.com')).toMatchObject({ action: 'removed' });
    expect(row(plan, 'AHost.example.com').notes).toContain(advice);
    expect(plan.exitCode).toBe(2);
  });

  test('hosts.ts cannot name it; server.leaveAlone can', () => {
    makeOriginalHost(root, 'AHost.example.com', 9100);
    expect(() => planFor([{ name: 'AHost.example.com', port: 9100 }])).toThrow(ConfigError);
    expect(planFor([], { leaveAlone: ['AHost.example.com'] }).exitCode).toBe(0);
  });
});

describe('8. settling', () => {
  testWithProjectHosts('a legacy host left out on purpose: listed in server.leaveAlone, the plan exits 0', () => {
    makeProjectHost(configFor(root, [{ name: 'a.test', port: 9001 }]), 'a.test');
    makeOriginalHost(root, 'old.test', 9100);
    mkdirSync(`${root}/handmade`);
    expect(planFor([{ name: 'a.test', port: 9001 }]).exitCode).toBe(2);
    const plan = planFor([{ name: 'a.test', port: 9001 }], { leaveAlone: ['old.test', 'handmade'] });
    expect(plan.rows.map(({ name, action }) => `${name}:${action}`)).toEqual(['a.test:unchanged', 'handmade:left-alone', 'old.test:left-alone']);
    expect(plan.warnings).toEqual([]);
    expect(plan.exitCode).toBe(0);
    expect(renderPlanText(plan)).toContain('  = old.test  left-alone  9100  minio    yes      yes\n        left alone (server.leaveAlone): the deploy never touches it\n');
    expect(renderPlanText(plan)).toContain('No changes: the disk matches hosts.ts (1 host; 2 left alone).');
  });

  test('its port still cannot be taken; a name both managed and left alone is refused; a stale entry is a warning', () => {
    makeOriginalHost(root, 'old.test', 9100);
    expect(messages(planFor([{ name: 'new.test', port: 9100 }], { leaveAlone: ['old.test'] }))).toEqual([
      'new.test: port 9100 is used on disk by old.test, which is not in hosts.ts (its run script keeps the port)',
    ]);
    expect(() => planFor([{ name: 'old.test', port: 9100 }], { leaveAlone: ['old.test'] })).toThrow(/server\.leaveAlone\[0\].*a directory that is not also a host of hosts\.ts/s);
    expect(planFor([], { leaveAlone: ['old.test', 'gone.test'] }).warnings).toEqual([`server.leaveAlone names gone.test, which is not in ${root}: remove it from the list`]);
  });
});
