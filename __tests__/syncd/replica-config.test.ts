import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, renderReplicaSync, resolveConfig, type ReplicaConfig } from '../../lib';
import { CLEAN, shellcheck, shellSyntax } from '../support/shell-lint';
import { describeWithTools } from '../support/tools';

const configWith = (replica: ReplicaConfig | undefined) => ({
  server: { serverName: 'backup.example.com' },
  hosts: [{ name: 'ahost.example.com', port: 9001, ...(replica === undefined ? {} : { replica }) }],
});

const host = (replica?: ReplicaConfig) => resolveConfig(configWith(replica)).hosts[0]!;

function problems(replica: unknown): string[] {
  try {
    resolveConfig(configWith(replica as ReplicaConfig));
    return [];
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return error.problems.map((problem) => `${problem.field}: ${problem.allowed}`);
  }
}

describe('replica settings in hosts.ts', () => {
  test('defaults: no targets, the rclone config in the host conf directory', () => {
    expect(host().replica).toEqual({ script: undefined, rcloneTargets: [], rcloneConfig: '/backups/systems/ahost.example.com/conf/rclone.conf', replaceLegacyScript: false });
  });

  test.each(['b2:bucket/ahost', 'remote:', 'my-s3.eu:bucket/path/to/repo', 'x_1:a@b+c', '/srv/replica/ahost'])('target %s is accepted', (target) => {
    expect(problems({ rcloneTargets: [target] })).toEqual([]);
  });

  test.each([
    'b2:bucket/$(reboot)', 'b2:bucket name', "b2:it's", 'b2:../up', 'b2:a/../b', '-b2:x', '--config=/x:y', 'noremote', 'relative/path',
    '/srv/../etc', 'b2:a\nb', 'b2:`id`', 'b2:a;b', 'b2:/abs', 'b2:.hidden',
  ])('target %j is refused with what is allowed', (target) => {
    expect(problems({ rcloneTargets: [target] })).toEqual([expect.stringMatching(/^hosts\[0\]\.replica\.rcloneTargets\[0\]: an rclone destination/)]);
  });

  test('a script and generated settings together, or an empty target list, are refused', () => {
    expect(problems({ script: '#!/bin/sh\n', rcloneTargets: ['b2:x'] })).toEqual([expect.stringMatching(/either "script".*not both/)]);
    expect(problems({ rcloneTargets: [] })).toEqual([expect.stringMatching(/at least one target/)]);
    expect(problems({ rcloneConfig: 'relative.conf', rcloneTargets: ['b2:x'] })).toEqual([expect.stringMatching(/rcloneConfig: an absolute/)]);
  });

  test('the operator script is used as given; the default only logs', () => {
    expect(renderReplicaSync(host({ script: '#!/bin/sh\nexit 0\n' }))).toBe('#!/bin/sh\nexit 0\n');
    expect(renderReplicaSync(host())).not.toContain('rclone');
  });

  test('the generated script copies (never syncs) to every target, objects before snapshots', () => {
    const script = renderReplicaSync(host({ rcloneTargets: ['b2:bucket/ahost', '/srv/replica'], rcloneConfig: '/etc/rclone/ahost.conf' }));
    expect(script).toContain('config=/etc/rclone/ahost.conf');
    expect(script).toContain('set -- b2:bucket/ahost /srv/replica\nfor target do');
    expect(script).not.toMatch(/rclone (sync|move|delete|purge)/);
    const copies = script.split('\n').find((line) => line.includes('rclone copy'))!;
    expect(copies.indexOf("--exclude 'snapshots/**'")).toBeGreaterThan(-1);
    expect(copies.indexOf("--exclude 'snapshots/**'")).toBeLessThan(copies.lastIndexOf('rclone copy'));
  });
});

describeWithTools(['shellcheck'], 'generated replica_sync scripts', () => {
  test.each([
    ['default', undefined],
    ['rclone', { rcloneTargets: ['b2:bucket/ahost', '/srv/replica'] }],
  ] as const)('the %s script passes sh -n and shellcheck', (_name, replica) => {
    const script = renderReplicaSync(host(replica));
    expect(shellSyntax(script)).toEqual(CLEAN);
    expect(shellcheck(script)).toEqual(CLEAN);
  });
});

describeWithTools(['sh'], 'the default replica_sync run for real', () => {
  test('logs the ids of both NUL-terminated lists, space-separated, with no stray separator', () => {
    const dir = mkdtempSync(join(tmpdir(), 'replica-sync-'));
    try {
      const [a, b, c] = ['a', 'b', 'c'].map((digit) => digit.repeat(64));
      writeFileSync(join(dir, 'added'), `${a}\0${b}\0`);
      writeFileSync(join(dir, 'removed'), `${c}\0`);
      writeFileSync(join(dir, 'replica_sync'), renderReplicaSync(host()), { mode: 0o755 });
      const result = spawnSync(join(dir, 'replica_sync'), [join(dir, 'added'), join(dir, 'removed')], { encoding: 'utf8', env: { ...process.env, BACKUP_HOST: 'ahost.example.com' } });
      expect(result.stdout).toBe(`replica_sync: no replica configured for ahost.example.com; added: ${a} ${b}; removed: ${c}\n`);
      expect(result.status).toBe(0);
      writeFileSync(join(dir, 'removed'), '');
      const none = spawnSync(join(dir, 'replica_sync'), [join(dir, 'added'), join(dir, 'removed')], { encoding: 'utf8' });
      expect(none.stdout).toBe(`replica_sync: no replica configured for this host; added: ${a} ${b}; removed: none\n`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
