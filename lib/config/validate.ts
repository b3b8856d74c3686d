/**
 * Validation of a whole configuration: every problem at once, each naming field, value and what is
 * allowed. The configuration is copied to plain data once (./plain-copy.ts); everything after that
 * reads the copy, and what passes is zod's parsed result, frozen: the only thing used afterwards.
 */
import type { z } from 'zod';
import { configSchema } from './schema';
import { crossCheck } from './cross-checks';
import { derivedChecks } from './derived-checks';
import { plainCopy } from './plain-copy';
import { fieldPath } from './field-path';
import { ConfigError, type ConfigProblem } from './problems';
import type { BackupServerConfig } from './types';

function valueAt(raw: unknown, path: readonly PropertyKey[]): unknown {
  return path.reduce<unknown>((value, key) => (value !== null && typeof value === 'object' ? (value as Record<PropertyKey, unknown>)[key] : undefined), raw);
}

function hostAt(raw: unknown, path: readonly PropertyKey[]): string | undefined {
  if (path[0] !== 'hosts' || typeof path[1] !== 'number') return undefined;
  const name = valueAt(raw, ['hosts', path[1], 'name']);
  return typeof name === 'string' ? name : undefined;
}

function describeIssue(issue: z.core.$ZodIssue, value: unknown): string {
  switch (issue.code) {
    case 'custom':
      return issue.message;
    case 'invalid_type':
      // NaN and ±Infinity are numbers to typeof, but no field takes them.
      return typeof value === 'number' ? 'a finite number' : `a value of type ${issue.expected}`;
    case 'invalid_value':
      return `one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    default:
      return issue.message;
  }
}

function toProblems(raw: unknown, issues: readonly z.core.$ZodIssue[]): ConfigProblem[] {
  return issues.flatMap((issue): ConfigProblem[] => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        field: fieldPath([...issue.path, key]),
        host: hostAt(raw, issue.path),
        value: valueAt(raw, [...issue.path, key]),
        allowed: 'only the documented fields of lib/config/types.ts (is it misspelt?)',
      }));
    }
    const value = valueAt(raw, issue.path);
    return [{ field: fieldPath(issue.path), host: hostAt(raw, issue.path), value, allowed: describeIssue(issue, value) }];
  });
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}

export type ParsedConfig =
  | { readonly config: BackupServerConfig; readonly problems: readonly [] }
  | { readonly config: undefined; readonly problems: readonly ConfigProblem[] };

/**
 * The configuration as checked plain data, or every problem. Pure: reads `raw` once, writes
 * nothing. Data that is not plain (a getter, a prototype, a class instance) is reported alone.
 */
export function parseConfig(raw: unknown): ParsedConfig {
  const copy = plainCopy(raw);
  if (copy.problems.length > 0) return { config: undefined, problems: copy.problems };
  const parsed = configSchema.safeParse(copy.value);
  const problems = [
    ...(parsed.success ? [] : toProblems(copy.value, parsed.error.issues)),
    ...crossCheck(copy.value),
    ...derivedChecks(copy.value, parsed.success ? (parsed.data as BackupServerConfig) : undefined),
  ];
  if (!parsed.success || problems.length > 0) return { config: undefined, problems };
  return { config: deepFreeze(parsed.data as BackupServerConfig), problems: [] };
}

/** Every problem of a raw configuration; empty when it is valid. */
export function validateConfig(raw: unknown): ConfigProblem[] {
  return [...parseConfig(raw).problems];
}

/** The configuration as checked plain data (use it, not `raw`, from here on); throws a ConfigError listing every problem. */
export function assertValidConfig(raw: unknown): BackupServerConfig {
  const { config, problems } = parseConfig(raw);
  if (config === undefined) throw new ConfigError(problems);
  return config;
}
