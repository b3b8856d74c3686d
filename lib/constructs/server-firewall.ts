/**
 * The firewall steps of the server as a whole (construct id `firewall` in BackupServerStack):
 *   setup                  null_resource  creates this project's nftables table; its destroy, run
 *                                         only when the server is destroyed, deletes it (nftables)
 *   retire-removed-hosts   null_resource  closes the ports of hosts that left hosts.ts
 * None with firewall `none`.
 */
import { Construct } from 'constructs';
import type { ResolvedServer } from '../config/resolve';
import { firewallBackend } from '../firewall/registry';
import { shellStep } from './shell-step';
import type { ITerraformDependable } from '../terraform';

export interface ServerFirewallProps {
  readonly server: ResolvedServer;
  /** Names of every host in hosts.ts; the rules of any other host of this project are removed. */
  readonly hostNames: readonly string[];
  /**
   * Server steps that must run first (the ancestor check of the rule directory).
   * @default - none
   */
  readonly dependsOn?: readonly ITerraformDependable[];
}

export class ServerFirewall extends Construct {
  constructor(scope: Construct, id: string, props: ServerFirewallProps) {
    super(scope, id);
    const steps = firewallBackend(props.server.firewall.backend).serverSteps(props.server, props.hostNames);
    if (steps === undefined) return;
    const setup = steps.setup === undefined ? undefined : shellStep(this, 'setup', { ...steps.setup, dependsOn: props.dependsOn });
    shellStep(this, 'retire-removed-hosts', { command: steps.retireRemovedHosts, dependsOn: setup === undefined ? props.dependsOn : [setup] });
  }
}
