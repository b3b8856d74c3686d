/**
 * Destroying one resource, in an apply (deleted or replaced) or a destroy: a local_file's file is
 * deleted; a null_resource runs its destroy-time provisioners first, but only when its block is
 * still in the configuration (they are read from it) and it is not tainted, as in Terraform.
 */
import type { DesiredResource } from './configuration';
import { ProvisionerFailedError } from './errors';
import { deleteLocalFile } from './local-file';
import { runProvisioners, type ExecutionContext, type ProvisionerRun } from './provisioner';
import type { StateResource } from './state';

/**
 * @param desired the resource's block in the configuration, undefined when it was removed
 * @throws ProvisionerFailedError when a destroy-time provisioner fails (the resource stays in the state)
 */
export async function destroyResource(address: string, current: StateResource, desired: DesiredResource | undefined, context: ExecutionContext, log: ProvisionerRun[]): Promise<void> {
  if (current.type === 'local_file') {
    deleteLocalFile(current.attributes);
    return;
  }
  if (desired?.type !== 'null_resource' || current.tainted) return;
  const failed = await runProvisioners(desired, 'destroy', current.attributes.triggers, context, log);
  if (failed) throw new ProvisionerFailedError(address, 'destroy', failed.exitCode, failed.output);
}
