/** HostFirewall and ServerFirewall in a synthesized stack: which resources, which ids, what changes. */
import { App, BackupServerStack, type BackupServerConfig, type FirewallKind, type HostConfig } from '../../lib';
import { Testing } from '../../lib/terraform';
import type { Synthesized } from './firewall-only';

const HOSTS: readonly HostConfig[] = [
  { name: 'ahost.example.com', port: 9001, allowFrom: ['192.0.2.10/32', '2001:db8:10::/64'] },
  { name: 'bhost.example.com', port: 9002 },
];

function synth(backend: FirewallKind | undefined, hosts: readonly HostConfig[] = HOSTS): Synthesized {
  const config: BackupServerConfig = { server: { serverName: 'backup.example.com', ...(backend ? { firewall: { backend } } : {}) }, hosts };
  return JSON.parse(Testing.synth(new BackupServerStack(new App(), 'backup-server', { config }))) as Synthesized;
}

const ids = (stack: Synthesized, type: 'null_resource' | 'local_file'): string[] => Object.keys(stack.resource[type] ?? {}).sort();
const firewallIds = (stack: Synthesized): string[] =>
  [...ids(stack, 'local_file').map((id) => `local_file.${id}`), ...ids(stack, 'null_resource').map((id) => `null_resource.${id}`)].filter((id) => id.includes('firewall')).sort();

describe('firewall resources', () => {
  test('nftables (the default): a rule file and its loader per host; the table and the retire step on the server', () => {
    expect(firewallIds(synth(undefined))).toEqual([
      'local_file.hosts_ahost_example_com_firewall_rules',
      'local_file.hosts_bhost_example_com_firewall_rules',
      'null_resource.firewall_retire-removed-hosts',
      'null_resource.firewall_setup',
      'null_resource.hosts_ahost_example_com_firewall_apply',
      'null_resource.hosts_bhost_example_com_firewall_apply',
    ]);
    const loader = synth(undefined).resource.null_resource!['hosts_ahost_example_com_firewall_apply']!;
    expect(loader.depends_on).toEqual(['local_file.hosts_ahost_example_com_firewall_rules']);
    expect(loader.triggers.on_destroy).toBeUndefined();
  });

  test.each(['iptables', 'ufw', 'firewalld'] as const)('%s: one step per host that removes its rules on destroy; the retire step', (backend) => {
    const stack = synth(backend);
    expect(firewallIds(stack)).toEqual([
      'null_resource.firewall_retire-removed-hosts',
      'null_resource.hosts_ahost_example_com_firewall_apply',
      'null_resource.hosts_bhost_example_com_firewall_apply',
    ]);
    const step = stack.resource.null_resource!['hosts_ahost_example_com_firewall_apply']!;
    expect(step.triggers.on_destroy).toContain('ahost.example.com');
    expect(step.provisioner.map((p) => p['local-exec'].when ?? 'create')).toEqual(['create', 'destroy']);
  });

  test('none: no firewall resource at all', () => {
    expect(firewallIds(synth('none'))).toEqual([]);
  });

  test('the firewall only adds resources: every other id and body is as without it', () => {
    const without = synth('none');
    for (const backend of ['nftables', 'iptables'] as const) {
      const stack = synth(backend);
      for (const type of ['null_resource', 'local_file'] as const) {
        const others = Object.fromEntries(Object.entries(stack.resource[type] ?? {}).filter(([id]) => !id.includes('firewall')));
        expect(others).toEqual(without.resource[type] ?? {});
      }
    }
  });

  test.each(['nftables', 'iptables'] as const)('%s: changing allowFrom or port of one host changes only that host (and not the retire step)', (backend) => {
    const before = synth(backend);
    const after = synth(backend, [{ ...HOSTS[0]!, port: 9005, allowFrom: ['192.0.2.11/32'] }, HOSTS[1]!]);
    const changed = firewallIds(after).filter((address) => {
      const [type, id] = address.split('.') as ['null_resource' | 'local_file', string];
      return JSON.stringify(before.resource[type]![id]) !== JSON.stringify(after.resource[type]![id]);
    });
    expect(changed.length).toBeGreaterThan(0);
    expect(changed.every((address) => address.includes('hosts_ahost_example_com_firewall'))).toBe(true);
  });

  test('removing a host changes the retire step, which then lists only the remaining hosts', () => {
    const before = synth('iptables').resource.null_resource!['firewall_retire-removed-hosts']!;
    const after = synth('iptables', [HOSTS[1]!]).resource.null_resource!['firewall_retire-removed-hosts']!;
    expect(after.triggers.command_sha256).not.toBe(before.triggers.command_sha256);
    expect(after.provisioner[0]!['local-exec'].command).toContain("-v 'keep= bhost.example.com '");
  });

  test('snapshot of the firewall resources of the example hosts.ts', async () => {
    const { default: config } = await import('../../hosts');
    const stack = JSON.parse(Testing.synth(new BackupServerStack(new App(), 'backup-server', { config }))) as Synthesized;
    const pick = (type: 'null_resource' | 'local_file') => Object.fromEntries(Object.entries(stack.resource[type] ?? {}).filter(([id]) => id.includes('firewall')));
    expect({ local_file: pick('local_file'), null_resource: pick('null_resource') }).toMatchSnapshot();
  });
});
