/** The per-host account names: deterministic, distinct, within useradd's limits (docs/security.md). */
import { hostAccounts, MAX_ACCOUNT_NAME } from '../../lib';

/** What Debian's useradd accepts without --badname: lower case, digits, "-" and "_", a letter first. */
const USERADD_NAME = /^[a-z_][a-z0-9_-]*$/;

test('a host gets a storage and a replicator account named after it, with a hash', () => {
  expect(hostAccounts('ahost.example.com')).toEqual({ storage: 'bks-ahost-example-com-a3ea77cb', replicator: 'bkr-ahost-example-com-a3ea77cb' });
});

test('the same host always gets the same accounts (a host that comes back keeps its uids)', () => {
  expect(hostAccounts('mail.example.org')).toEqual(hostAccounts('mail.example.org'));
});

test.each([
  'a.b',
  'x'.repeat(63),
  `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}`,
  'abcdefghijklmnopq.example', // the cut after 18 characters ends in "-", which is trimmed
  'xn--bcher-kva.example',
  '0start.example.com',
])('%s: names that useradd accepts, within its limit', (name) => {
  for (const account of Object.values(hostAccounts(name))) {
    expect(account.length).toBeLessThanOrEqual(MAX_ACCOUNT_NAME);
    expect(account).toMatch(USERADD_NAME);
    expect(account).not.toMatch(/--[0-9a-f]{8}$/);
  }
});

test('hosts that share their first 18 characters still get different accounts', () => {
  const a = hostAccounts('backup-client-0001.example.com');
  const b = hostAccounts('backup-client-0001.example.org');
  expect(a.storage).not.toBe(b.storage);
  expect(a.replicator).not.toBe(b.replicator);
  expect(new Set([a.storage, a.replicator, b.storage, b.replicator]).size).toBe(4);
});
