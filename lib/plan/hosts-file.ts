/** Loads a hosts.ts (or any module whose default export is the configuration) for the plan. */
import { resolve } from 'node:path';

/** The configuration exported by `file` (default export, or the module itself). Needs tsx for .ts files. */
export function loadHostsFile(file: string): unknown {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const loaded = require(resolve(file)) as { default?: unknown };
  return loaded.default ?? loaded;
}

/** `raw` with `server.root` replaced, so every default path (TLS files, state) follows `--root`. */
export function withRoot(raw: unknown, root: string | undefined): unknown {
  if (root === undefined || typeof raw !== 'object' || raw === null) return raw;
  const config = raw as { server?: unknown };
  const server = typeof config.server === 'object' && config.server !== null ? config.server : {};
  return { ...config, server: { ...server, root } };
}
