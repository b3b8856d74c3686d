/** bin/backup-syncd as installed on a server: through a symlink, as the unprivileged service user. */
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, copyFileSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeAsRootWithServiceAccount } from '../support/tools';
import { killQuietly, LAUNCHER, spawnDaemon } from './daemon-process';
import { snapshotId, tempDir, writeFileSnapshot } from './support';

const idOf = (flag: '-u' | '-g'): number => Number(spawnSync('id', [flag, 'backups'], { encoding: 'utf8' }).stdout.trim());

describeAsRootWithServiceAccount(['chpst'], 'backup-syncd launcher', () => {
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

describe('backup-syncd launcher, compiled', () => {
  test('runs dist/backup-syncd.js under plain node with the lean options, without tsx', async () => {
    const dir = tempDir('launcher-compiled');
    let pid: number | undefined;
    try {
      const daemon = spawnDaemon(['--host', 'h', '--watch', join(dir.path, 'root'), '--script', join(dir.path, 'replica_sync'), '--state', join(dir.path, 'state.json'), '--log-config', join(dir.path, 'none.conf')]);
      pid = daemon.child.pid;
      await daemon.waitForLine(/^info started /);
      const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      expect(argv.slice(0, 5)).toEqual(['node', '--lite-mode', '--no-expose-wasm', '--max-semi-space-size=1', join(LAUNCHER, '..', '..', 'dist', 'backup-syncd.js')]);
      expect(readFileSync(`/proc/${pid}/maps`, 'utf8')).not.toMatch(/tsx|esbuild/);
      // No V8 warning (lite mode without --no-expose-wasm prints one on every start).
      expect(daemon.lines.filter((line) => line.startsWith('stderr:'))).toEqual([]);
      daemon.child.kill('SIGTERM');
      expect((await daemon.exited).code).toBe(0);
    } finally {
      killQuietly(pid);
      dir.remove();
    }
  });

  test('without the build, exits 1 naming the missing file and how to build it', () => {
    const dir = tempDir('launcher-unbuilt');
    try {
      mkdirSync(join(dir.path, 'bin'));
      copyFileSync(LAUNCHER, join(dir.path, 'bin', 'backup-syncd'));
      chmodSync(join(dir.path, 'bin', 'backup-syncd'), 0o755);
      const result = spawnSync(join(dir.path, 'bin', 'backup-syncd'), ['--host', 'h'], { encoding: 'utf8' });
      expect(result.status).toBe(1);
      expect(result.stderr).toBe(`backup-syncd: ${dir.path}/dist/backup-syncd.js is missing: build it with 'npm ci' or 'npm run build' in ${dir.path}\n`);
    } finally {
      dir.remove();
    }
  });
});
