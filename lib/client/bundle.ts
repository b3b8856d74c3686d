/**
 * The client bundle: a POSIX shell script the operator hands to one client. Read, it tells what the
 * client needs (repository, credentials, CA certificate, units); run as root on the client, it
 * writes them:
 *
 *   $RESTIC_CLIENT_DIR (/etc/restic/<host>)/env     RESTIC_REPOSITORY and credentials, 0600
 *                                        /ca.crt  the CA certificate, when not a public CA
 *                                        /paths   what to back up (kept when it exists)
 *   $SYSTEMD_UNIT_DIR (/etc/systemd/system)/restic-backup.{service,timer}
 *
 * Credentials take the form the client's restic understands: from 0.16.1 the REST password in
 * RESTIC_REST_USERNAME/RESTIC_REST_PASSWORD, before (Debian 12's 0.14) in the URL. Pure.
 */
import type { ClientCredentials } from './client-credentials';
import { CACERT_VARIABLE_SINCE, REST_CREDENTIAL_VARIABLES_SINCE, atLeast, type Version } from './restic-version';

export interface BundleInput {
  readonly host: string;
  readonly serverName: string;
  readonly storage: string;
  /** The repository URL without secrets (the `repository-url` output). */
  readonly repositoryUrl: string;
  readonly credentials: ClientCredentials;
  readonly resticVersion: Version;
  readonly resticVersionText: string;
  /** PEM of the CA to trust; undefined when the server's certificate is from a public CA. */
  readonly caPem: string | undefined;
}

export const UNIT_NAME = 'restic-backup';
const DELIMITER = 'RESTIC_BACKUP_SERVER_BUNDLE_EOF';

/** The environment file's fixed lines (no shell expansion happens in them). */
export function environmentLines(input: BundleInput): string[] {
  const { credentials, repositoryUrl } = input;
  if (credentials.kind === 's3') {
    return [`RESTIC_REPOSITORY=${repositoryUrl}`, `AWS_ACCESS_KEY_ID=${credentials.accessKey}`, `AWS_SECRET_ACCESS_KEY=${credentials.secretKey}`];
  }
  const prefix = `https://${credentials.user}@`;
  if (!repositoryUrl.includes(prefix)) throw new Error(`unexpected REST repository URL ${repositoryUrl}`);
  if (atLeast(input.resticVersion, REST_CREDENTIAL_VARIABLES_SINCE)) {
    return [`RESTIC_REPOSITORY=${repositoryUrl.replace(prefix, 'https://')}`, `RESTIC_REST_USERNAME=${credentials.user}`, `RESTIC_REST_PASSWORD=${credentials.password}`];
  }
  return [`RESTIC_REPOSITORY=${repositoryUrl.replace(prefix, `https://${credentials.user}:${credentials.password}@`)}`];
}

export function renderBundle(input: BundleInput): string {
  const { host, serverName, caPem } = input;
  const cacertVariable = caPem !== undefined && atLeast(input.resticVersion, CACERT_VARIABLE_SINCE);
  const cacertOption = caPem === undefined ? '' : ' --cacert $dir/ca.crt';
  for (const text of [...environmentLines(input), caPem ?? '']) {
    if (text.split('\n').includes(DELIMITER)) throw new Error('bundle contents contain the here-document delimiter');
  }
  const lines = [
    '#!/bin/sh',
    `# restic client setup for ${host}: backups to ${serverName} (${input.storage}), restic ${input.resticVersionText} or later${atLeast(input.resticVersion, REST_CREDENTIAL_VARIABLES_SINCE) ? '' : ' (URL form of the credentials)'}.`,
    '# It holds this host\'s repository credentials: keep it private (mode 0600), hand it over securely,',
    '# and delete it once it has run. Generated on the server by `npm run client`; never in Terraform.',
    '#',
    `# Run it as root on ${host}: sh <this file>`,
    `# It writes (directories overridable with RESTIC_CLIENT_DIR and SYSTEMD_UNIT_DIR):`,
    `#   /etc/restic/${host}/env       repository and credentials (0600)`,
    ...(caPem === undefined ? [] : [`#   /etc/restic/${host}/ca.crt    the server's CA certificate (not a public CA)`]),
    `#   /etc/restic/${host}/paths     what to back up, one path a line (kept if it exists)`,
    `#   /etc/systemd/system/${UNIT_NAME}.service and .timer (daily)`,
    '# Then, once:',
    `#   1. put the repository password (yours alone; the server never sees it) into /etc/restic/${host}/password, mode 0600`,
    `#   2. set -a; . /etc/restic/${host}/env; set +a; restic init${caPem === undefined ? '' : ` --cacert /etc/restic/${host}/ca.crt`}`,
    `#   3. systemctl daemon-reload && systemctl enable --now ${UNIT_NAME}.timer`,
    'set -eu',
    `dir=\${RESTIC_CLIENT_DIR:-/etc/restic/${host}}`,
    'units=${SYSTEMD_UNIT_DIR:-/etc/systemd/system}',
    '# The directories end up in unit files: plain characters only.',
    'case "$dir$units" in',
    '  *[!A-Za-z0-9._/-]*) echo "bundle: RESTIC_CLIENT_DIR and SYSTEMD_UNIT_DIR may hold only letters, digits and . _ / -" >&2; exit 1 ;;',
    'esac',
    'umask 077',
    'mkdir -p "$dir" "$units"',
    `cat > "$dir/env" <<'${DELIMITER}'`,
    ...environmentLines(input),
    DELIMITER,
    'printf \'RESTIC_PASSWORD_FILE=%s/password\\n\' "$dir" >> "$dir/env"',
    ...(cacertVariable ? ['printf \'RESTIC_CACERT=%s/ca.crt\\n\' "$dir" >> "$dir/env"'] : []),
    ...(caPem === undefined ? [] : [`cat > "$dir/ca.crt" <<'${DELIMITER}'`, caPem.trim(), DELIMITER]),
    '[ -e "$dir/paths" ] || printf \'%s\\n\' /etc /home /root /srv /var/lib > "$dir/paths"',
    'umask 022',
    `cat > "$units/${UNIT_NAME}.service" <<${DELIMITER}`,
    '[Unit]',
    `Description=restic backup to ${serverName}`,
    'Wants=network-online.target',
    'After=network-online.target',
    '',
    '[Service]',
    'Type=oneshot',
    'EnvironmentFile=$dir/env',
    `ExecStart=/usr/bin/restic backup${cacertOption} --files-from $dir/paths --exclude-caches --one-file-system`,
    'Nice=10',
    'IOSchedulingClass=idle',
    DELIMITER,
    `cat > "$units/${UNIT_NAME}.timer" <<${DELIMITER}`,
    '[Unit]',
    `Description=daily restic backup to ${serverName}`,
    '',
    '[Timer]',
    'OnCalendar=daily',
    'RandomizedDelaySec=1h',
    'Persistent=true',
    '',
    '[Install]',
    'WantedBy=timers.target',
    DELIMITER,
    `echo "wrote $dir/env${caPem === undefined ? '' : ', $dir/ca.crt'} and $units/${UNIT_NAME}.service/.timer; next: the repository password in $dir/password"`,
  ];
  return `${lines.join('\n')}\n`;
}
