/** A self-signed certificate for the TLS tests, installed as the README asks of the operator. */
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { serviceAccountIds } from './accounts';

export interface TestCertificate {
  readonly certificate: string;
  readonly key: string;
}

/**
 * `<dir>/tls/{public.crt,private.key}` for `names` (the first is the CN), valid for 127.0.0.1 too;
 * the key readable by the service group only (root:<group> 0640).
 */
export function makeTestCertificate(dir: string, names: readonly string[]): TestCertificate {
  const tls = join(dir, 'tls');
  mkdirSync(tls, { mode: 0o755 });
  const certificate = join(tls, 'public.crt');
  const key = join(tls, 'private.key');
  const subjectAltName = [...names.map((name) => `DNS:${name}`), 'IP:127.0.0.1'].join(',');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2',
    '-subj', `/CN=${names[0]}`, '-addext', `subjectAltName=${subjectAltName}`, '-keyout', key, '-out', certificate], { stdio: 'ignore' });
  chownSync(key, 0, serviceAccountIds().gid);
  chmodSync(key, 0o640);
  chmodSync(certificate, 0o644);
  return { certificate, key };
}
