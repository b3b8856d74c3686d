/** Small configurations for tests, built from the example so that they stay realistic. */
import type { BackupServerConfig, HostConfig } from '../../lib';
import { FIREWALL_KINDS } from '../../lib/firewall/kinds';
import { STORAGE_KINDS } from '../../lib/storage/kinds';
import example from '../../hosts';

export { example };

export function withHosts(hosts: readonly HostConfig[], server: Partial<BackupServerConfig['server']> = {}): BackupServerConfig {
  return { server: { ...example.server, ...server }, hosts };
}

export function host(name: string, port: number, extra: Partial<HostConfig> = {}): HostConfig {
  return { name, port, ...extra };
}

/**
 * One configuration of each shape the synthesized JSON can take: the example, no hosts, and for
 * each firewall kind every storage kind with replicas, quotas and metrics. For tests that compare
 * this project's synthesis with cdktf's own.
 */
export const EVERY_SHAPE: ReadonlyArray<[string, BackupServerConfig]> = [
  ['the example hosts.ts', example],
  ['no hosts', withHosts([])],
  ...FIREWALL_KINDS.map((backend): [string, BackupServerConfig] => [
    `firewall ${backend}, every storage kind, replicas, quotas, metrics`,
    withHosts(
      STORAGE_KINDS.map((storage, i) =>
        host(`${storage}.clients.example.com`, 9100 + i, { storage, allowFrom: ['192.0.2.0/24', '2001:db8::/64'], replica: { rcloneTargets: [`offsite:${storage}`, `second:${storage}`] }, quota: '10GiB' }),
      ),
      { firewall: { backend }, monitoring: { textfileDirectory: '/var/lib/prometheus/node-exporter' } },
    ),
  ]),
];
