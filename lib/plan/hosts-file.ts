/** Loads a hosts.ts (or any module whose default export is the configuration) for the plan. */
import { resolve } from 'node:path';
import { plainCopy } from '../config/plain-copy';
import { ConfigError } from '../config/problems';

/** The configuration exported by `file` (default export, or the module itself). Needs tsx for .ts files. */
export function loadHostsFile(file: string): unknown {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const loaded = require(resolve(file)) as { default?: unknown };
  return loaded.default ?? loaded;
}

/**
 * `raw` with `server.root` replaced, so every default path (TLS files, state) follows `--root`.
 * Made from the plain copy validation makes, so a getter or a prototype is refused here as it is
 * there, never read by a spread.
 */
export function withRoot(raw: unknown, root: string | undefined): unknown {
  if (root === undefined) return raw;
  const copy = plainCopy(raw);
  if (copy.problems.length > 0) throw new ConfigError(copy.problems);
  if (typeof copy.value !== 'object' || copy.value === null) return copy.value;
  const config = copy.value as { server?: unknown };
  const server = typeof config.server === 'object' && config.server !== null ? config.server : {};
  return { ...config, server: { ...server, root } };
}
