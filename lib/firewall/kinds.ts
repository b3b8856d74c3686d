/** The firewalls a server can manage; each has a renderer in this folder. `none` manages nothing. */
export const FIREWALL_KINDS = ['nftables', 'ufw', 'firewalld', 'iptables', 'none'] as const;
