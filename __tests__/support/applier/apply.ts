/**
 * `terraform apply` for the resources our stack emits, without Terraform: plan against the
 * applier's state file, destroy (dependents first), create (dependencies first), saving the state
 * after every step. Like Terraform it runs destroy-time provisioners only for resources still in
 * the configuration (replacement) and not tainted, with `self` bound to the old state; a resource
 * whose create-time provisioner fails is kept as tainted and replaced by the next apply.
 */
import { randomInt } from 'node:crypto';
import { destroyResource } from './destroy-resource';
import { ProvisionerFailedError } from './errors';
import { createLocalFile, vanishedLocalFiles } from './local-file';
import { executionContext, loadConfiguration, type ApplierOptions } from './options';
import { planApply } from './plan';
import { runProvisioners, type ProvisionerRun } from './provisioner';
import { readState, withResource, writeState, type StateResource } from './state';

export type ApplyOptions = ApplierOptions;

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
  const configuration = loadConfiguration(options);
  let state = readState(options.statePath);
  const plan = planApply(configuration, state, vanishedLocalFiles(state));
  const provisioners: ProvisionerRun[] = [];
  const context = executionContext(options);
  const save = (address: string, resource: StateResource | undefined) => {
    state = withResource(state, address, resource);
    writeState(options.statePath, state);
  };

  for (const address of plan.destroyOrder) {
    await destroyResource(address, state.resources[address]!, configuration.resources.get(address), context, provisioners);
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
    const failed = await runProvisioners(desired, 'create', desired.triggers, context, provisioners);
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
