/**
 * The firewall opening of one host: its ports reachable from its `allowFrom` networks only.
 *
 * Resources (construct ids are API):
 *   rules   local_file     the host's nftables rule file (nftables only)
 *   apply   null_resource  loads the rule file (nftables) or adds the tagged rules; for iptables,
 *                          ufw and firewalld its destroy command (the old configuration's, read back
 *                          from the state) removes exactly this host's rules first
 * None with firewall `none`. A host removed from hosts.ts is closed by ServerFirewall.
 */
import { Construct } from 'constructs';
import type { ResolvedHost, ResolvedServer } from '../config/resolve';
import { firewallBackend } from '../firewall/registry';
import { sha256, shellStep } from './shell-step';
import { generatedFile } from './generated-file';
import type { ITerraformDependable } from '../terraform';

export interface HostFirewallProps {
  readonly server: ResolvedServer;
  readonly host: ResolvedHost;
  /**
   * Server steps that must run first (the ancestor check of the rule directory).
   * @default - none
   */
  readonly dependsOn?: readonly ITerraformDependable[];
}

export class HostFirewall extends Construct {
  constructor(scope: Construct, id: string, props: HostFirewallProps) {
    super(scope, id);
    const rules = firewallBackend(props.server.firewall.backend).hostRules(props.server, props.host);
    if (rules === undefined) return;
    const ruleFile = rules.ruleFile === undefined
      ? undefined
      : generatedFile(this, 'rules', { path: rules.ruleFile.path, content: rules.ruleFile.content, mode: '0644', dependsOn: props.dependsOn });
    shellStep(this, 'apply', {
      command: rules.apply,
      onDestroy: rules.remove,
      triggers: rules.ruleFile === undefined ? undefined : { rules_sha256: sha256(rules.ruleFile.content) },
      dependsOn: ruleFile === undefined ? props.dependsOn : [ruleFile],
    });
  }
}
