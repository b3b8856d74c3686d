import { App, BackupServerStack } from '../../lib';
import { Testing } from '../../lib/terraform';
import { parseConfiguration } from '../support/applier';
import { firewallOnly, type Synthesized } from './firewall-only';

const synth = (): Synthesized & Record<string, unknown> => {
  const config = { server: { serverName: 'backup.example.com' }, hosts: [{ name: 'ahost.example.com', port: 9001, allowFrom: ['192.0.2.10/32'] }] };
  return JSON.parse(Testing.synth(new BackupServerStack(new App(), 'backup-server', { config }))) as Synthesized & Record<string, unknown>;
};

test('keeps the firewall resources with their dependencies and the terraform and provider blocks, in a shape the applier takes', () => {
  const stack = synth();
  const part = firewallOnly(stack);
  expect(Object.keys(part).sort()).toEqual(['provider', 'resource', 'terraform']);
  expect(part.terraform).toEqual(stack.terraform);
  expect(part.provider).toEqual(stack.provider);
  const parsed = parseConfiguration(part);
  expect([...parsed.resources.keys()].sort()).toEqual([
    'local_file.hosts_ahost_example_com_firewall_rules',
    'null_resource.firewall_retire-removed-hosts',
    'null_resource.firewall_setup',
    'null_resource.hosts_ahost_example_com_firewall_apply',
  ]);
  expect(part.resource.null_resource!['hosts_ahost_example_com_firewall_apply']).toBe(stack.resource.null_resource!['hosts_ahost_example_com_firewall_apply']);
  expect(parsed.resources.get('null_resource.firewall_retire-removed-hosts')?.dependsOn).toEqual(['null_resource.firewall_setup']);
  // The stack has more than its firewall: outputs and other resources are left out.
  expect(Object.keys(stack.resource.null_resource!).length).toBeGreaterThan(Object.keys(part.resource.null_resource!).length);
  expect(stack.output).toBeDefined();
});

test('refuses a firewall resource that depends on something outside the firewall', () => {
  const stack: Synthesized = {
    resource: {
      null_resource: {
        base: { triggers: {}, provisioner: [] },
        firewall_step: { triggers: {}, provisioner: [], depends_on: ['null_resource.base'] },
      },
    },
  };
  expect(() => firewallOnly(stack)).toThrow('null_resource.firewall_step depends on null_resource.base, which is not a firewall resource');
});
