/**
 * `rclone serve restic` (packaged by Debian): the same REST protocol and on-disk repository as
 * rest-server, with TLS, a bcrypt htpasswd file, one private repository and append-only by default.
 */
import { restProtocolBackend } from './rest-protocol';

export const rclone = restProtocolBackend({
  kind: 'rclone',
  title: 'rclone serve restic',
  binary: (server) => server.rcloneBinary,
  words: ({ server, host, paths }, { htpasswd, certificate, key }) => [
    server.rcloneBinary, 'serve', 'restic',
    // An empty --config is rclone's in-memory configuration: serving a local directory needs
    // none, and the service user has no home directory to look for one in.
    '--config', '',
    '--addr', `:${host.port}`,
    '--cert', certificate, '--key', key,
    '--htpasswd', htpasswd,
    '--private-repos',
    ...(host.appendOnly ? ['--append-only'] : []),
    paths.storageData,
  ],
});
