/**
 * Checks across fields and hosts: unique names, unique ports, complete certificate pairs.
 * They read the input (the plain copy) defensively, so they report alongside the schema's per-field problems.
 */
import type { ConfigProblem } from './problems';
import { DEFAULT_STORAGE, STORAGE_SPECIFIC_HOST_FIELDS } from '../storage/kinds';
import { cidr } from './rules';
import { isWideNetwork, NARROW_NETWORK, WIDE_NETWORK } from './network-width';

interface RawHost {
  readonly index: number;
  readonly value: Record<string, unknown>;
}

function rawHosts(raw: unknown): RawHost[] {
  const hosts = (raw as { hosts?: unknown } | undefined)?.hosts;
  if (!Array.isArray(hosts)) return [];
  return hosts.flatMap((value, index) => (value !== null && typeof value === 'object' ? [{ index, value: value as Record<string, unknown> }] : []));
}

const hostLabel = (host: RawHost): string | undefined => (typeof host.value.name === 'string' ? host.value.name : undefined);

function duplicateNames(hosts: RawHost[]): ConfigProblem[] {
  const seen = new Map<string, RawHost>();
  const problems: ConfigProblem[] = [];
  for (const host of hosts) {
    const name = hostLabel(host);
    if (name === undefined) continue;
    const key = name.toLowerCase();
    const first = seen.get(key);
    if (first) {
      problems.push({
        field: `hosts[${host.index}].name`,
        host: name,
        value: name,
        allowed: `a name no other host has (case-insensitively); hosts[${first.index}] is already ${JSON.stringify(hostLabel(first))}`,
      });
    } else {
      seen.set(key, host);
    }
  }
  return problems;
}

const PORT_FIELDS = ['port', 'consolePort'] as const;

function duplicatePorts(hosts: RawHost[]): ConfigProblem[] {
  const owners = new Map<number, string>();
  const problems: ConfigProblem[] = [];
  for (const host of hosts) {
    for (const field of PORT_FIELDS) {
      const port = host.value[field];
      if (typeof port !== 'number' || !Number.isFinite(port)) continue; // NaN, ±Infinity: the schema's problem
      const where = `hosts[${host.index}].${field}`;
      const owner = owners.get(port);
      if (owner) {
        problems.push({ field: where, host: hostLabel(host), value: port, allowed: `a port nothing else on this server uses; ${owner} already uses it` });
      } else {
        owners.set(port, `${where} (${hostLabel(host) ?? 'unnamed host'})`);
      }
    }
  }
  return problems;
}

function incompleteCertificatePairs(hosts: RawHost[]): ConfigProblem[] {
  return hosts.flatMap((host) => {
    const hasCertificate = host.value.tlsCertificate !== undefined;
    const hasKey = host.value.tlsKey !== undefined;
    if (hasCertificate === hasKey) return [];
    const missing = hasCertificate ? 'tlsKey' : 'tlsCertificate';
    return [{
      field: `hosts[${host.index}].${missing}`,
      host: hostLabel(host),
      value: undefined,
      allowed: 'a host-specific certificate and key are given together (or neither, to use the server\'s)',
    }];
  });
}

/** A field set on a host whose storage service ignores it (see STORAGE_SPECIFIC_HOST_FIELDS). */
function fieldsForOtherStorage(raw: unknown, hosts: RawHost[]): ConfigProblem[] {
  const serverStorage = (raw as { server?: { storage?: unknown } } | undefined)?.server?.storage;
  return hosts.flatMap((host) => {
    const storage = host.value.storage ?? serverStorage ?? DEFAULT_STORAGE;
    if (typeof storage !== 'string') return [];
    return Object.entries(STORAGE_SPECIFIC_HOST_FIELDS).flatMap(([field, kinds]) => {
      if (host.value[field] === undefined || (kinds as readonly string[]).includes(storage)) return [];
      return [{
        field: `hosts[${host.index}].${field}`,
        host: hostLabel(host),
        value: host.value[field],
        allowed: `no value on a host with storage "${storage}": ${field} applies only to storage ${kinds.map((kind) => `"${kind}"`).join(' or ')}`,
      }];
    });
  });
}

/** A network wider than NARROW_NETWORK only with `allowFromAnywhere: true`, and that only beside one. */
function wideNetworks(hosts: RawHost[]): ConfigProblem[] {
  return hosts.flatMap((host): ConfigProblem[] => {
    const allowFrom = Array.isArray(host.value.allowFrom) ? (host.value.allowFrom as unknown[]) : [];
    const wide = allowFrom.flatMap((network, index) => (typeof network === 'string' && isWideNetwork(network) && cidr(network) === undefined ? [{ network, index }] : []));
    const optIn = host.value.allowFromAnywhere;
    if (optIn === true && wide.length === 0) {
      return [{
        field: `hosts[${host.index}].allowFromAnywhere`,
        host: hostLabel(host),
        value: optIn,
        allowed: `true only beside ${WIDE_NETWORK} in allowFrom; this host has none, so leave it out`,
      }];
    }
    if (optIn === true) return [];
    return wide.map(({ network, index }) => ({
      field: `hosts[${host.index}].allowFrom[${index}]`,
      host: hostLabel(host),
      value: network,
      allowed: `${NARROW_NETWORK}: "${network}" opens the port to ${network.endsWith('/0') ? 'the whole internet' : 'a large part of the internet'}; to mean it, set allowFromAnywhere: true on this host`,
    }));
  });
}

/** A directory is either a host of hosts.ts or left alone, not both. */
function leftAloneHosts(raw: unknown, hosts: RawHost[]): ConfigProblem[] {
  const leaveAlone = (raw as { server?: { leaveAlone?: unknown } } | undefined)?.server?.leaveAlone;
  if (!Array.isArray(leaveAlone)) return [];
  const names = new Set(hosts.map(hostLabel).filter((name): name is string => name !== undefined));
  return leaveAlone.flatMap((name, index) => (typeof name === 'string' && names.has(name)
    ? [{ field: `server.leaveAlone[${index}]`, host: name, value: name, allowed: 'a directory that is not also a host of hosts.ts (a host is managed; remove it from one of the two lists)' }]
    : []));
}

export function crossCheck(raw: unknown): ConfigProblem[] {
  const hosts = rawHosts(raw);
  return [...duplicateNames(hosts), ...duplicatePorts(hosts), ...incompleteCertificatePairs(hosts), ...fieldsForOtherStorage(raw, hosts), ...wideNetworks(hosts), ...leftAloneHosts(raw, hosts)];
}
