import { Testing } from 'cdktf';
import { App, BackupServerStack } from '../lib';
import config from '../hosts';

test('the example hosts.ts synthesizes', () => {
  const stack = new BackupServerStack(new App(), 'backup-server', { config });
  expect(JSON.parse(Testing.synth(stack)).resource.null_resource).toBeDefined();
});
