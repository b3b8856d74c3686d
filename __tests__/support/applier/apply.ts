/**
 * `terraform apply` for the resources our stack emits, without Terraform: plan against the
 * applier's state file, destroy (dependents first), create (dependencies first), saving the state
 * after every step. Like Terraform it runs destroy-time provisioners only for resources still in
 * the configuration (replacement), with `self` bound to the old state; a resource whose create-time
 * provisioner fails is kept as tainted and replaced by the next apply.
 */
import { randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseConfiguration, type DesiredResource } from './configuration';
import { ProvisionerFailedError } from './errors';
import { createLocalFile, deleteLocalFile, localFileVanished } from './local-file';
import { planApply } from './plan';
import { runLocalExec, type ProvisionerRun } from './provisioner';
import { readState, writeState, type StateResource } from './state';

export interface ApplyOptions {
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
   * A provisioner still running after this long is killed and fails the apply.
   * @default 120000
   */
  readonly provisionerTimeoutMs?: number;
}

export interface ApplyReport {
  readonly created: readonly string[];
  readonly replaced: readonly string[];
  readonly destroyed: readonly string[];
  readonly unchanged: readonly string[];
  /** Every provisioner that ran, in order. */
  readonly provisioners: readonly ProvisionerRun[];
  readonly outputs: Readonly<Record<string, string>>;
}

export async function applyConfiguration(options: ApplyOptions): Promise<ApplyReport> {
  const document = typeof options.configuration === 'string' ? JSON.parse(readFileSync(options.configuration, 'utf8')) : options.configuration;
  const configuration = parseConfiguration(document);
  let state = readState(options.statePath);
  const vanished = new Set(
    Object.entries(state.resources)
      .filter(([address, resource]) => configuration.resources.has(address) && resource.type === 'local_file' && localFileVanished(resource.attributes))
      .map(([address]) => address),
  );
  const plan = planApply(configuration, state, vanished);
  const provisioners: ProvisionerRun[] = [];
  const context = {
    workingDirectory: options.workingDirectory ?? process.cwd(),
    environment: options.environment ?? process.env,
    timeoutMs: options.provisionerTimeoutMs ?? 120_000,
  };
  const save = (address: string, resource: StateResource | undefined) => {
    const resources = { ...state.resources };
    if (resource === undefined) delete resources[address];
    else resources[address] = resource;
    state = { version: 1, resources };
    writeState(options.statePath, state);
  };
  const run = async (desired: DesiredResource & { type: 'null_resource' }, when: 'create' | 'destroy', triggers: Readonly<Record<string, string>>) => {
    for (const [index, provisioner] of desired.provisioners.entries()) {
      if (provisioner.when !== when) continue;
      const result = await runLocalExec(provisioner, { ...context, address: desired.address, index, triggers });
      provisioners.push(result);
      if (result.exitCode !== 0) return result;
    }
    return undefined;
  };

  for (const address of plan.destroyOrder) {
    const current = state.resources[address]!;
    const desired = plan.actions.get(address) === 'replace' ? configuration.resources.get(address) : undefined;
    if (current.type === 'local_file') deleteLocalFile(current.attributes);
    else if (desired?.type === 'null_resource') {
      const failed = await run(desired, 'destroy', current.attributes.triggers);
      if (failed) throw new ProvisionerFailedError(address, 'destroy', failed.exitCode, failed.output);
    }
    save(address, undefined);
  }

  for (const address of plan.createOrder) {
    const desired = configuration.resources.get(address)!;
    if (desired.type === 'local_file') {
      const { filename, content, filePermission, directoryPermission } = desired;
      createLocalFile({ filename, content, filePermission, directoryPermission });
      save(address, { type: 'local_file', dependsOn: desired.dependsOn, attributes: { filename, content, filePermission, directoryPermission } });
      continue;
    }
    const attributes = { id: String(randomInt(1, 2 ** 47)), triggers: desired.triggers };
    save(address, { type: 'null_resource', dependsOn: desired.dependsOn, attributes });
    const failed = await run(desired, 'create', desired.triggers);
    if (failed) {
      save(address, { type: 'null_resource', dependsOn: desired.dependsOn, tainted: true, attributes });
      throw new ProvisionerFailedError(address, 'create', failed.exitCode, failed.output);
    }
  }

  const withAction = (action: string) => [...plan.actions].filter(([, a]) => a === action).map(([address]) => address);
  return {
    created: withAction('create'),
    replaced: withAction('replace'),
    destroyed: withAction('delete'),
    unchanged: withAction('noop'),
    provisioners,
    outputs: configuration.outputs,
  };
}


