/**
 * `rclone serve restic` (packaged by Debian): the same REST protocol and on-disk repository as
 * rest-server, with TLS, a bcrypt htpasswd file, one private repository and append-only by default.
 */
import { shellWords } from '../shell/quote';
import { renderScript } from '../render/script';
import { chpstAs } from '../render/runit-scripts';
import type { StorageBackend, StorageContext } from './storage-backend';
import { renderRestCredentialsCommand, requireHtpasswdLines, restClientUrl, restCredentialsFile, restPaths, restWatchRoot, tlsFiles } from './rest-protocol';

export const rclone: StorageBackend = {
  kind: 'rclone',

  credentialsFile: restCredentialsFile,

  renderCredentialsCommand: renderRestCredentialsCommand,

  renderRunScript(context: StorageContext): string {
    const { server, host, paths } = context;
    const { htpasswd } = restPaths(context);
    const tls = tlsFiles(context);
    const command = shellWords([
      server.rcloneBinary, 'serve', 'restic',
      // An empty --config is rclone's in-memory configuration: serving a local directory needs
      // none, and the service user has no home directory to look for one in.
      '--config', '',
      '--addr', `:${host.port}`,
      '--cert', tls.certificate, '--key', tls.key,
      '--htpasswd', htpasswd,
      '--private-repos',
      ...(host.appendOnly ? ['--append-only'] : []),
      paths.storageData,
    ]);
    return renderScript(`rclone serve restic for ${host.name} on port ${host.port}${host.appendOnly ? ', append-only' : ''}`, [
      'exec 2>&1',
      ...requireHtpasswdLines('rclone', htpasswd),
      `exec ${chpstAs(server)} ${command}`,
    ]);
  },

  watchRoot: restWatchRoot,

  clientUrl: restClientUrl,
};
