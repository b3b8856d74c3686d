/**
 * The common interface of the firewall renderers, one per backend in this folder. Renderers are
 * pure: they turn the resolved configuration into rule files and shell commands; the constructs
 * HostFirewall and ServerFirewall only put them into Terraform resources.
 */
import type { FirewallKind } from '../config/types';
import type { ResolvedFirewall, ResolvedHost, ResolvedServer } from '../config/resolve';
import { shellWords } from '../shell/quote';

/** What one host needs: at most a rule file and one command that loads or adds its rules. */
export interface HostFirewallRules {
  /** A rule file Terraform writes (local_file) before `apply` runs. @default - none */
  readonly ruleFile?: { readonly path: string; readonly content: string };
  /** Puts the host's rules in place; idempotent. */
  readonly apply: string;
  /**
   * Removes exactly this host's rules; runs before `apply` of a changed host and when the host is
   * destroyed. @default - none: `apply` itself replaces the host's rules in one transaction
   */
  readonly remove?: string;
}

/** What the server needs once. */
export interface ServerFirewallSteps {
  /**
   * A step whose text does not change with the hosts, so that its destroy command (which removes
   * everything of this project) runs only when the server itself is destroyed.
   * @default - none
   */
  readonly setup?: { readonly command: string; readonly onDestroy: string };
  /**
   * Removes the rules of every host that is not in hosts.ts. Terraform runs no destroy-time
   * provisioner of a resource removed from the configuration; this step, re-run whenever the host
   * list changes, closes the ports of removed hosts instead.
   */
  readonly retireRemovedHosts: string;
}

export interface FirewallBackend {
  readonly kind: FirewallKind;
  /** undefined: the backend manages nothing for hosts. */
  hostRules(server: ResolvedServer, host: ResolvedHost): HostFirewallRules | undefined;
  /** undefined: the backend manages nothing on the server. */
  serverSteps(server: ResolvedServer, hostNames: readonly string[]): ServerFirewallSteps | undefined;
  /**
   * Why this backend cannot hold the rules of `host` (a derived name over a limit of the firewall
   * or of the file system), each saying what is allowed; empty or undefined: it can. Pure; run by
   * validation, so a limit is a message naming the host, never a failure half-way through a deploy.
   */
  hostProblems?(server: ResolvedServer, host: ResolvedHost): readonly string[];
}

/** Every rule this project adds carries this tag followed by the host name (iptables, ufw). */
export const FIREWALL_TAG_PREFIX = 'restic-backup-server:';

export function firewallTag(hostName: string): string {
  return `${FIREWALL_TAG_PREFIX}${hostName}`;
}

/** The TCP ports of a host the firewall guards: its storage port and, if enabled, the console. */
export function guardedPorts(host: ResolvedHost): number[] {
  return host.consolePort === undefined ? [host.port] : [host.port, host.consolePort];
}

/**
 * The ports the server itself must reach over loopback: a minio host's replica_sync reads the
 * repository through the host's own S3 port (docs/replicas.md). Other storage is read from disk.
 */
export function loopbackPorts(host: ResolvedHost): number[] {
  return host.storage === 'minio' ? [host.port] : [];
}

export interface Networks {
  readonly ipv4: readonly string[];
  readonly ipv6: readonly string[];
}

/** allowFrom split by address family (validated CIDRs: IPv6 ones, and only they, contain ":"). */
export function networksByFamily(allowFrom: readonly string[]): Networks {
  return { ipv4: allowFrom.filter((cidr) => !cidr.includes(':')), ipv6: allowFrom.filter((cidr) => cidr.includes(':')) };
}

/** One command line run through the configured prefix (such as `sudo -n`), every word quoted. */
export function privileged(firewall: ResolvedFirewall, words: readonly string[]): string {
  return shellWords([...firewall.commandPrefix, ...words]);
}

/** What the rules of a host do, in words: for comments, logs and the plan. */
export function describeOpening(host: ResolvedHost): string {
  const ports = `TCP ${guardedPorts(host).join(', ')} of ${host.name}`;
  return host.allowFrom.length === 0
    ? `${ports}: open to nobody (no allowFrom)`
    : `${ports}: open to ${host.allowFrom.join(', ')}; closed to everyone else`;
}
