import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, renderReplicaSync, resolveConfig, storageContext, type ReplicaConfig } from '../../lib';
import { CLEAN, shellcheck, shellSyntax } from '../support/shell-lint';
import { describeWithTools } from '../support/tools';

const configWith = (replica: ReplicaConfig | undefined) => ({
  server: { serverName: 'backup.example.com' },
  hosts: [{ name: 'ahost.example.com', port: 9001, ...(replica === undefined ? {} : { replica }) }],
});

const resolved = (replica?: ReplicaConfig) => resolveConfig(configWith(replica));
const host = (replica?: ReplicaConfig) => resolved(replica).hosts[0]!;
const context = (replica?: ReplicaConfig) => {
  const config = resolved(replica);
  return storageContext(config.server, config.hosts[0]!);
};

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
    expect(renderReplicaSync(context({ script: '#!/bin/sh\nexit 0\n' }))).toBe('#!/bin/sh\nexit 0\n');
    expect(renderReplicaSync(context())).not.toContain('rclone');
  });

  test('the generated script copies (never syncs) to every target: listings first, then objects, index, snapshots, verification', () => {
    const script = renderReplicaSync(context({ rcloneTargets: ['b2:bucket/ahost', '/srv/replica'], rcloneConfig: '/etc/rclone/ahost.conf' }));
    expect(script).toContain('config=/etc/rclone/ahost.conf');
    expect(script).toContain('set -- b2:bucket/ahost /srv/replica\n');
    expect(script).not.toMatch(/\b(sync|delete|deletefile|purge|rmdirs?|cleanup)\b "/);
    // The only move renames staged files of this run into place.
    expect(script.match(/rc move .*/g)).toEqual(['rc move "$(at "$stage" "$2")" "$(at "$1" "$2")"']);
    expect(script).toContain('stage=$(at "$target" .replica_sync-incoming)');
    const order = ['names "$(at "$source" snapshots)"', 'names "$(at "$source" index)"', 'replicate "$target"'].map((text) => script.indexOf(text));
    expect(order.every((position, i) => position > 0 && (i === 0 || position > order[i - 1]!))).toBe(true);
    const body = script.slice(script.indexOf('replicate() {'));
    const steps = ['rc copy --exclude /snapshots/** --exclude /index/** --exclude /locks/**', 'rc copy --no-traverse --files-from-raw "$work/source" --compare-dest "$target" "$source" "$stage"', 'place "$target" index', 'place "$target" snapshots', 'comm -23 "$work/snapshots" "$work/replica"']
      .map((text) => body.replace(/'/g, '').indexOf(text));
    expect(steps.every((position, i) => position > 0 && (i === 0 || position > steps[i - 1]!))).toBe(true);
  });

  test('a minio host is read through its S3 API, verified by serverName against the host certificate; its keys stay in the environment', () => {
    const script = renderReplicaSync(context({ rcloneTargets: ['/srv/replica'] }));
    expect(script).toContain("credentials=/backups/systems/ahost.example.com/conf/minio/config.json");
    expect(script).toContain("RCLONE_CONFIG_BACKUPSERVERSTORAGE_ENDPOINT=https://backup.example.com:9001");
    expect(script).toContain("source=backupserverstorage:backups/restic");
    expect(script).toContain('certificate=/backups/systems/conf/public.crt');
    expect(script).toContain('rc() { rclone --config "$config" --ca-cert "$work/ca.pem" --fast-list "$@"; }');
    expect(script).not.toMatch(/no-check-certificate|insecure/);
    // The keys reach rclone only as exported variables, never as words of a command.
    expect(script.split('\n').filter((line) => /\$(access|secret)\b/.test(line))).toEqual([
      'if [ -z "$access" ] || [ -z "$secret" ]; then',
      'RCLONE_CONFIG_BACKUPSERVERSTORAGE_ACCESS_KEY_ID=$access',
      'RCLONE_CONFIG_BACKUPSERVERSTORAGE_SECRET_ACCESS_KEY=$secret',
    ]);
  });

  test('rest-server and rclone hosts are copied from the repository directory itself', () => {
    for (const storage of ['rest-server', 'rclone'] as const) {
      const config = resolveConfig({ server: { serverName: 'backup.example.com' }, hosts: [{ name: 'ahost.example.com', port: 9001, storage, replica: { rcloneTargets: ['/srv/replica'] } }] });
      const script = renderReplicaSync(storageContext(config.server, config.hosts[0]!));
      expect(script).toContain(`source=/backups/systems/ahost.example.com/${storage}/ahost.example.com\n`);
      expect(script).not.toContain('RCLONE_CONFIG_');
    }
  });
});

describeWithTools(['shellcheck'], 'generated replica_sync scripts', () => {
  test.each([
    ['default', undefined],
    ['rclone (minio)', { rcloneTargets: ['b2:bucket/ahost', '/srv/replica'] }],
    ['rclone (rest-server)', { rcloneTargets: ['b2:', '/srv/replica'] }],
  ] as const)('the %s script passes sh -n and shellcheck', (name, replica) => {
    const config = resolveConfig({ server: { serverName: 'backup.example.com' }, hosts: [{ name: 'ahost.example.com', port: 9001, storage: name.includes('rest') ? 'rest-server' : 'minio', ...(replica === undefined ? {} : { replica }) }] });
    const script = renderReplicaSync(storageContext(config.server, config.hosts[0]!));
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
      writeFileSync(join(dir, 'replica_sync'), renderReplicaSync(context()), { mode: 0o755 });
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
