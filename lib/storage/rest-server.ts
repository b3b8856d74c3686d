/** restic's own rest-server: TLS, bcrypt htpasswd, one private repository, append-only by default. */
import { restProtocolBackend } from './rest-protocol';

export const restServer = restProtocolBackend({
  kind: 'rest-server',
  title: 'rest-server',
  words: ({ server, host, paths }, { htpasswd, certificate, key }) => [
    server.restServerBinary,
    '--path', paths.storageData,
    '--listen', `:${host.port}`,
    '--tls', '--tls-cert', certificate, '--tls-key', key,
    '--htpasswd-file', htpasswd,
    '--private-repos',
    ...(host.appendOnly ? ['--append-only'] : []),
  ],
});
