/** The firewall backend of each kind. */
import type { FirewallKind } from '../config/types';
import type { FirewallBackend } from './firewall-backend';
import { nftables } from './nftables';
import { iptables } from './iptables';
import { ufw } from './ufw';
import { firewalld } from './firewalld';
import { none } from './none';

const BACKENDS: Readonly<Record<FirewallKind, FirewallBackend>> = { nftables, iptables, ufw, firewalld, none };

export function firewallBackend(kind: FirewallKind): FirewallBackend {
  return BACKENDS[kind];
}
