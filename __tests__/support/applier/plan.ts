/**
 * What an apply does, decided as Terraform decides it:
 *   create   in the configuration, not in the state (or its file vanished or changed on disk)
 *   replace  an attribute that forces a new resource changed, or the resource is tainted
 *   delete   in the state, no longer in the configuration
 *   noop     otherwise
 * and in which order: every destroy (of deleted and replaced resources) dependents first, then
 * every create (of created and replaced resources) dependencies first.
 */
import type { Configuration, DesiredResource } from './configuration';
import type { State, StateResource } from './state';
import { dependencyOrder } from './graph';

export type Action = 'create' | 'replace' | 'delete' | 'noop';

export interface Plan {
  readonly actions: ReadonlyMap<string, Action>;
  /** Deleted and replaced resources, each before the resources it depends on. */
  readonly destroyOrder: readonly string[];
  /** Created and replaced resources, each after the resources it depends on. */
  readonly createOrder: readonly string[];
}

/**
 * @param vanished local_file addresses whose file is missing or differs on disk: Terraform's refresh
 *   drops them from the state, so they are created again.
 */
export function planApply(configuration: Configuration, state: State, vanished: ReadonlySet<string> = new Set()): Plan {
  const actions = new Map<string, Action>();
  for (const [address, desired] of configuration.resources) {
    const current = vanished.has(address) ? undefined : state.resources[address];
    actions.set(address, current === undefined ? 'create' : current.tainted || forcesReplacement(desired, current) ? 'replace' : 'noop');
  }
  for (const address of Object.keys(state.resources)) {
    if (!configuration.resources.has(address)) actions.set(address, 'delete');
  }

  const addresses = [...actions.keys()];
  const configured = (address: string) => configuration.resources.get(address)?.dependsOn ?? [];
  const recorded = (address: string) => state.resources[address]?.dependsOn ?? [];
  const destroyed = dependencyOrder(addresses, (address) => [...recorded(address), ...configured(address)])
    .filter((address) => actions.get(address) === 'delete' || actions.get(address) === 'replace')
    .reverse();
  const created = dependencyOrder(addresses, configured).filter((address) => actions.get(address) === 'create' || actions.get(address) === 'replace');
  return { actions, destroyOrder: destroyed, createOrder: created };
}

/** Every argument of local_file forces replacement; of null_resource only `triggers` does. */
function forcesReplacement(desired: DesiredResource, current: StateResource): boolean {
  if (desired.type !== current.type) return true;
  if (desired.type === 'local_file' && current.type === 'local_file') {
    const { filename, content, filePermission, directoryPermission } = current.attributes;
    return filename !== desired.filename || content !== desired.content || filePermission !== desired.filePermission || directoryPermission !== desired.directoryPermission;
  }
  if (desired.type === 'null_resource' && current.type === 'null_resource') return !sameMap(desired.triggers, current.attributes.triggers);
  return true;
}

function sameMap(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => b[key] === a[key]);
}

/**
 * `terraform destroy`: every resource of the state (less `vanished` local files, which the refresh
 * forgets), each before the resources it depends on, by the state's and the configuration's
 * dependencies.
 */
export function planDestroy(configuration: Configuration, state: State, vanished: ReadonlySet<string> = new Set()): readonly string[] {
  const addresses = Object.keys(state.resources).filter((address) => !vanished.has(address));
  const dependencies = (address: string) => [...(state.resources[address]?.dependsOn ?? []), ...(configuration.resources.get(address)?.dependsOn ?? [])];
  return dependencyOrder(addresses, dependencies).reverse();
}
