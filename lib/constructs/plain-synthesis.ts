/**
 * The stack's Terraform JSON as cdktf 0.21's `TerraformStack.toTerraform()` makes it, with one
 * change: a value that holds no token is copied by `plainCopy` (./plain-values.ts) instead of going
 * through cdktf's token resolution, which walks and pattern-tests every string and was most of the
 * synthesis time of a large server. A value that might hold a token goes through cdktf's resolution
 * exactly as before. The result is the same object; __tests__/constructs/plain-synthesis.test.ts
 * compares it with cdktf's own for every shape of configuration, so a cdktf upgrade that changes
 * toTerraform fails there first.
 */
import { deepMerge, DefaultTokenResolver, StringConcat, TerraformElement, TerraformOutput, TerraformStack, Tokenization } from '../terraform';
import { NOT_PLAIN, plainCopy } from './plain-values';

const TOKEN_RESOLVER = new DefaultTokenResolver(new StringConcat());

/**
 * cdktf's resolution of `value` in `stack`, skipped when the value provably holds no token; `plain`
 * says which it was.
 */
function resolveValue(stack: TerraformStack, value: unknown): { resolved: any; plain: boolean } {
  const copy = plainCopy(value);
  return copy === NOT_PLAIN ? { resolved: Tokenization.resolve(value, { scope: stack, preparing: false, resolver: TOKEN_RESOLVER }), plain: false } : { resolved: copy, plain: true };
}

/**
 * cdktf's deepMerge(target, source) for a source that is a fresh plain copy (no undefined member,
 * no token, shared with nothing): an object the target does not have yet is adopted as it is
 * instead of being copied member by member into a new one, which gives an equal result.
 */
function mergeOwnedCopy(target: Record<string, unknown>, source: Record<string, unknown>): void {
  for (const key of Object.keys(source)) {
    const value = source[key];
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      if (typeof target[key] === 'object') mergeOwnedCopy(target[key] as Record<string, unknown>, value as Record<string, unknown>);
      else target[key] = value;
    } else if (Array.isArray(value) && Array.isArray(target[key])) {
      target[key] = [...(target[key] as unknown[]), ...value];
    } else {
      target[key] = value;
    }
  }
}

/** The stack's elements in construct order, not entering nested stacks (cdktf's terraformElements). */
function terraformElements(node: { node: { children: readonly unknown[] } }, into: TerraformElement[] = []): TerraformElement[] {
  if (TerraformElement.isTerraformElement(node)) into.push(node);
  for (const child of node.node.children) {
    if (TerraformStack.isStack(child)) continue;
    terraformElements(child as { node: { children: readonly unknown[] } }, into);
  }
  return into;
}

/** `TerraformStack.toTerraform()` of a stack without raw overrides (the caller checks). */
export function plainTerraformJson(stack: TerraformStack): any {
  const tf: Record<string, unknown> = {};
  const metadata: Record<string, unknown> = {
    version: stack.node.tryGetContext('cdktfVersion') as unknown,
    stackName: stack.node.id,
    backend: 'local',
    cloud: undefined,
  };
  const elements = terraformElements(stack);
  let allPlain = true;
  const resolve = (value: unknown): any => {
    const { resolved, plain } = resolveValue(stack, value);
    allPlain &&= plain;
    return resolved;
  };
  for (const meta of elements.map((element) => resolve(element.toMetadata()))) deepMerge(metadata, meta);
  const outputs = {};
  for (const output of elements.filter((element) => TerraformOutput.isTerraformOutput(element))) {
    // {a: {b: {c: friendlyUniqueId}}} for the construct path a/b/c.
    deepMerge(outputs, output.node.path.split('/').reduceRight<Record<string, unknown>>((inner, part) => ({ [part]: Object.keys(inner).length === 0 ? output.friendlyUniqueId : inner }), {}));
  }
  tf['//'] = { metadata, outputs };
  for (const element of elements) {
    const { resolved, plain } = resolveValue(stack, element.toTerraform());
    allPlain &&= plain;
    if (plain) mergeOwnedCopy(tf, resolved);
    else deepMerge(tf, resolved);
  }
  if (!allPlain) return resolveValue(stack, tf).resolved;
  // Made of plain copies only, so plain itself: what resolving it once more would change is the
  // metadata's own undefined members (deepMerge deletes the others).
  for (const [key, value] of Object.entries(metadata)) if (value === undefined) delete metadata[key];
  return tf;
}
