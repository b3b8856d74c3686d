/**
 * What `npm run synth` does, as a function: validate hosts.ts once, then synthesize exactly the
 * checked copy. The App (which creates the output directory as soon as it exists) is made only
 * after validation passed, so an invalid configuration leaves nothing behind.
 */
import { App } from '../terraform';
import { assertValidConfig } from '../config/validate';
import { BackupServerStack, DEFAULT_STACK_NAME } from '../constructs/backup-server-stack';

export interface SynthesizeOptions {
  /** Where cdk.tf.json goes. @default - cdktf's own choice: CDKTF_OUTDIR, else `cdktf.out` */
  readonly outdir?: string;
}

/** What was synthesized: the stack, and the directory cdktf wrote to. */
export interface Synthesized {
  readonly stack: BackupServerStack;
  readonly outdir: string;
}

/** Throws a ConfigError, having written nothing, when `raw` is invalid. */
export function synthesize(raw: unknown, options: SynthesizeOptions = {}): Synthesized {
  const config = assertValidConfig(raw);
  const app = new App(options.outdir === undefined ? {} : { outdir: options.outdir });
  const stack = new BackupServerStack(app, DEFAULT_STACK_NAME, { config });
  app.synth();
  return { stack, outdir: app.outdir };
}
