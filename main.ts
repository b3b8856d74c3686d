/**
 * The cdktf app: hosts.ts in, Terraform JSON out (cdktf.out/stacks/backup-server/cdk.tf.json), and
 * one line saying so. An invalid hosts.ts stops here, listing every problem, before anything is
 * written. `npm run synth` runs it through scripts/synth.js.
 */
import { App, BackupServerStack, ConfigError, DEFAULT_STACK_NAME, assertValidConfig, stackOutputPath, synthSummary } from './lib';
import config from './hosts';

function main(): void {
  // Before the App: cdktf creates its output directory as soon as an App exists.
  assertValidConfig(config);
  const app = new App();
  const stack = new BackupServerStack(app, DEFAULT_STACK_NAME, { config });
  app.synth();
  process.stdout.write(`${synthSummary(stack, stackOutputPath(app.outdir, DEFAULT_STACK_NAME, process.cwd()))}\n`);
}

try {
  main();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exitCode = 1;
}
