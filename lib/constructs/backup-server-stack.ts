/**
 * The whole backup server as one Terraform stack: ServerBase plus one BackupHost per entry of
 * hosts.ts. The configuration is validated first; an invalid one throws before any construct exists.
 */
import { Construct } from 'constructs';
import { LocalBackend, LocalProvider, NullProvider, TerraformStack, type TerraformElement } from '../terraform';
import type { Node } from 'constructs';
import type { ResolvedConfig } from '../config/resolve';
import { resolveConfig } from '../config/resolve-config';
import type { BackupServerConfig } from '../config/types';
import { ServerBase } from './server-base';
import { BackupHost } from './backup-host';
import { ServerFirewall } from './server-firewall';
import { plainTerraformJson, terraformDocumentView } from './plain-synthesis';
import { NOT_PLAIN } from './plain-values';
import { plainStableJsonBytes, stableJsonBytes } from './stable-json';
import { StableJsonSynthesizer } from './stack-synthesizer';

export const DEFAULT_STACK_NAME = 'backup-server';

export interface BackupServerStackProps {
  /** The contents of hosts.ts; validated here. */
  readonly config: BackupServerConfig;
}

export class BackupServerStack extends TerraformStack {
  readonly config: ResolvedConfig;
  readonly hosts: readonly BackupHost[];
  /** Set by addOverride: raw overrides take cdktf's own path to the Terraform JSON. */
  private hasRawOverrides = false;

  constructor(scope: Construct, id: string, props: BackupServerStackProps) {
    const config = resolveConfig(props.config);
    super(scope, id);
    this.synthesizer = new StableJsonSynthesizer(this, this.synthesizer, () => this.terraformJsonBytes());
    this.config = config;

    // Explicit, so cdktf does not write the absolute path of the checkout into the output.
    new LocalBackend(this, { path: config.server.backend.localStatePath });
    new LocalProvider(this, 'local');
    new NullProvider(this, 'null');

    const base = new ServerBase(this, 'server', { server: config.server, hostNames: config.hosts.map((host) => host.name) });
    new ServerFirewall(this, 'firewall', { server: config.server, hostNames: config.hosts.map((host) => host.name), dependsOn: [base.layout] });
    const hostScope = new Construct(this, 'hosts');
    this.hosts = config.hosts.map((host) => new BackupHost(hostScope, { server: config.server, host, dependsOn: [base.layout] }));
  }

  /**
   * cdktf's preparing pass resolves every value of the stack once more, only to find references to
   * other stacks (it adds outputs and remote state for them). Alone in its app, this stack has none,
   * and the pass would only cost time (a third of a large synth); beside other stacks, it runs.
   */
  prepareStack(): void {
    const stacks = this.node.scope?.node.children.filter((child) => TerraformStack.isStack(child)) ?? [];
    if (stacks.length > 1) return super.prepareStack();
    this.ensureBackendExists();
  }

  addOverride(path: string, value: unknown): void {
    this.hasRawOverrides = true;
    super.addOverride(path, value);
  }

  /**
   * The same JSON as cdktf's, made without resolving values that hold no token (most of a large
   * server's output): ./plain-synthesis.ts.
   */
  toTerraform(): any {
    return this.hasRawOverrides ? super.toTerraform() : plainTerraformJson(this);
  }

  /**
   * What the synthesizer writes: the bytes of stableJsonBytes(this.toTerraform()). Without a token
   * anywhere (the usual case) they are written straight from the elements' fragments, without the
   * resolved copy toTerraform makes (./plain-synthesis.ts, ./stable-json.ts).
   */
  terraformJsonBytes(): Buffer | undefined {
    if (!this.hasRawOverrides) {
      const view = terraformDocumentView(this);
      const bytes = view === NOT_PLAIN ? NOT_PLAIN : plainStableJsonBytes(view);
      if (bytes !== NOT_PLAIN) return bytes;
    }
    return stableJsonBytes(this.toTerraform());
  }

  /**
   * Readable, stable logical ids: the construct path below the stack, "." as "_" (host names never
   * contain "_", so ids stay unique), e.g. `hosts_ahost_example_com_service`. Adding a host never
   * renames another host's resources.
   */
  protected allocateLogicalId(element: TerraformElement | Node): string {
    const scopes = ('node' in element ? element.node : element).scopes;
    return scopes.slice(scopes.indexOf(this) + 1).map((scope) => scope.node.id.replace(/\./g, '_')).join('_');
  }
}
