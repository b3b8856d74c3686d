import { mkdirSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import type { HostConfig } from '../../lib/config/types';
import { diffPlan } from '../../lib/plan/diff';
import { scanDisk } from '../../lib/plan/scan';
import type { Plan, PlanRow } from '../../lib/plan/plan-model';
import { hostPaths, serverPaths } from '../../lib/layout/paths';
import { configFor, makeOriginalHost, makeProjectHost, makeRoot, removeRoot, testWithProjectHosts } from './disk-fixtures';

let root: string;
beforeEach(() => {
  root = makeRoot();
});
afterEach(() => removeRoot(root));

const A: HostConfig = { name: 'a.test', port: 9001, allowFrom: ['192.0.2.1/32'] };
const B: HostConfig = { name: 'b.test', port: 9002 };

/** Lay out `deployed` as the project would, then plan `wanted` against it. */
function planAfter(deployed: readonly HostConfig[], wanted: readonly HostConfig[], options: { sizes?: boolean } = {}): Plan {
  const before = configFor(root, deployed);
  for (const host of before.hosts) makeProjectHost(before, host.name);
  return replan(wanted, options);
}

function replan(wanted: readonly HostConfig[], options: { sizes?: boolean } = {}): Plan {
  return diffPlan(configFor(root, wanted), scanDisk(root, options));
}

const row = (plan: Plan, name: string): PlanRow => {
  const found = plan.rows.find((candidate) => candidate.name === name);
  if (found === undefined) throw new Error(`no row for ${name}`);
  return found;
};

describe('diff kinds', () => {
  testWithProjectHosts('unchanged: the disk is what hosts.ts describes; exit 0', () => {
    const plan = planAfter([A, B], [A, B]);
    expect(plan.rows.map((r) => [r.name, r.action])).toEqual([['a.test', 'unchanged'], ['b.test', 'unchanged']]);
    expect(row(plan, 'a.test').changes).toEqual([]);
    expect(plan.exitCode).toBe(0);
  });

  testWithProjectHosts('new: in hosts.ts, not on disk (also on a server without a root yet); exit 2', () => {
    expect(row(planAfter([A], [A, B]), 'b.test')).toEqual({ name: 'b.test', action: 'new', portAfter: 9002, storage: 'minio', enabled: false, changes: [], notes: [] });
    rmSync(root, { recursive: true });
    const fresh = replan([A]);
    expect(fresh.rows.map((r) => r.action)).toEqual(['new']);
    expect(fresh.exitCode).toBe(2);
  });

  testWithProjectHosts('removed: on disk, not in hosts.ts; data is kept and its size shown with sizes', () => {
    const plan = planAfter([A, B], [A], { sizes: true });
    const removed = row(plan, 'b.test');
    expect(removed).toMatchObject({ action: 'removed', portBefore: 9002, enabled: true, credentials: true });
    expect(removed.sizeBytes).toBeGreaterThan(0);
    expect(removed.notes).toEqual([expect.stringMatching(/^not in hosts.ts: nothing is deleted; data, logs and credentials stay on disk \(\d+(\.\d)? (B|KiB)\)$/)]);
    expect(plan.exitCode).toBe(2);
  });

  testWithProjectHosts('changed: port, certificate, key, allowFrom, console port', () => {
    const plan = planAfter([A], [{ ...A, port: 9005, allowFrom: ['192.0.2.2/32', '192.0.2.1/32'], consolePort: 9105, tlsCertificate: '/etc/ssl/a.crt', tlsKey: '/etc/ssl/a.key' }]);
    const changed = row(plan, 'a.test');
    expect(changed.action).toBe('changed');
    expect(changed.changes).toEqual([
      { field: 'port', from: '9001', to: '9005' },
      { field: 'tlsCertificate', from: `${root}/conf/public.crt`, to: '/etc/ssl/a.crt' },
      { field: 'tlsKey', from: `${root}/conf/private.key`, to: '/etc/ssl/a.key' },
      { field: 'allowFrom', from: '192.0.2.1/32', to: '192.0.2.1/32, 192.0.2.2/32' },
      { field: 'consolePort', from: 'none', to: '9105' },
    ]);
    expect(plan.exitCode).toBe(2);
  });

  testWithProjectHosts('changed: the order of allowFrom is no change', () => {
    const two = { ...A, allowFrom: ['192.0.2.1/32', '192.0.2.2/32'] };
    expect(row(planAfter([two], [{ ...two, allowFrom: ['192.0.2.2/32', '192.0.2.1/32'] }]), 'a.test').action).toBe('unchanged');
  });

  testWithProjectHosts('changed: a host whose conf/runit link is gone', () => {
    planAfter([A], [A]);
    unlinkSync(hostPaths(root, 'a.test', 'minio').enableLink);
    expect(row(replan([A]), 'a.test').changes).toEqual([{ field: 'enabled', from: 'no', to: 'yes' }]);
  });

  testWithProjectHosts('changed: a storage switch keeps the old data directory', () => {
    planAfter([A], [A]);
    const paths = hostPaths(root, 'a.test', 'minio');
    // As the rclone backend of a later version would have left it.
    writeFileSync(paths.marker, JSON.stringify({ format: 1, name: 'a.test', port: 9001, storage: 'rclone' }));
    const changed = row(replan([A]), 'a.test');
    expect(changed.action).toBe('changed');
    expect(changed.changes).toContainEqual({ field: 'storage', from: 'rclone', to: 'minio', note: 'old data dir a.test/rclone kept' });
  });

  testWithProjectHosts('a storage kind this version does not know: credentials unknown, still compared', () => {
    planAfter([A], [A]);
    writeFileSync(hostPaths(root, 'a.test', 'minio').marker, JSON.stringify({ format: 1, name: 'a.test', port: 9001, storage: 'future-store' }));
    const changed = row(replan([A]), 'a.test');
    expect(changed.credentials).toBeUndefined();
    expect(changed.changes).toContainEqual({ field: 'storage', from: 'future-store', to: 'minio', note: 'old data dir a.test/future-store kept' });
  });

  testWithProjectHosts('a format-1 marker: allowFrom and console port are not compared, and the row says so', () => {
    planAfter([A], [A]);
    writeFileSync(hostPaths(root, 'a.test', 'minio').marker, JSON.stringify({ format: 1, name: 'a.test', port: 9001, storage: 'minio' }));
    const unchanged = row(replan([{ ...A, allowFrom: ['198.51.100.0/24'] }]), 'a.test');
    expect(unchanged.action).toBe('unchanged');
    expect(unchanged.notes).toEqual(['marker format 1 records no allowFrom or console port; the next deploy records them']);
  });

  testWithProjectHosts('a project host without its credentials file says the service cannot start', () => {
    planAfter([A], [A]);
    unlinkSync(`${hostPaths(root, 'a.test', 'minio').storageConf}/config.json`);
    const unchanged = row(replan([A]), 'a.test');
    expect(unchanged).toMatchObject({ action: 'unchanged', credentials: false });
    expect(unchanged.notes).toEqual(['credentials file missing: the storage service cannot start until it is restored']);
  });

  test('adopted: an original host keeps credentials and data; the generated files are listed', () => {
    makeOriginalHost(root, 'old.test', 9100);
    const plan = replan([{ name: 'old.test', port: 9100, replica: { replaceLegacyScript: true } }]);
    const adopted = row(plan, 'old.test');
    expect(adopted).toMatchObject({ action: 'adopted', portBefore: 9100, portAfter: 9100, enabled: true, credentials: true, changes: [] });
    expect(adopted.notes).toEqual([
      'made by the original script',
      'keeps its credentials and data',
      'replaces conf/runsvs/minio/run, conf/runsvs/minio/log/run, conf/runsvs/backup-syncd/run, conf/runsvs/backup-syncd/log/run, conf/runsvdir/run, conf/runsvdir/log/run, conf/replica_sync, conf/backup-syncd.log.conf',
      'the hand-written conf/replica_sync is kept, not run, as conf/replica_sync.legacy-<sha256 prefix>',
    ]);
    expect(plan.exitCode).toBe(2);
  });

  test('adopted with a new port, no credentials and no link', () => {
    makeOriginalHost(root, 'old.test', 9100, { bare: true, enabled: false });
    const adopted = row(replan([{ name: 'old.test', port: 9200 }]), 'old.test');
    expect(adopted.action).toBe('adopted');
    expect(adopted.changes).toEqual([
      { field: 'port', from: '9100', to: '9200' },
      { field: 'tlsCertificate', from: 'none', to: `${root}/conf/public.crt` },
      { field: 'tlsKey', from: 'none', to: `${root}/conf/private.key` },
      { field: 'enabled', from: 'no', to: 'yes' },
    ]);
    expect(adopted.notes).toContain('no credentials on disk: new ones are generated');
    expect(adopted.notes).toContain('replaces conf/runsvs/minio/run');
  });
});

describe('conflicts: exit 1', () => {
  testWithProjectHosts('a desired port used on disk by a host no longer in hosts.ts', () => {
    const plan = planAfter([A], [{ name: 'c.test', port: 9001 }]);
    expect(plan.conflicts).toEqual([{ name: 'c.test', message: 'port 9001 is used on disk by a.test, which is not in hosts.ts (its run script keeps the port)' }]);
    expect(plan.exitCode).toBe(1);
  });

  test('an original host counts too; a host moving off the port does not', () => {
    makeOriginalHost(root, 'old.test', 9100, { enabled: false });
    expect(replan([{ name: 'c.test', port: 9100 }]).conflicts).toHaveLength(1);
    const swap = replan([{ name: 'c.test', port: 9100 }, { name: 'old.test', port: 9101, replica: { replaceLegacyScript: true } }]);
    expect(swap.conflicts).toEqual([]);
    expect(swap.exitCode).toBe(2);
  });

  test.each([
    ['a regular file', () => writeFileSync(`${root}/a.test`, 'x'), 'a regular file, not a host directory'],
    ['a directory without a host layout (missing conf)', () => mkdirSync(`${root}/a.test/minio`, { recursive: true }), 'a directory without conf/backup-server.json or conf/runsvs/minio/run'],
    ['a symbolic link', () => symlinkSync('/tmp', `${root}/a.test`), 'a symbolic link, not a host directory'],
  ])('a desired name whose directory is %s', (_what, make, reason) => {
    make();
    const plan = replan([A]);
    const message = `${root}/a.test is ${reason}: move it away or fix it by hand`;
    expect(plan.rows).toEqual([{ name: 'a.test', action: 'conflict', portAfter: 9001, storage: 'minio', enabled: false, changes: [], notes: [message] }]);
    expect(plan.conflicts).toEqual([{ name: 'a.test', message }]);
    expect(plan.exitCode).toBe(1);
  });

  test('a non-host entry that hosts.ts does not name is only a warning', () => {
    writeFileSync(`${root}/notes.txt`, 'x');
    const plan = replan([]);
    expect(plan.warnings).toEqual([`${root}/notes.txt: a regular file, not a host directory; ignored`]);
    expect(plan.exitCode).toBe(0);
  });

  testWithProjectHosts('a link in conf/runit pointing elsewhere, or not a link', () => {
    planAfter([A], [A]);
    symlinkSync('/etc/sv/foreign', `${serverPaths(root).runit}/foreign.test`);
    mkdirSync(`${serverPaths(root).runit}/plain.test`);
    const plan = replan([A]);
    expect(plan.conflicts).toEqual([
      { name: 'foreign.test', message: `conf/runit/foreign.test points to /etc/sv/foreign, not to ${root}/foreign.test/conf/runsvdir` },
      { name: 'plain.test', message: `conf/runit/plain.test is not a link; it must be a link to ${root}/plain.test/conf/runsvdir` },
    ]);
    expect(plan.exitCode).toBe(1);
  });

  testWithProjectHosts("a desired host's own link pointing elsewhere", () => {
    planAfter([A], [A]);
    const link = hostPaths(root, 'a.test', 'minio').enableLink;
    unlinkSync(link);
    symlinkSync(`${root}/b.test/conf/runsvdir`, link);
    const plan = replan([A]);
    expect(plan.conflicts.map((c) => c.name)).toEqual(['a.test']);
    expect(row(plan, 'a.test').changes).toContainEqual({ field: 'enabled', from: 'no', to: 'yes' });
  });

  test('a dangling link to a vanished host is a warning; for a new host it is noted', () => {
    symlinkSync(`${root}/gone.test/conf/runsvdir`, `${serverPaths(root).runit}/gone.test`);
    symlinkSync(`${root}/a.test/conf/runsvdir`, `${serverPaths(root).runit}/a.test`);
    const plan = replan([A]);
    expect(plan.warnings).toEqual([`conf/runit/gone.test dangles: ${root}/gone.test/conf/runsvdir does not exist`]);
    expect(row(plan, 'a.test')).toMatchObject({ action: 'new', enabled: true, notes: ['its conf/runit link is already there'] });
    expect(plan.exitCode).toBe(2);
  });

  test('scan errors stop the plan', () => {
    const plan = diffPlan(configFor(root, [A]), { root, rootExists: true, hosts: [], others: [], runit: [], warnings: [], errors: [{ path: `${root}/x`, message: `cannot read ${root}/x (EACCES)` }] });
    expect(plan.errors).toEqual([`cannot read ${root}/x (EACCES)`]);
    expect(plan.summary.errors).toBe(1);
    expect(plan.exitCode).toBe(1);
  });
});
