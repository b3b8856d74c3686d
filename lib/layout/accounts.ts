/**
 * The system accounts of one host (docs/security.md): its storage service runs as one, its
 * backup-syncd and replica_sync as another, so that neither a compromised storage service nor another
 * host's code reaches what it must not. Names are derived from the host name alone, so a host that
 * comes back gets the same accounts (and so the same uids on its data).
 */
import { createHash } from 'node:crypto';

/** useradd's limit on this system (and the common one across Linux distributions). */
export const MAX_ACCOUNT_NAME = 32;
const SLUG_LENGTH = 18;
const HASH_LENGTH = 8;
export const STORAGE_ACCOUNT_PREFIX = 'bks-';
export const REPLICATOR_ACCOUNT_PREFIX = 'bkr-';

export interface HostAccounts {
  /** Runs the storage service and its logger; owns the data. Its group is the host's group. */
  readonly storage: string;
  /** Runs backup-syncd, replica_sync, their loggers and the host runsvdir's logger; reads the data. */
  readonly replicator: string;
}

/** `<slug>-<hash>`: readable in `ps` and `ls -l`, unique through the hash. */
function accountSuffix(hostName: string): string {
  const slug = hostName.replace(/\./g, '-').slice(0, SLUG_LENGTH).replace(/-+$/, '');
  const hash = createHash('sha256').update(hostName).digest('hex').slice(0, HASH_LENGTH);
  return `${slug}-${hash}`;
}

/** Asked for several times per host while synthesizing; each answer is a hash, so it is kept. */
const accountsByHost = new Map<string, HostAccounts>();

export function hostAccounts(hostName: string): HostAccounts {
  let accounts = accountsByHost.get(hostName);
  if (accounts === undefined) {
    const suffix = accountSuffix(hostName);
    accounts = Object.freeze({ storage: `${STORAGE_ACCOUNT_PREFIX}${suffix}`, replicator: `${REPLICATOR_ACCOUNT_PREFIX}${suffix}` });
    accountsByHost.set(hostName, accounts);
  }
  return accounts;
}
