/**
 * How wide an allowFrom network may be without the host's explicit `allowFromAnywhere: true`:
 * a shorter prefix than these opens the storage port to a large part of the internet, which is
 * almost always a slip (`0.0.0.0/0` for "my network") rather than intent.
 */
export const MIN_IPV4_PREFIX = 8;
export const MIN_IPV6_PREFIX = 32;

/** A validated, canonical CIDR (IPv6 ones, and only they, contain ":"). */
export function isWideNetwork(cidr: string): boolean {
  const length = Number(cidr.slice(cidr.lastIndexOf('/') + 1));
  return length < (cidr.includes(':') ? MIN_IPV6_PREFIX : MIN_IPV4_PREFIX);
}

export const NARROW_NETWORK = `a network of /${MIN_IPV4_PREFIX} or longer (IPv4) or /${MIN_IPV6_PREFIX} or longer (IPv6)`;
export const WIDE_NETWORK = `a network shorter than /${MIN_IPV4_PREFIX} (IPv4) or /${MIN_IPV6_PREFIX} (IPv6)`;
