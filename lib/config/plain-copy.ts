/**
 * The configuration as plain data, copied once before validation. What validation checks is then
 * exactly what is used: a getter cannot answer one value to the checks and another to the
 * renderers, and a prototype cannot lend a field (`{ __proto__: { root: '/etc' } }`) that the
 * checks never saw. Only own, enumerable data properties of arrays and of objects whose prototype
 * is Object.prototype (or null) are copied; anything else is a problem, never read again.
 */
import { types } from 'node:util';
import type { ConfigProblem } from './problems';
import { ValueDescription } from './message-text';
import { fieldPath } from './field-path';

export const PLAIN_DATA =
  'plain data: strings, numbers, booleans, arrays and object literals of own, enumerable fields (no getters or setters, class instances, prototypes, functions, symbols, proxies or cycles)';

/** Deeper than any configuration needs; keeps a hostile nesting from overflowing the stack. */
export const MAX_NESTING = 32;
/** More items than any list needs (a server has fewer ports); keeps `length: 2 ** 32 - 1` from filling memory. */
export const MAX_ITEMS = 65536;

export interface PlainCopy {
  readonly value: unknown;
  readonly problems: readonly ConfigProblem[];
}

function hostOf(root: unknown, path: readonly PropertyKey[]): string | undefined {
  if (path[0] !== 'hosts' || typeof path[1] !== 'number') return undefined;
  const hosts = (root as { hosts?: unknown } | undefined)?.hosts;
  const name = Array.isArray(hosts) ? (hosts[path[1]] as { name?: unknown } | undefined)?.name : undefined;
  return typeof name === 'string' ? name : undefined;
}

/** What a prototype other than Object.prototype most likely is, read without running any getter. */
function describePrototype(prototype: object): string {
  const constructor = Object.getOwnPropertyDescriptor(prototype, 'constructor');
  const name = constructor !== undefined && 'value' in constructor && typeof constructor.value === 'function' ? constructor.value.name : '';
  if (name !== '' && name !== 'Object') return `an instance of ${name}`;
  return 'an object with a prototype of its own (such as a "__proto__" key in an object literal)';
}

function describeAccessor(descriptor: PropertyDescriptor): string {
  if (descriptor.get !== undefined && descriptor.set !== undefined) return 'a getter and setter';
  return descriptor.get !== undefined ? 'a getter' : 'a setter';
}

class Copier {
  readonly problems: Array<{ path: readonly PropertyKey[]; description: ValueDescription }> = [];
  private readonly ancestors = new Set<object>();

  copy(value: unknown, path: readonly PropertyKey[]): unknown {
    if (typeof value === 'function') return this.refuse(path, 'a function');
    if (typeof value === 'symbol') return this.refuse(path, `a symbol`);
    if (value === null || typeof value !== 'object') return value;
    if (types.isProxy(value)) return this.refuse(path, 'a Proxy');
    if (Array.isArray(value) && value.length > MAX_ITEMS) return this.refuse(path, `an array of ${value.length} items (at most ${MAX_ITEMS})`);
    if (this.ancestors.has(value)) return this.refuse(path, 'an object that contains itself (a cycle)');
    if (path.length > MAX_NESTING) return this.refuse(path, `data nested more than ${MAX_NESTING} deep`);
    const prototype = Object.getPrototypeOf(value) as object | null;
    const isArray = Array.isArray(value) && prototype === Array.prototype;
    if (!isArray && prototype !== Object.prototype && prototype !== null) return this.refuse(path, describePrototype(prototype!));
    this.ancestors.add(value);
    try {
      return isArray ? this.copyArray(value as unknown[], path) : this.copyObject(value, path);
    } finally {
      this.ancestors.delete(value);
    }
  }

  private copyArray(array: readonly unknown[], path: readonly PropertyKey[]): unknown[] {
    const length = array.length;
    const copy: unknown[] = [];
    for (const key of Reflect.ownKeys(array)) {
      if (key === 'length') continue;
      const index = typeof key === 'string' && /^(?:0|[1-9][0-9]*)$/.test(key) ? Number(key) : undefined;
      if (typeof key === 'symbol' || index === undefined || index >= length) {
        this.refuse([...path, key], 'a property of an array that is not one of its items');
        continue;
      }
      const item = this.dataOf(array, key as string, [...path, index]);
      if (item.ok) copy[index] = this.copy(item.value, [...path, index]);
    }
    // Holes are items that are not there: undefined, which the schema then reports.
    copy.length = length;
    return Array.from(copy);
  }

  private copyObject(object: object, path: readonly PropertyKey[]): Record<string, unknown> {
    const copy: Record<string, unknown> = {};
    for (const key of Reflect.ownKeys(object)) {
      if (typeof key === 'symbol') {
        this.refuse([...path, key], 'a field named by a symbol');
        continue;
      }
      const field = this.dataOf(object, key, [...path, key]);
      // defineProperty: a "__proto__" key stays a field (which the schema refuses), never a prototype.
      if (field.ok) Object.defineProperty(copy, key, { value: this.copy(field.value, [...path, key]), enumerable: true, writable: true, configurable: true });
    }
    return copy;
  }

  /** The value of an own, enumerable data property; an accessor or hidden property is a problem, never called. */
  private dataOf(object: object, key: string, path: readonly PropertyKey[]): { ok: true; value: unknown } | { ok: false } {
    const descriptor = Object.getOwnPropertyDescriptor(object, key)!;
    if (!('value' in descriptor)) {
      this.refuse(path, describeAccessor(descriptor));
      return { ok: false };
    }
    if (!descriptor.enumerable) {
      this.refuse(path, 'a hidden (non-enumerable) property');
      return { ok: false };
    }
    return { ok: true, value: descriptor.value };
  }

  private refuse(path: readonly PropertyKey[], description: string): undefined {
    this.problems.push({ path, description: new ValueDescription(description) });
    return undefined;
  }
}

/** A deep copy of `raw` holding only plain data, and a problem for everything that is not. */
export function plainCopy(raw: unknown): PlainCopy {
  const copier = new Copier();
  const value = copier.copy(raw, []);
  const problems = copier.problems.map(({ path, description }) => ({ field: fieldPath(path), host: hostOf(value, path), value: description, allowed: PLAIN_DATA }));
  return { value, problems };
}
