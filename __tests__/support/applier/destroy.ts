/**
 * `terraform destroy` for the resources our stack emits, without Terraform: every resource of the
 * applier's state is destroyed, dependents first, saving the state after each. Unlike an apply that
 * drops a block, destroy keeps the configuration, so destroy-time provisioners run (with `self`
 * bound to the state) for every null_resource whose block is still there and that is not tainted.
 * A local file already gone or edited on disk is only forgotten, as Terraform's refresh does.
 */
import { destroyResource } from './destroy-resource';
import { vanishedLocalFiles } from './local-file';
import { executionContext, loadConfiguration, type ApplierOptions } from './options';
import { planDestroy } from './plan';
import type { ProvisionerRun } from './provisioner';
import { readState, withResource, writeState } from './state';

export type DestroyOptions = ApplierOptions;

export interface DestroyReport {
  /** Addresses in the order they were destroyed. */
  readonly destroyed: readonly string[];
  /** Every provisioner that ran, in order. */
  readonly provisioners: readonly ProvisionerRun[];
}

/** @throws ProvisionerFailedError at the first failing destroy-time provisioner; what was destroyed before is out of the state. */
export async function destroyAll(options: DestroyOptions): Promise<DestroyReport> {
  const configuration = loadConfiguration(options);
  let state = readState(options.statePath);
  const vanished = vanishedLocalFiles(state);
  const order = planDestroy(configuration, state, vanished);
  const context = executionContext(options);
  const provisioners: ProvisionerRun[] = [];
  const forget = (address: string) => {
    state = withResource(state, address, undefined);
    writeState(options.statePath, state);
  };

  for (const address of vanished) forget(address);
  for (const address of order) {
    await destroyResource(address, state.resources[address]!, configuration.resources.get(address), context, provisioners);
    forget(address);
  }
  return { destroyed: order, provisioners };
}
