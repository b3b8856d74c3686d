/** restic's own rest-server: TLS, bcrypt htpasswd, one private repository, append-only by default, the host's quota. */
import { restProtocolBackend } from './rest-protocol';

export const restServer = restProtocolBackend({
  kind: 'rest-server',
  title: 'rest-server',
  binary: (server) => server.restServerBinary,
  words: ({ server, host, paths }, { htpasswd, certificate, key }) => [
    server.restServerBinary,
    '--path', paths.storageData,
    '--listen', `:${host.port}`,
    '--tls', '--tls-cert', certificate, '--tls-key', key,
    '--htpasswd-file', htpasswd,
    '--private-repos',
    // Directories 0750 and files 0640 under the run script's umask: the replicator reads them.
    '--group-accessible-repos',
    ...(host.appendOnly ? ['--append-only'] : []),
    // The whole instance's limit in bytes; one instance per host makes it the host's quota.
    ...(host.quotaBytes === undefined ? [] : ['--max-size', String(host.quotaBytes)]),
  ],
});
