/**
 * An element's Terraform JSON fragment, as its own toTerraform() makes it. For the two resource
 * classes this project makes (NullResource, LocalFile) it is built directly when they use only
 * what this project sets (attributes, `depends_on` addresses, provisioners of plain values):
 * cdktf's TerraformResource.toTerraform snake-cases the keys of six meta-arguments of every
 * resource with three regular expressions each, merges the parts and copies them, about a fifth of
 * a large server's synthesis. Everything else (count, for_each, provider, lifecycle, connection,
 * overrides, moves, imports, another class) takes cdktf's own toTerraform.
 * __tests__/constructs/resource-fragment.test.ts compares the two for every resource of every shape
 * of configuration, so a cdktf upgrade that changes toTerraform fails there first.
 */
import { LocalFile, NullResource, snakeCase, processDynamicAttributes, TerraformResource, type TerraformElement } from '../terraform';

/** Protected members of cdktf's TerraformResource, read here as a subclass would. */
interface ResourceInternals {
  synthesizeAttributes(): Record<string, unknown>;
  readonly rawOverrides: Record<string, unknown>;
  readonly constructNodeMetadata: Record<string, unknown>;
}

const DIRECT_CLASSES: ReadonlySet<unknown> = new Set([NullResource, LocalFile]);

/** Keys cdktf's keysToSnakeCase keeps as they are (with their values not looked into). */
const KEPT_KEYS: ReadonlySet<string> = new Set(['tags', 'environment']);

const snakeCases = new Map<string, string>();
/** cdktf's snakeCase, remembered: the same few provisioner keys come back for every resource. */
function snakeCased(key: string): string {
  let snake = snakeCases.get(key);
  if (snake === undefined) {
    snake = snakeCase(key);
    snakeCases.set(key, snake);
  }
  return snake;
}

const isStringList = (value: unknown): value is string[] => Array.isArray(value) && value.every((item) => typeof item === 'string');
/** A provisioner value keysToSnakeCase copies without looking into it: a string, number, boolean, undefined, or list of strings. */
const isFlatValue = (value: unknown): boolean => (typeof value !== 'object' && typeof value !== 'function') || isStringList(value);

function isDirect(resource: TerraformResource): boolean {
  return (
    DIRECT_CLASSES.has(resource.constructor) &&
    resource.count === undefined &&
    resource.forEach === undefined &&
    resource.provider === undefined &&
    resource.lifecycle === undefined &&
    resource.connection === undefined &&
    !resource.hasResourceMove() &&
    (resource.toMetadata() as { imports?: unknown }).imports === undefined &&
    Object.keys((resource as unknown as ResourceInternals).rawOverrides).length === 0 &&
    (resource.dependsOn === undefined || isStringList(resource.dependsOn)) &&
    (resource.provisioners ?? []).every((provisioner) => Object.values(provisioner).every(isFlatValue))
  );
}

/** `keysToSnakeCase(props)` for props of flat values (isFlatValue). */
function snakeCasedProps(props: Record<string, unknown>): Record<string, unknown> {
  const snake: Record<string, unknown> = {};
  for (const key of Object.keys(props)) {
    const value = props[key];
    if (KEPT_KEYS.has(key)) snake[key] = value;
    else snake[snakeCased(key)] = Array.isArray(value) ? [...(value as unknown[])] : value;
  }
  return snake;
}

/** What `element.toTerraform()` returns, made directly where that is the same (see above). */
export function terraformFragment(element: TerraformElement): unknown {
  if (!TerraformResource.isTerraformResource(element) || !isDirect(element)) return element.toTerraform();
  const internals = element as unknown as ResourceInternals;
  const attributes = processDynamicAttributes(internals.synthesizeAttributes()) as Record<string, unknown>;
  // cdktf merges these into the attributes; none of these classes has an attribute of either name.
  if (element.dependsOn !== undefined) attributes.depends_on = [...element.dependsOn];
  if (element.provisioners !== undefined) {
    attributes.provisioner = element.provisioners.map(({ type, ...props }) => ({ [type]: snakeCasedProps(props as Record<string, unknown>) }));
  }
  attributes['//'] = { ...((attributes['//'] as object | undefined) ?? {}), ...internals.constructNodeMetadata };
  return {
    resource: { [element.terraformResourceType]: { [element.friendlyUniqueId]: attributes } },
    moved: undefined,
    import: undefined,
  };
}
