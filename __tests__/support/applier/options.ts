/** What every applier operation is given, and the run context derived from it. */
import { readFileSync } from 'node:fs';
import { parseConfiguration, type Configuration } from './configuration';
import type { ExecutionContext } from './provisioner';

export interface ApplierOptions {
  /** A parsed `cdk.tf.json`, or the path of one. */
  readonly configuration: unknown;
  /** The applier's state file; created on the first apply. */
  readonly statePath: string;
  /**
   * Where provisioners run unless they set working_dir (Terraform's own working directory).
   * @default process.cwd()
   */
  readonly workingDirectory?: string;
  /**
   * Environment provisioners inherit.
   * @default process.env
   */
  readonly environment?: NodeJS.ProcessEnv;
  /**
   * A provisioner still running after this long is killed and fails the operation.
   * @default 120000
   */
  readonly provisionerTimeoutMs?: number;
}

export function loadConfiguration(options: ApplierOptions): Configuration {
  const document = typeof options.configuration === 'string' ? JSON.parse(readFileSync(options.configuration, 'utf8')) : options.configuration;
  return parseConfiguration(document);
}

export function executionContext(options: ApplierOptions): ExecutionContext {
  return {
    workingDirectory: options.workingDirectory ?? process.cwd(),
    environment: options.environment ?? process.env,
    timeoutMs: options.provisionerTimeoutMs ?? 120_000,
  };
}
