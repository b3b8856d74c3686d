/** The operations fields of hosts.ts: quota, maxSnapshotAge, newHostGracePeriod, monitoring; and what they render. */
import { formatProblem, renderSyncdRun, resolveConfig, hostPaths, validateConfig } from '../../lib';
import { restServer } from '../../lib/storage/rest-server';
import { rclone } from '../../lib/storage/rclone';
import { example, host } from '../support/fixtures';

const problems = (config: unknown) => validateConfig(config).map(formatProblem);

test('defaults: 26h, 48h grace, no quota, no metrics', () => {
  const config = resolveConfig({ server: { serverName: 'b.test' }, hosts: [host('a.example.com', 9001)] });
  expect(config.server).toMatchObject({ maxSnapshotAgeSeconds: 93_600, newHostGracePeriodSeconds: 172_800, monitoring: { textfileDirectory: undefined } });
  expect(config.hosts[0]).toMatchObject({ maxSnapshotAgeSeconds: 93_600, quotaBytes: undefined });
});

test('a host overrides the server default; quota in bytes', () => {
  const config = resolveConfig({ server: { serverName: 'b.test', maxSnapshotAge: '8d', newHostGracePeriod: '3d', monitoring: { textfileDirectory: '/var/lib/node-exporter' } }, hosts: [host('a.example.com', 9001, { maxSnapshotAge: '90m', quota: '500G' }), host('b.example.com', 9002)] });
  expect(config.hosts.map((h) => [h.maxSnapshotAgeSeconds, h.quotaBytes])).toEqual([[5400, 500 * 1024 ** 3], [691_200, undefined]]);
  expect(config.server).toMatchObject({ newHostGracePeriodSeconds: 259_200, monitoring: { textfileDirectory: '/var/lib/node-exporter' } });
});

test('bad values: each its message', () => {
  expect(problems({ server: example.server, hosts: [host('a.example.com', 9001, { quota: '500 gigs', maxSnapshotAge: '1 day' })] })).toEqual([
    'hosts[0].maxSnapshotAge (host "a.example.com"): got "1 day"; allowed: an age such as "26h", "90m", "8d" or "3600s": a whole number and one of s, m, h, d; more than zero and at most ten years',
    'hosts[0].quota (host "a.example.com"): got "500 gigs"; allowed: a size such as "500G", "1.5T", "750GiB" or "2TB" (K/M/G/T/P and KiB..PiB: powers of 1024; KB..PB: powers of 1000; no unit: bytes), greater than zero',
  ]);
  expect(problems({ server: { ...example.server, maxSnapshotAge: '0h', monitoring: { textfileDirectory: 'relative/dir', extra: 1 } }, hosts: [] })).toEqual([
    expect.stringMatching(/^server\.maxSnapshotAge: got "0h"; allowed: an age/),
    expect.stringMatching(/^server\.monitoring\.textfileDirectory: got "relative\/dir"; allowed: an absolute, normalised path.*it is relative$/),
    expect.stringMatching(/^server\.monitoring\.extra: got 1; allowed: only the documented fields/),
  ]);
});

test("rest-server's command line carries --max-size for a host with a quota; rclone has no such flag", () => {
  const config = resolveConfig({ server: { serverName: 'b.test', storage: 'rest-server' }, hosts: [host('a.example.com', 9001, { quota: '1.5T' }), host('b.example.com', 9002), host('c.example.com', 9003, { storage: 'rclone', quota: '1G' })] });
  const run = (index: number) => {
    const h = config.hosts[index]!;
    const backend = h.storage === 'rclone' ? rclone : restServer;
    return backend.renderRunScript({ server: config.server, host: h, paths: hostPaths(config.server.root, h.name, h.storage) });
  };
  expect(run(0)).toMatch(/ --private-repos --group-accessible-repos --append-only --max-size 1649267441664$/m);
  expect(run(1)).not.toContain('--max-size');
  expect(run(2)).not.toContain('max-size');
});

test('backup-syncd gets the metrics options only when a textfile directory is set', () => {
  const withMetrics = resolveConfig({ server: { serverName: 'b.test', monitoring: { textfileDirectory: '/var/lib/prometheus/node-exporter' } }, hosts: [host('a.example.com', 9001, { quota: '2TB', maxSnapshotAge: '2d', storage: 'rclone' })] });
  const h = withMetrics.hosts[0]!;
  const paths = hostPaths(withMetrics.server.root, h.name, h.storage);
  expect(renderSyncdRun(withMetrics.server, paths, '/w', h)).toContain(' --metrics-dir /var/lib/prometheus/node-exporter --storage-service rclone --storage-port 9001 --max-snapshot-age 172800s --quota-bytes 2000000000000\n');
  const without = resolveConfig({ server: { serverName: 'b.test' }, hosts: [host('a.example.com', 9001)] });
  expect(renderSyncdRun(without.server, paths, '/w', without.hosts[0])).not.toContain('--metrics-dir');
});
