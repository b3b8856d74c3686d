/** Small configurations for tests, built from the example so that they stay realistic. */
import type { BackupServerConfig, HostConfig } from '../../lib';
import example from '../../hosts';

export { example };

export function withHosts(hosts: readonly HostConfig[], server: Partial<BackupServerConfig['server']> = {}): BackupServerConfig {
  return { server: { ...example.server, ...server }, hosts };
}

export function host(name: string, port: number, extra: Partial<HostConfig> = {}): HostConfig {
  return { name, port, ...extra };
}
