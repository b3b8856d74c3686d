/**
 * The cdktf app: hosts.ts in, Terraform JSON out (cdktf.out/stacks/backup-server/cdk.tf.json), and
 * one line saying so. An invalid hosts.ts stops here, listing every problem, before anything is
 * written. `npm run synth` runs it through scripts/synth.js.
 */
import { ConfigError, DEFAULT_STACK_NAME, stackOutputPath, synthSummary } from './lib';
import { synthesize } from './lib/app/synthesize';
import config from './hosts';

function main(): void {
  const { stack, outdir } = synthesize(config);
  process.stdout.write(`${synthSummary(stack, stackOutputPath(outdir, DEFAULT_STACK_NAME, process.cwd()))}\n`);
}

try {
  main();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exitCode = 1;
}
