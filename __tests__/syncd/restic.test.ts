/**
 * The whole chain for real: restic backs up into a repository under the watched root, backup-syncd
 * notices the snapshot and runs the replica_sync generated from hosts.ts, whose rclone copy makes a
 * second repository that restic itself can read.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderReplicaSync, resolveConfig } from '../../lib';
import { describeWithTools } from '../support/tools';
import { killQuietly, spawnDaemon } from './daemon-process';
import { tempDir } from './support';

const env = { ...process.env, RESTIC_PASSWORD: 'test-only-password', RESTIC_CACHE_DIR: '' };

function restic(args: readonly string[]): string {
  const result = spawnSync('restic', ['--no-cache', ...args], { encoding: 'utf8', env });
  if (result.status !== 0) throw new Error(`restic ${args.join(' ')} failed: ${result.stderr}`);
  return result.stdout;
}

describeWithTools(['restic', 'rclone'], 'backup-syncd with restic and the generated rclone replica_sync', () => {
  test('a restic backup under the watched root reaches the rclone replica as a readable repository', async () => {
    const dir = tempDir('restic');
    let pid: number | undefined;
    try {
      const root = join(dir.path, 'host', 'storage', 'restic');
      const replica = join(dir.path, 'replica');
      const rcloneConfig = join(dir.path, 'rclone.conf');
      writeFileSync(rcloneConfig, '');
      const host = resolveConfig({
        server: { serverName: 'backup.example.com' },
        hosts: [{ name: 'ahost.example.com', port: 9001, replica: { rcloneTargets: [replica], rcloneConfig } }],
      }).hosts[0]!;
      const script = join(dir.path, 'replica_sync');
      writeFileSync(script, renderReplicaSync(host));
      chmodSync(script, 0o755);

      // The daemon starts before the repository exists, as on a new host.
      const daemon = spawnDaemon(['--host', host.name, '--watch', root, '--script', script, '--state', join(dir.path, 'state.json'), '--log-config', join(dir.path, 'none.conf'), '--settle', '200ms']);
      pid = daemon.child.pid;
      await daemon.waitForLine(/^warn watch-root-missing/);

      mkdirSync(join(dir.path, 'host', 'storage'), { recursive: true });
      restic(['init', '--repo', root]);
      const data = join(dir.path, 'data');
      mkdirSync(data);
      writeFileSync(join(data, 'file.txt'), 'backed up and replicated\n');
      const backup = JSON.parse(restic(['backup', '--repo', root, '--json', data]).trim().split('\n').at(-1)!) as { snapshot_id: string };

      await daemon.waitForLine(/^info replicated added=1 removed=0/, 30_000);
      expect(daemon.lines).toEqual(expect.arrayContaining([expect.stringMatching(/^info replica-sync-output stream=stdout line="replica_sync: copied /)]));
      const list = (repository: string) => JSON.parse(restic(['snapshots', '--repo', repository, '--json'])) as Array<{ id: string; paths: string[] }>;
      const snapshots = list(replica);
      expect(snapshots.map((s) => s.id)).toEqual(list(root).map((s) => s.id));
      // restic 0.14 reports the short id after a backup.
      expect(snapshots[0]!.id.startsWith(backup.snapshot_id)).toBe(true);
      expect(snapshots[0]!.paths).toEqual([data]);
      restic(['check', '--repo', replica]);
      daemon.child.kill('SIGTERM');
      expect((await daemon.exited).code).toBe(0);
    } finally {
      killQuietly(pid);
      dir.remove();
    }
  });
});
