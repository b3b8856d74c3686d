/**
 * The paths whose ancestors must be root's alone (./ancestors.ts): every path of the configuration
 * that root writes, runs or trusts. Pure: from the resolved configuration.
 */
import type { ResolvedConfig } from '../config/resolve';
import type { CheckedPath } from './ancestors';

export function ancestorCheckedPaths(config: ResolvedConfig): CheckedPath[] {
  const { server } = config;
  const paths: CheckedPath[] = [
    { label: 'server.root', path: server.root },
    { label: 'systemd.unitPath', path: server.systemd.unitPath },
    ...(server.firewall.backend === 'nftables' ? [{ label: 'firewall.nftables.ruleDirectory', path: server.firewall.nftables.ruleDirectory }] : []),
    { label: 'backend.localStatePath', path: server.backend.localStatePath },
    { label: 'server.tlsCertificate', path: server.tlsCertificate },
    { label: 'server.tlsKey', path: server.tlsKey },
    ...config.hosts.flatMap((host) => [
      { label: `the tlsCertificate of ${host.name}`, path: host.tlsCertificate },
      { label: `the tlsKey of ${host.name}`, path: host.tlsKey },
    ]),
    { label: 'server.minioBinary', path: server.minioBinary },
    { label: 'server.restServerBinary', path: server.restServerBinary },
    { label: 'server.rcloneBinary', path: server.rcloneBinary },
    { label: 'server.backupSyncdCommand', path: server.backupSyncdCommand },
  ];
  const seen = new Set<string>();
  return paths.filter(({ path }) => !seen.has(path) && seen.add(path) !== undefined);
}
