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
 * Keeps the firewall resources (and the terraform and provider blocks; outputs describe the rest of
 * the stack and are dropped).
 * @throws when a firewall resource depends on a resource outside the firewall: applying the part
 *   alone would then not be what Terraform does with the whole.
 */
export function firewallOnly(synthesized: Synthesized): FirewallConfiguration {
  const resource: Record<string, Record<string, unknown>> = {};
  const kept = new Set<string>();
  for (const [type, blocks] of Object.entries(synthesized.resource) as [string, Record<string, { readonly depends_on?: readonly string[] }>][]) {
    for (const [id, body] of Object.entries(blocks)) {
      if (!id.includes('firewall')) continue;
      (resource[type] ??= {})[id] = body;
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
