/**
 * The operator's list: the server and every client host that backs up to it.
 *
 * Adding a host is one entry in `hosts` below (a name and a free port is enough); open a pull
 * request and review the snapshot diff. Every field is documented in lib/config/types.ts and in
 * the README; anything invalid stops `npm run synth` with a message naming the field.
 */
import type { BackupServerConfig } from './lib';

const config: BackupServerConfig = {
  server: {
    serverName: 'backup.example.com',
    // root: '/backups/systems', user: 'backups', group: 'backups' are the defaults.
  },
  hosts: [
    {
      // minio (the default storage), replicated off-site by backup-syncd with rclone.
      name: 'ahost.example.com',
      port: 9001,
      allowFrom: ['192.0.2.10/32', '2001:db8:10::/64'],
      replica: { rcloneTargets: ['offsite:restic-replicas/ahost.example.com'] },
    },
    {
      // minio with its console on a fixed port and a repository of its own bucket and prefix.
      name: 'bhost.example.com',
      port: 9002,
      consolePort: 9102,
      bucket: 'bhost',
      prefix: 'restic/daily',
      allowFrom: ['198.51.100.0/28'],
    },
    {
      // restic's rest-server, append-only by default, with a certificate of its own.
      name: 'mail.example.org',
      port: 9003,
      storage: 'rest-server',
      allowFrom: ['203.0.113.25/32'],
      tlsCertificate: '/etc/ssl/backup/mail.example.org.crt',
      tlsKey: '/etc/ssl/backup/mail.example.org.key',
    },
  ],
};

export default config;
