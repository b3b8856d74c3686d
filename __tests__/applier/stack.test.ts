import { App, BackupServerStack } from '../../lib';
import { Testing } from '../../lib/terraform';
import { renderRetireRemovedHostsCommand } from '../../lib/render/server-commands';
import { evaluateTemplate, parseConfiguration } from '../support/applier';
import config from '../../hosts';

// The applier refuses every `${` Terraform would interpolate, so this is also the check that
// generated shell text reaches Terraform literally (escaped as `$${`).
test('the example stack is within what the applier supports, and its text arrives unchanged', () => {
  const stack = new BackupServerStack(new App(), 'backup-server', { config });
  const parsed = parseConfiguration(JSON.parse(Testing.synth(stack)));
  const retire = parsed.resources.get('null_resource.server_retire-removed-hosts');
  expect(retire?.type).toBe('null_resource');
  if (retire?.type !== 'null_resource') return;
  // Provisioner commands are kept raw until they run: evaluated, they are the rendered command again.
  const command = retire.provisioners[0]?.command ?? '';
  expect(command).toContain('name=$${link##*/}');
  expect(evaluateTemplate(command, 'command')).toBe(renderRetireRemovedHostsCommand(stack.config.server, stack.config.hosts.map((host) => host.name)));
  const replicaSync = parsed.resources.get('local_file.hosts_ahost_example_com_replica-sync');
  expect(replicaSync?.type === 'local_file' && replicaSync.content).toContain('${BACKUP_HOST:-this host}');
});
