/** restic's own rest-server: TLS, bcrypt htpasswd, one private repository, append-only by default. */
import { shellWords } from '../shell/quote';
import { renderScript } from '../render/script';
import { chpstAs } from '../render/runit-scripts';
import type { StorageBackend, StorageContext } from './storage-backend';
import { renderRestCredentialsCommand, requireHtpasswdLines, restCredentialsFile, restClientUrl, restPaths, restWatchRoot, tlsFiles } from './rest-protocol';

export const restServer: StorageBackend = {
  kind: 'rest-server',

  credentialsFile: restCredentialsFile,

  renderCredentialsCommand: renderRestCredentialsCommand,

  renderRunScript(context: StorageContext): string {
    const { server, host, paths } = context;
    const { htpasswd } = restPaths(context);
    const tls = tlsFiles(context);
    const command = shellWords([
      server.restServerBinary,
      '--path', paths.storageData,
      '--listen', `:${host.port}`,
      '--tls', '--tls-cert', tls.certificate, '--tls-key', tls.key,
      '--htpasswd-file', htpasswd,
      '--private-repos',
      ...(host.appendOnly ? ['--append-only'] : []),
    ]);
    return renderScript(`rest-server for ${host.name} on port ${host.port}${host.appendOnly ? ', append-only' : ''}`, [
      'exec 2>&1',
      ...requireHtpasswdLines('rest-server', htpasswd),
      `exec ${chpstAs(server)} ${command}`,
    ]);
  },

  watchRoot: restWatchRoot,

  clientUrl: restClientUrl,
};
