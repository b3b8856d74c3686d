/**
 * Whether a client needs the server's CA certificate: not when the server's chain ends in a CA that
 * Node's bundled (Mozilla) root store trusts; otherwise the chain's self-signed root (for a
 * self-signed certificate, the certificate itself). A private CA whose root is not in the file must
 * be given with `--ca`. Pure apart from the certificates passed in.
 */
import { X509Certificate } from 'node:crypto';
import { rootCertificates } from 'node:tls';

export type CaDecision =
  | { readonly kind: 'public'; readonly issuer: string }
  | { readonly kind: 'private'; readonly pem: string; readonly subject: string }
  | { readonly kind: 'unknown'; readonly reason: string };

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

export function parsePemCertificates(text: string): X509Certificate[] {
  return (text.match(PEM_BLOCK) ?? []).map((block) => new X509Certificate(block));
}

const issues = (issuer: X509Certificate, subject: X509Certificate): boolean => subject.checkIssued(issuer) && subject.verify(issuer.publicKey);

let publicRoots: X509Certificate[] | undefined;

export function decideCa(serverChainPem: string, trusted: readonly X509Certificate[] = (publicRoots ??= rootCertificates.map((pem) => new X509Certificate(pem)))): CaDecision {
  const chain = parsePemCertificates(serverChainPem);
  if (chain.length === 0) return { kind: 'unknown', reason: 'the server certificate file holds no PEM certificate' };
  let current = chain[0]!;
  for (let depth = 0; depth < 10; depth++) {
    const root = trusted.find((candidate) => issues(candidate, current));
    if (root !== undefined) return { kind: 'public', issuer: root.subject };
    if (issues(current, current)) return { kind: 'private', pem: current.toString(), subject: current.subject };
    const issuer = chain.find((candidate) => candidate !== current && issues(candidate, current));
    if (issuer === undefined) return { kind: 'unknown', reason: `the issuer of "${current.subject.replace(/\n/g, ', ')}" is neither a public CA nor in the certificate file: give its CA with --ca <file>` };
    current = issuer;
  }
  return { kind: 'unknown', reason: 'the certificate chain is longer than 10' };
}
