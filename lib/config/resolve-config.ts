/** hosts.ts in, the resolved configuration out: validated once (./validate.ts), then defaults applied (./resolve.ts). */
import { assertValidConfig } from './validate';
import { resolveHost, resolveServer, type ResolvedConfig } from './resolve';

/** Validate (throwing a ConfigError with every problem) and apply defaults. */
export function resolveConfig(raw: unknown): ResolvedConfig {
  const config = assertValidConfig(raw);
  const server = resolveServer(config.server);
  const hosts = config.hosts.map((host) => resolveHost(host, server)).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { server, hosts };
}
