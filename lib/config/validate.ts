/** Validation of a whole configuration: every problem at once, each naming field, value and what is allowed. */
import type { z } from 'zod';
import { configSchema } from './schema';
import { crossCheck } from './cross-checks';
import { ConfigError, type ConfigProblem } from './problems';
import type { BackupServerConfig } from './types';

function fieldPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return 'the default export of hosts.ts';
  return path.reduce<string>((text, key) => (typeof key === 'number' ? `${text}[${key}]` : text ? `${text}.${String(key)}` : String(key)), '');
}

function valueAt(raw: unknown, path: readonly PropertyKey[]): unknown {
  return path.reduce<unknown>((value, key) => (value !== null && typeof value === 'object' ? (value as Record<PropertyKey, unknown>)[key] : undefined), raw);
}

function hostAt(raw: unknown, path: readonly PropertyKey[]): string | undefined {
  if (path[0] !== 'hosts' || typeof path[1] !== 'number') return undefined;
  const name = valueAt(raw, ['hosts', path[1], 'name']);
  return typeof name === 'string' ? name : undefined;
}

function describeIssue(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'custom':
      return issue.message;
    case 'invalid_type':
      return `a value of type ${issue.expected}`;
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
    return [{ field: fieldPath(issue.path), host: hostAt(raw, issue.path), value: valueAt(raw, issue.path), allowed: describeIssue(issue) }];
  });
}

/** Every problem of a raw configuration; empty when it is valid. Pure: reads nothing, writes nothing. */
export function validateConfig(raw: unknown): ConfigProblem[] {
  const parsed = configSchema.safeParse(raw);
  const schemaProblems = parsed.success ? [] : toProblems(raw, parsed.error.issues);
  return [...schemaProblems, ...crossCheck(raw)];
}

/** The configuration, checked; throws a ConfigError listing every problem. */
export function assertValidConfig(raw: unknown): BackupServerConfig {
  const problems = validateConfig(raw);
  if (problems.length > 0) throw new ConfigError(problems);
  return raw as BackupServerConfig;
}
