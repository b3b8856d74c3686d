import { App, BackupServerStack, stackOutputPath, synthSummary } from '../../lib';

test('the output path is relative to the working directory when inside it, absolute otherwise', () => {
  expect(stackOutputPath('cdktf.out', 'backup-server', '/srv/checkout')).toBe('cdktf.out/stacks/backup-server/cdk.tf.json');
  expect(stackOutputPath('/srv/checkout/out', 'backup-server', '/srv/checkout')).toBe('out/stacks/backup-server/cdk.tf.json');
  expect(stackOutputPath('/tmp/elsewhere', 'backup-server', '/srv/checkout')).toBe('/tmp/elsewhere/stacks/backup-server/cdk.tf.json');
});

test('the summary counts hosts and every resource of the stack', () => {
  const stack = new BackupServerStack(new App({ outdir: '/nonexistent' }), 'backup-server', {
    config: { server: { serverName: 'backup.example.com' }, hosts: [{ name: 'a.example.com', port: 9001 }] },
  });
  // 4 server resources, the nftables firewall's 2, and 12 for the host (10 + its 2 firewall resources).
  expect(synthSummary(stack, 'out/x.json')).toBe('synthesized stack backup-server: 1 host, 18 resources -> out/x.json');
});
