/**
 * Restore drills, one per storage kind: the real restic client backs up to the host's storage
 * service over HTTPS, the real backup-syncd runs the replica_sync generated for the host, and the
 * replica is opened with `restic -r <replica>` directly: every byte restored, `restic check` clean.
 * See ../support/replica-drill.ts for what stands in for rest-server and minio.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { STORAGE_KINDS, type StorageKind } from '../../lib';
import { expectSuccess, hashTree, makeTree, snapshotIdsOf, startDrill } from '../support/replica-drill';
import { describeWithTools } from '../support/tools';
import { killQuietly, startSyncd, type DaemonProcess } from './daemon-process';
import { loadState } from '../../lib/syncd/state';

jest.setTimeout(120_000);

describeWithTools(['restic', 'rclone', 'openssl'], 'restore drills: every storage kind replicates to a plain restic repository', () => {
  let tree: string;
  let expected: Map<string, string>;
  beforeAll(() => {
    tree = mkdtempSync(join(tmpdir(), 'drill-tree-'));
    makeTree(tree);
    expected = hashTree(tree);
  });

  test.each(STORAGE_KINDS.map((kind): [StorageKind] => [kind]))('%s: back up, replicate with the real backup-syncd, restore every byte from the replica, check it', async (kind) => {
    const drill = await startDrill(kind, mkdtempSync(join(tmpdir(), `drill-${kind}-`)));
    let daemon: DaemonProcess | undefined;
    try {
      daemon = startSyncd(drill);
      expectSuccess(await drill.restic(['init']), 'restic init');
      expectSuccess(await drill.restic(['backup', tree]), 'restic backup');
      const source = snapshotIdsOf(await drill.restic(['snapshots', '--json', '--no-lock']));
      expect(source).toHaveLength(1);

      await daemon.waitForLine(/^info replicated added=1 removed=0/, 90_000);
      const [replica] = drill.replicas;
      // The replica is a repository of its own: restic opens it with no server and no storage keys.
      expect(snapshotIdsOf(await drill.resticOn(replica!, ['snapshots', '--json', '--no-lock']))).toEqual(source);
      const restored = join(drill.base, 'restored');
      expectSuccess(await drill.resticOn(replica!, ['restore', 'latest', '--target', restored]), 'restic restore from the replica');
      const got = hashTree(join(restored, tree));
      expect(got.size).toBe(expected.size);
      expect(got.get('empty')).toBe(expected.get('empty'));
      expect(got.get('large.bin')).toBe(expected.get('large.bin'));
      expect([...got].filter(([path, hash]) => expected.get(path) !== hash)).toEqual([]);
      expectSuccess(await drill.resticOn(replica!, ['check']), 'restic check of the replica');

      const state = await loadState(drill.state);
      expect(state.replicas).toEqual({ [replica!]: expect.objectContaining({ ok: true, missing: [], error: null, consecutiveFailures: 0 }) });
      expect(daemon.lines).toContain(`info replica-verified target=${replica}`);
      daemon.child.kill('SIGTERM');
      expect((await daemon.exited).code).toBe(0);
    } finally {
      killQuietly(daemon?.child.pid);
      await drill.remove();
    }
  });
});
