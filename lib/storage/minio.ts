/**
 * minio as current releases expect it: root credentials from MINIO_ROOT_USER/MINIO_ROOT_PASSWORD,
 * TLS from --certs-dir, console fixed or disabled. Credentials stay in the original's
 * `conf/minio/config.json` shape so hosts made by the original script keep their keys.
 */
import { shellQuote as q, shellWords } from '../shell/quote';
import { renderCommand, renderScript } from '../render/script';
import { ACCESS_KEY, SECRET_KEY, randomStringLines, writeOnceLines } from '../render/credentials';
import { chpstAs, SERVICE_UMASK, storageRunAs } from '../render/runit-scripts';
import { safeFsFunctions } from '../render/safe-fs';
import { hostAccounts } from '../layout/accounts';
import type { HostPaths } from '../layout/paths';
import type { StorageBackend, StorageContext } from './storage-backend';

/** A sed program printing the string value of `key` from config.json, pretty-printed or not. */
function jsonStringField(key: string): string {
  return `s/.*"${key}"[[:space:]]*:[[:space:]]*"\\([^"]*\\)".*/\\1/p`;
}

/**
 * Shell lines setting `accessVariable` and `secretVariable` from the config.json named by the shell
 * variable `fileVariable` (its value: `credential.accessKey` / `credential.secretKey`), never
 * echoing them. The caller checks that both are non-empty.
 */
export function readMinioKeysLines(fileVariable: string, accessVariable: string, secretVariable: string): string[] {
  return [
    `${accessVariable}=$(sed -n ${q(jsonStringField('accessKey'))} "$${fileVariable}")`,
    `${secretVariable}=$(sed -n ${q(jsonStringField('secretKey'))} "$${fileVariable}")`,
  ];
}

/** The original's file, kept: `credential.accessKey` / `credential.secretKey`. */
const credentialsFile = (paths: HostPaths): string => `${paths.storageConf}/config.json`;

export const minio: StorageBackend = {
  kind: 'minio',

  binary: (server) => server.minioBinary,

  credentialsFile,

  renderCredentialsCommand({ host, paths }: StorageContext): string {
    // Read by root (the run script) and by the replicator, which copies the repository out through
    // minio's S3 API; minio itself gets the keys in its environment.
    const access = { group: hostAccounts(host.name).replicator, mode: '0640' };
    return renderCommand(`Generate the minio credentials of ${host.name} once`, [...safeFsFunctions('own_file'), ...writeOnceLines(credentialsFile(paths), access, [
      ...randomStringLines('access', ACCESS_KEY),
      ...randomStringLines('secret', SECRET_KEY),
      `printf '{\\n  "version": "19",\\n  "credential": {\\n    "accessKey": "%s",\\n    "secretKey": "%s"\\n  }\\n}\\n' "$access" "$secret" > "$tmp"`,
    ])]);
  },

  renderRunScript({ server, host, paths }: StorageContext): string {
    const console = host.consolePort === undefined ? [] : ['--console-address', `:${host.consolePort}`];
    const command = shellWords([server.minioBinary, 'server', '--quiet', '--address', `:${host.port}`, ...console, '--certs-dir', paths.certs, paths.storageData]);
    return renderScript(`minio for ${host.name} on port ${host.port}`, [
      'exec 2>&1',
      `config=${q(credentialsFile(paths))}`,
      'if [ ! -r "$config" ]; then',
      '  echo "minio: credentials file $config is missing; run cdktf deploy to generate it"',
      '  exit 1',
      'fi',
      ...readMinioKeysLines('config', 'MINIO_ROOT_USER', 'MINIO_ROOT_PASSWORD'),
      'if [ -z "$MINIO_ROOT_USER" ] || [ -z "$MINIO_ROOT_PASSWORD" ]; then',
      '  echo "minio: $config has no credential.accessKey and credential.secretKey"',
      '  exit 1',
      'fi',
      'export MINIO_ROOT_USER MINIO_ROOT_PASSWORD',
      ...(host.consolePort === undefined ? ['MINIO_BROWSER=off', 'export MINIO_BROWSER'] : []),
      SERVICE_UMASK,
      `exec ${chpstAs(storageRunAs(server, host.name))} ${command}`,
    ]);
  },

  watchRoot: ({ host, paths }: StorageContext) => `${paths.storageData}/${host.bucket}/${host.prefix}`,

  clientUrl: ({ server, host }: StorageContext) => `s3:https://${server.serverName}:${host.port}/${host.bucket}/${host.prefix}`,

  // minio's data directory is its own object format (`<object>/xl.meta`): read through its S3 API.
  replicaSource: ({ server, host, paths }: StorageContext) => ({
    kind: 's3',
    endpoint: `https://${server.serverName}:${host.port}`,
    repository: `${host.bucket}/${host.prefix}`,
    credentialsFile: credentialsFile(paths),
    certificate: host.tlsCertificate,
  }),
};
