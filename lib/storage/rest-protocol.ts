/**
 * What rest-server and `rclone serve restic` share: both speak restic's REST protocol, keep the
 * repository as plain files, read a bcrypt htpasswd file and serve `--private-repos`, so each host
 * has one repository user and its repository is `<host>/<storage>/<user>/`.
 *
 * Credentials: the password is generated on the server at deploy time into `client-credentials`
 * (root only, 0600), the file the operator hands to the client; `htpasswd` (root:storage account,
 * 0640) holds only its bcrypt hash and is derived from it. Neither is ever in Terraform state.
 */
import { shellQuote as q, shellWords } from '../shell/quote';
import { renderCommand, renderScript } from '../render/script';
import { chpstAs, SERVICE_UMASK, storageRunAs } from '../render/runit-scripts';
import { safeFsFunctions } from '../render/safe-fs';
import { hostAccounts } from '../layout/accounts';
import { SECRET_KEY, randomStringLines } from '../render/credentials';
import { CERTIFICATE_LINK, KEY_LINK } from '../render/host-commands';
import { restRepositoryPaths, type HostPaths, type RestRepositoryPaths } from '../layout/paths';
import type { ResolvedHost, ResolvedServer } from '../config/resolve';
import type { StorageBackend, StorageContext } from './storage-backend';
import type { StorageKind } from '../config/types';

/**
 * User names rest-server accepts (it refuses "/" and most punctuation, since the name becomes a
 * directory) that are also safe in an htpasswd line and in a URL's user part.
 */
const REPOSITORY_USER = /^[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?$/;

/**
 * The host's repository user: its own name. Every host has its own service and port, so the name
 * only has to be unique per service; using the host name makes logs and URLs self-explanatory.
 */
export function repositoryUser(host: Pick<ResolvedHost, 'name'>): string {
  if (!REPOSITORY_USER.test(host.name)) {
    throw new Error(`host name ${JSON.stringify(host.name)} cannot be a restic REST user: it must be a lower-case host name (a-z, 0-9, "." and "-")`);
  }
  return host.name;
}

export function restPaths({ host, paths }: StorageContext): RestRepositoryPaths {
  return restRepositoryPaths(paths, repositoryUser(host));
}

/** The file the operator hands to the client (HostPaths carries the host's name). */
export function restCredentialsFile(paths: HostPaths): string {
  return restRepositoryPaths(paths, repositoryUser(paths)).clientCredentials;
}

/** The client file's variables, as restic (0.16.1 and later) reads them from the environment. */
export const CLIENT_USER_VARIABLE = 'RESTIC_REST_USERNAME';
export const CLIENT_PASSWORD_VARIABLE = 'RESTIC_REST_PASSWORD';

/**
 * Writes the client credentials once (never overwritten: the client holds that password), then
 * derives the htpasswd file from them whenever it is missing. A missing client file beside an
 * existing htpasswd means the password is lost: that stops the deploy rather than lock the client
 * out by issuing a new one silently.
 */
export function renderRestCredentialsCommand(context: StorageContext): string {
  const { host } = context;
  const files = restPaths(context);
  const user = repositoryUser(host);
  const storageGroup = hostAccounts(host.name).storage;
  const indent = (lines: readonly string[]) => lines.map((line) => `  ${line}`);
  return renderCommand(`Generate the restic REST credentials of ${host.name} once`, [
    ...safeFsFunctions('own_file'),
    `credentials=${q(files.clientCredentials)}`,
    `htpasswd=${q(files.htpasswd)}`,
    'umask 077',
    'credentials_tmp="$credentials.tmp.$$"',
    'htpasswd_tmp="$htpasswd.tmp.$$"',
    `trap 'rm -f "$credentials_tmp" "$htpasswd_tmp"' EXIT`,
    'if [ -e "$credentials" ] || [ -L "$credentials" ]; then',
    '  own_file "$credentials" root root 0600',
    '  echo "keeping the existing credentials in $credentials"',
    'elif [ -e "$htpasswd" ] || [ -L "$htpasswd" ]; then',
    '  echo "restic-backup-server: $htpasswd exists but $credentials does not, so the password is lost; restore $credentials, or remove $htpasswd to issue new credentials" >&2',
    '  exit 1',
    'else',
    ...indent(randomStringLines('password', SECRET_KEY)),
    `  printf '# restic REST credentials of %s: hand them to that client only\\n${CLIENT_USER_VARIABLE}=%s\\n${CLIENT_PASSWORD_VARIABLE}=%s\\n' ${shellWords([host.name, user])} "$password" > "$credentials_tmp"`,
    '  chown 0:0 "$credentials_tmp"',
    '  chmod 0600 "$credentials_tmp"',
    '  ln "$credentials_tmp" "$credentials"',
    '  echo "wrote new credentials to $credentials (mode 0600, root only)"',
    'fi',
    'if [ -e "$htpasswd" ] || [ -L "$htpasswd" ]; then',
    `  own_file "$htpasswd" root ${q(storageGroup)} 0640`,
    'else',
    '  command -v htpasswd >/dev/null || { echo "restic-backup-server: htpasswd not found; install apache2-utils" >&2; exit 1; }',
    `  password=$(sed -n ${q(`s/^${CLIENT_PASSWORD_VARIABLE}=//p`)} "$credentials")`,
    `  [ -n "$password" ] || { echo "restic-backup-server: $credentials has no ${CLIENT_PASSWORD_VARIABLE} line" >&2; exit 1; }`,
    // The password goes through a pipe from the printf builtin, never onto a command line.
    `  hash=$(printf '%s\\n' "$password" | htpasswd -niB ${q(user)})`,
    '  case "$hash" in',
    `    ${q(user)}:\\$2*) ;;`,
    '    *) echo "restic-backup-server: htpasswd did not print a bcrypt hash" >&2; exit 1 ;;',
    '  esac',
    `  printf '%s\\n' "$hash" > "$htpasswd_tmp"`,
    `  chown ${q(`root:${storageGroup}`)} "$htpasswd_tmp"`,
    '  chmod 0640 "$htpasswd_tmp"',
    '  ln "$htpasswd_tmp" "$htpasswd"',
    '  echo "wrote the bcrypt hash to $htpasswd (mode 0640, readable by the storage account)"',
    'fi',
  ]);
}

/** The server's certificate and key, through the links the layout step makes. */
export function tlsFiles({ paths }: StorageContext): { readonly certificate: string; readonly key: string } {
  return { certificate: `${paths.certs}/${CERTIFICATE_LINK}`, key: `${paths.certs}/${KEY_LINK}` };
}

/** Shell lines that stop a run script early, with a clear log line, when the htpasswd file is missing. */
export function requireHtpasswdLines(service: string, htpasswd: string): string[] {
  return [
    `htpasswd=${q(htpasswd)}`,
    'if [ ! -r "$htpasswd" ]; then',
    `  echo "${service}: credentials file $htpasswd is missing; run cdktf deploy to generate it"`,
    '  exit 1',
    'fi',
  ];
}

/** Where snapshots/ appears: the repository of the host's user. */
export function restWatchRoot(context: StorageContext): string {
  return restPaths(context).repository;
}

/** The URL without the password, which lives only in the client credentials file. */
export function restClientUrl({ server, host }: StorageContext): string {
  const user = repositoryUser(host);
  return `rest:https://${user}@${server.serverName}:${host.port}/${user}/`;
}

/** What differs between the servers of the REST protocol: their command line. */
export interface RestServerCommand {
  readonly kind: StorageKind;
  /** How the run script's header names the server. */
  readonly title: string;
  /** The program started. */
  binary(server: ResolvedServer): string;
  /** The words of the server's command line: TLS from the certificate links, the htpasswd file. */
  words(context: StorageContext, files: { readonly htpasswd: string; readonly certificate: string; readonly key: string }): readonly string[];
}

/** A storage backend serving restic's REST protocol: shared credentials, watch root, URL and run frame. */
export function restProtocolBackend(server: RestServerCommand): StorageBackend {
  return {
    kind: server.kind,
    binary: (settings) => server.binary(settings),
    credentialsFile: restCredentialsFile,
    renderCredentialsCommand: renderRestCredentialsCommand,
    renderRunScript(context: StorageContext): string {
      const { htpasswd } = restPaths(context);
      const { certificate, key } = tlsFiles(context);
      const { host } = context;
      return renderScript(`${server.title} for ${host.name} on port ${host.port}${host.appendOnly ? ', append-only' : ''}`, [
        'exec 2>&1',
        ...requireHtpasswdLines(server.kind, htpasswd),
        SERVICE_UMASK,
        `exec ${chpstAs(storageRunAs(context.server, host.name))} ${shellWords(server.words(context, { htpasswd, certificate, key }))}`,
      ]);
    },
    watchRoot: restWatchRoot,
    clientUrl: restClientUrl,
    // The service keeps the repository as plain files: the replica copies them as they are.
    replicaSource: (context: StorageContext) => ({ kind: 'directory', path: restWatchRoot(context) }),
  };
}
