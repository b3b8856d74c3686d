/**
 * The generated replica_sync run by hand on a repository of files, as backup-syncd runs it: what
 * the storage account (who writes the repository) can plant there must not reach a replica.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderReplicaSync, resolveConfig, storageBackend, storageContext } from '../../lib';
import { describeWithTools } from '../support/tools';
import { snapshotId, tempDir } from './support';

describeWithTools(['rclone'], 'the generated replica_sync on a planted repository', () => {
  test('links, staging-directory look-alikes and odd names in the repository are not copied; the report says ok', () => {
    const dir = tempDir('planted');
    try {
      const replica = join(dir.path, 'replica');
      const config = resolveConfig({
        server: { serverName: 'localhost', root: join(dir.path, 'root') },
        hosts: [{ name: 'ahost.example.com', port: 9001, storage: 'rclone', replica: { rcloneTargets: [replica], rcloneConfig: join(dir.path, 'rclone.conf') } }],
      });
      writeFileSync(join(dir.path, 'rclone.conf'), '');
      const context = storageContext(config.server, config.hosts[0]!);
      const repository = storageBackend('rclone').watchRoot(context);
      const [pack, index, snapshot, key] = ['pack', 'index', 'snapshot', 'key'].map(snapshotId);
      for (const sub of ['data/ab', 'index', 'snapshots', 'keys', '.replica_sync-incoming/snapshots']) mkdirSync(join(repository, sub), { recursive: true });
      writeFileSync(join(repository, 'config'), 'config');
      writeFileSync(join(repository, 'data', 'ab', pack!), 'pack');
      writeFileSync(join(repository, 'index', index!), 'index');
      writeFileSync(join(repository, 'snapshots', snapshot!), 'snapshot');
      writeFileSync(join(repository, 'keys', key!), 'key');
      // The attacks: a link to a secret of the replicator, a file posing as a staged snapshot, a
      // snapshot-looking name that is not restic's.
      writeFileSync(join(dir.path, 'secret'), 'the replicator alone reads this');
      symlinkSync(join(dir.path, 'secret'), join(repository, 'data', 'ab', snapshotId('link')));
      symlinkSync(join(dir.path, 'secret'), join(repository, 'snapshots', snapshotId('linked snapshot')));
      writeFileSync(join(repository, '.replica_sync-incoming', 'snapshots', snapshotId('planted')), 'planted');
      writeFileSync(join(repository, 'snapshots', `${snapshotId('odd')}.tmp`), 'odd');

      const script = join(dir.path, 'replica_sync');
      writeFileSync(script, renderReplicaSync(context), { mode: 0o755 });
      writeFileSync(join(dir.path, 'added'), `${snapshot}\0`);
      writeFileSync(join(dir.path, 'removed'), '');
      const report = join(dir.path, 'report');
      writeFileSync(report, '');
      const run = spawnSync(script, [join(dir.path, 'added'), join(dir.path, 'removed')], {
        encoding: 'utf8',
        env: { ...process.env, BACKUP_HOST: 'ahost.example.com', BACKUP_SYNCD_ROOT: repository, BACKUP_SYNCD_REPORT: report },
      });
      expect([run.status, run.stdout]).toEqual([0, expect.stringContaining(`replica_sync: copied ${repository} to ${replica}; 1 snapshots verified there`)]);
      expect(readFileSync(report, 'utf8')).toBe(`{"target":"${replica}","ok":true,"missing":[],"error":null}\n`);

      const files = (readdirSync(replica, { recursive: true, withFileTypes: true }) as { isFile(): boolean; parentPath: string; name: string }[])
        .filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name).slice(replica.length + 1)).sort();
      expect(files).toEqual(['config', `data/ab/${pack}`, `index/${index}`, `keys/${key}`, `snapshots/${snapshot}`].sort());
      expect(existsSync(join(replica, '.replica_sync-incoming', 'snapshots', snapshotId('planted')))).toBe(false);
    } finally {
      dir.remove();
    }
  });
});
