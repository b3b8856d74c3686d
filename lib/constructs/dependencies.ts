/**
 * `depends_on` written as plain resource addresses (`null_resource.server_layout`) when every
 * dependency is a resource, instead of through cdktf's dependency tokens: each such token captures a
 * full stack trace when it is made, and resolving them was most of the time of synthesizing a large
 * server. Terraform reads the very same addresses either way.
 */
import { TerraformResource, type ITerraformDependable } from '../terraform';

/** The Terraform address of a resource of this stack, e.g. `null_resource.server_layout`. */
export const resourceAddress = (resource: TerraformResource): string => `${resource.terraformResourceType}.${resource.friendlyUniqueId}`;

/**
 * Makes a resource with `dependencies`: `make` receives what to pass as cdktf's `dependsOn` (nothing
 * when they are all resources, whose addresses are then set directly).
 */
export function withDependencies<R extends TerraformResource>(
  dependencies: readonly ITerraformDependable[] | undefined,
  make: (dependsOn: ITerraformDependable[] | undefined) => R,
): R {
  const all = dependencies ?? [];
  const asAddresses = all.length > 0 && all.every((dependency) => TerraformResource.isTerraformResource(dependency));
  const resource = make(asAddresses || all.length === 0 ? undefined : [...all]);
  if (asAddresses) resource.dependsOn = (all as readonly TerraformResource[]).map(resourceAddress);
  return resource;
}
