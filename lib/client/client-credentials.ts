/**
 * A host's credentials as the server generated them (lib/storage/*): minio's `config.json`
 * (`credential.accessKey`/`secretKey`) or the REST services' `client-credentials`
 * (`RESTIC_REST_USERNAME=`/`RESTIC_REST_PASSWORD=` lines). Values are checked against the
 * alphabets the generator uses, since they are written into a shell script and an environment file.
 */
import type { StorageKind } from '../config/types';

export type ClientCredentials =
  | { readonly kind: 's3'; readonly accessKey: string; readonly secretKey: string }
  | { readonly kind: 'rest'; readonly user: string; readonly password: string };

const SAFE = /^[A-Za-z0-9_.-]{1,200}$/;

function safe(name: string, value: unknown): string {
  if (typeof value !== 'string' || !SAFE.test(value)) throw new Error(`the credentials file has no usable ${name} (expected letters, digits, "_", "." or "-")`);
  return value;
}

export function parseClientCredentials(storage: StorageKind, text: string): ClientCredentials {
  if (storage === 'minio') {
    let value: { credential?: { accessKey?: unknown; secretKey?: unknown } };
    try {
      value = JSON.parse(text) as typeof value;
    } catch {
      throw new Error('the credentials file is not JSON');
    }
    return { kind: 's3', accessKey: safe('credential.accessKey', value.credential?.accessKey), secretKey: safe('credential.secretKey', value.credential?.secretKey) };
  }
  const line = (name: string) => new RegExp(`^${name}=(.*)$`, 'm').exec(text)?.[1];
  return { kind: 'rest', user: safe('RESTIC_REST_USERNAME', line('RESTIC_REST_USERNAME')), password: safe('RESTIC_REST_PASSWORD', line('RESTIC_REST_PASSWORD')) };
}
