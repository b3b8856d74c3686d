/** bin/backup-syncd as installed on a server: through a symlink, as the unprivileged service user. */
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeAsRootWithTools } from '../support/tools';
import { killQuietly, LAUNCHER, spawnDaemon } from './daemon-process';
import { snapshotId, tempDir, writeFileSnapshot } from './support';

const idOf = (flag: '-u' | '-g'): number => Number(spawnSync('id', [flag, 'backups'], { encoding: 'utf8' }).stdout.trim());

describeAsRootWithTools(['chpst'], 'backup-syncd launcher', () => {
  test('runs through a symlink as the backups user, replicates, and stops on SIGTERM', async () => {
    const dir = tempDir('launcher');
    let pid: number | undefined;
    try {
      chmodSync(dir.path, 0o755);
      const link = join(dir.path, 'backup-syncd');
      symlinkSync(LAUNCHER, link);
      const host = join(dir.path, 'host');
      mkdirSync(join(host, 'state'), { recursive: true });
      const script = join(host, 'replica_sync');
      writeFileSync(script, `#!/bin/sh\n{ id -un; tr '\\000' '\\n' < "$1"; } > '${host}/ran-as'\n`);
      chmodSync(script, 0o755);
      writeFileSnapshot(join(host, 'root'), snapshotId('as-backups'));
      for (const path of [host, join(host, 'state')]) chownSync(path, idOf('-u'), idOf('-g'));

      const daemon = spawnDaemon(
        ['--host', 'h', '--watch', join(host, 'root'), '--script', script, '--state', join(host, 'state', 'state.json'), '--log-config', join(host, 'none.conf'), '--settle', '0'],
        ['chpst', '-u', 'backups:backups', link],
      );
      pid = daemon.child.pid;
      await daemon.waitForLine(/^info replicated added=1/);
      expect(readFileSync(join(host, 'ran-as'), 'utf8')).toBe(`backups\n${snapshotId('as-backups')}\n`);
      daemon.child.kill('SIGTERM');
      expect((await daemon.exited).code).toBe(0);
    } finally {
      killQuietly(pid);
      dir.remove();
    }
  });
});
