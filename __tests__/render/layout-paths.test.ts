import { hostPaths, serverPaths } from '../../lib';

test('the layout of REFERENCE.md §1, with the storage service named after its kind', () => {
  expect(serverPaths('/backups/systems')).toEqual({ root: '/backups/systems', conf: '/backups/systems/conf', runit: '/backups/systems/conf/runit', firewallState: '/backups/systems/conf/firewall', lock: '/backups/systems/conf/deploy.lock' });
  const paths = hostPaths('/backups/systems', 'ahost.example.com', 'minio');
  expect(paths).toMatchObject({
    dir: '/backups/systems/ahost.example.com',
    storageData: '/backups/systems/ahost.example.com/minio',
    certs: '/backups/systems/ahost.example.com/conf/minio/certs',
    runsvdirService: '/backups/systems/ahost.example.com/conf/runsvdir',
    replicaSync: '/backups/systems/ahost.example.com/conf/replica_sync',
    syncdLogConf: '/backups/systems/ahost.example.com/conf/backup-syncd.log.conf',
    marker: '/backups/systems/ahost.example.com/conf/backup-server.json',
    enableLink: '/backups/systems/conf/runit/ahost.example.com',
    services: ['minio', 'backup-syncd'],
  });
  expect(paths.logDirs.map((d) => d.slice(paths.logs.length + 1))).toEqual(['minio', 'backup-syncd', 'runsvdir', 'replica_sync']);
});
