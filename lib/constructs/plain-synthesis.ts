/**
 * The stack's Terraform JSON as cdktf 0.21's `TerraformStack.toTerraform()` makes it, with one
 * change: a value that holds no token is copied by `plainCopy` (./plain-values.ts) instead of going
 * through cdktf's token resolution, which walks and pattern-tests every string and was most of the
 * synthesis time of a large server. A value that might hold a token goes through cdktf's resolution
 * exactly as before. Each element's fragment comes from terraformFragment (./resource-fragment.ts).
 * The result is the same object; __tests__/constructs/plain-synthesis.test.ts compares it with
 * cdktf's own for every shape of configuration, so a cdktf upgrade that changes toTerraform fails
 * there first. terraformDocumentView (below) is the same document for writing only.
 */
import { deepMerge, DefaultTokenResolver, StringConcat, TerraformElement, TerraformOutput, TerraformStack, Tokenization } from '../terraform';
import { NOT_PLAIN, plainCopy } from './plain-values';
import { terraformFragment } from './resource-fragment';

const TOKEN_RESOLVER = new DefaultTokenResolver(new StringConcat());

/**
 * cdktf's resolution of `value` in `stack`, skipped when the value provably holds no token; `plain`
 * says which it was.
 */
function resolveValue(stack: TerraformStack, value: unknown): { resolved: any; plain: boolean } {
  const copy = plainCopy(value);
  return copy === NOT_PLAIN ? { resolved: Tokenization.resolve(value, { scope: stack, preparing: false, resolver: TOKEN_RESOLVER }), plain: false } : { resolved: copy, plain: true };
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

/**
 * cdktf's deepMerge(target, source), without copying the source: an object of the source is taken
 * by reference where the target has nothing yet (or null, where deepMerge would fail), and an
 * object taken that way is copied (once, shallowly) before anything is merged into it, so no
 * source ever changes. `owned` holds the objects made here, which may change.
 */
function mergeByReference(target: Record<string, unknown>, source: Record<string, unknown>, owned: Set<object>): void {
  for (const key of Object.keys(source)) {
    const value = source[key];
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      const existing = target[key];
      if (typeof existing !== 'object' || existing === null) {
        target[key] = value;
        continue;
      }
      let into = existing as Record<string, unknown>;
      if (!owned.has(into)) {
        into = (Array.isArray(into) ? [...into] : { ...into }) as Record<string, unknown>;
        owned.add(into);
        target[key] = into;
      }
      mergeByReference(into, value as Record<string, unknown>, owned);
    } else if (Array.isArray(value) && Array.isArray(target[key])) {
      target[key] = [...(target[key] as unknown[]), ...value];
    } else if (value === undefined) {
      delete target[key];
    } else {
      target[key] = value;
    }
  }
}

/**
 * The `//` member every document starts with (metadata and outputs), as cdktf makes it. `resolve`
 * turns each element's metadata into what is merged.
 */
function documentHead(stack: TerraformStack, elements: readonly TerraformElement[], resolve: (value: unknown) => any): Record<string, unknown> {
  const metadata: Record<string, unknown> = {
    version: stack.node.tryGetContext('cdktfVersion') as unknown,
    stackName: stack.node.id,
    backend: 'local',
    cloud: undefined,
  };
  for (const meta of elements.map((element) => resolve(element.toMetadata()))) deepMerge(metadata, meta);
  const outputs = {};
  for (const output of elements.filter((element) => TerraformOutput.isTerraformOutput(element))) {
    // {a: {b: {c: friendlyUniqueId}}} for the construct path a/b/c.
    deepMerge(outputs, output.node.path.split('/').reduceRight<Record<string, unknown>>((inner, part) => ({ [part]: Object.keys(inner).length === 0 ? output.friendlyUniqueId : inner }), {}));
  }
  return { metadata, outputs };
}

/** `TerraformStack.toTerraform()` of a stack without raw overrides (the caller checks). */
export function plainTerraformJson(stack: TerraformStack): any {
  const elements = terraformElements(stack);
  let allPlain = true;
  const resolve = (value: unknown): any => {
    const { resolved, plain } = resolveValue(stack, value);
    allPlain &&= plain;
    return resolved;
  };
  const head = documentHead(stack, elements, resolve);
  const tf: Record<string, unknown> = { '//': head };
  const owned = new Set<object>([tf, head]);
  for (const element of elements) mergeByReference(tf, resolve(terraformFragment(element)), owned);
  if (!allPlain) return resolveValue(stack, tf).resolved;
  // Made of plain copies only, so plain itself: what resolving it once more would change is the
  // metadata's own undefined members (deepMerge deletes the others).
  const metadata = head.metadata as Record<string, unknown>;
  for (const [key, value] of Object.entries(metadata)) if (value === undefined) delete metadata[key];
  return tf;
}

/**
 * The same document for writing only: the elements' own fragments merged by reference, nothing
 * resolved or copied. plainStableJsonBytes (./stable-json.ts) writes it exactly as it would write
 * plainTerraformJson's document (dropping undefined members and elements) or answers NOT_PLAIN when
 * a fragment holds a token; then, as when the metadata holds one here, the document is
 * plainTerraformJson's. Never mutates an element's fragment.
 */
export function terraformDocumentView(stack: TerraformStack): Record<string, unknown> | typeof NOT_PLAIN {
  const elements = terraformElements(stack);
  let headPlain = true;
  const head = documentHead(stack, elements, (value) => {
    const copy = plainCopy(value);
    headPlain &&= copy !== NOT_PLAIN;
    return copy === NOT_PLAIN ? {} : copy;
  });
  if (!headPlain) return NOT_PLAIN;
  const view: Record<string, unknown> = { '//': head };
  const owned = new Set<object>([view, head]);
  for (const element of elements) mergeByReference(view, terraformFragment(element) as Record<string, unknown>, owned);
  return view;
}
