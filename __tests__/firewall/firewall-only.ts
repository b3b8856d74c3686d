/**
 * The firewall part of a synthesized stack as a configuration of its own, for the test applier:
 * the resources whose logical id contains `firewall`, with the terraform and provider blocks as
 * synthesized. The real-firewall tests apply only this part, so they touch nothing but the
 * firewall of their network namespace.
 */

interface Provisioner { readonly 'local-exec': { readonly command: string; readonly when?: string } }
interface NullResourceBlock { readonly triggers: Record<string, string>; readonly provisioner: readonly Provisioner[]; readonly depends_on?: readonly string[] }
interface LocalFileBlock { readonly filename: string; readonly content: string; readonly depends_on?: readonly string[] }

/** The parsed JSON of `Testing.synth`, typed as far as the firewall tests read it. */
export interface Synthesized {
  readonly terraform?: unknown;
  readonly provider?: unknown;
  readonly resource: { readonly null_resource?: Record<string, NullResourceBlock>; readonly local_file?: Record<string, LocalFileBlock> };
}

export interface FirewallConfiguration {
  readonly terraform?: unknown;
  readonly provider?: unknown;
  readonly resource: Record<string, Record<string, unknown>>;
}

/**
 * The server step every firewall resource waits for: it checks that no account but root can reach
 * the rule directory (proven in __tests__/security). Applied here it would lay out the server root of
 * the configuration on this machine, so the firewall part drops the dependency on it.
 */
export const SERVER_LAYOUT = 'null_resource.server_layout';

/**
 * Keeps the firewall resources (and the terraform and provider blocks; outputs describe the rest of
 * the stack and are dropped), without their dependency on SERVER_LAYOUT.
 * @throws when a firewall resource depends on a resource outside the firewall: applying the part
 *   alone would then not be what Terraform does with the whole.
 */
export function firewallOnly(synthesized: Synthesized): FirewallConfiguration {
  const resource: Record<string, Record<string, unknown>> = {};
  const kept = new Set<string>();
  for (const [type, blocks] of Object.entries(synthesized.resource) as [string, Record<string, { readonly depends_on?: readonly string[] }>][]) {
    for (const [id, body] of Object.entries(blocks)) {
      if (!id.includes('firewall')) continue;
      const dependsOn = (body.depends_on ?? []).filter((dependency) => dependency !== SERVER_LAYOUT);
      const { depends_on: _all, ...rest } = body;
      (resource[type] ??= {})[id] = dependsOn.length === (body.depends_on ?? []).length ? body : { ...rest, ...(dependsOn.length > 0 ? { depends_on: dependsOn } : {}) };
      kept.add(`${type}.${id}`);
    }
  }
  for (const [type, blocks] of Object.entries(resource)) {
    for (const [id, body] of Object.entries(blocks)) {
      const outside = ((body as { readonly depends_on?: readonly string[] }).depends_on ?? []).filter((dependency) => !kept.has(dependency));
      if (outside.length > 0) throw new Error(`${type}.${id} depends on ${outside.join(', ')}, which is not a firewall resource`);
    }
  }
  return {
    ...(synthesized.terraform === undefined ? {} : { terraform: synthesized.terraform }),
    ...(synthesized.provider === undefined ? {} : { provider: synthesized.provider }),
    resource,
  };
}
