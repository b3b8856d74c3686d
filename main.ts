/**
 * The cdktf app: hosts.ts in, Terraform JSON out (cdktf.out/stacks/backup-server/cdk.tf.json).
 * An invalid hosts.ts stops here, listing every problem, before anything is written.
 */
import { ConfigError } from './lib';
import { synthesize } from './lib/app/synthesize';
import config from './hosts';

try {
  synthesize(config);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exitCode = 1;
}
