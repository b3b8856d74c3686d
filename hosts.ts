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
      name: 'ahost.example.com',
      port: 9001,
      allowFrom: ['192.0.2.10/32', '2001:db8:10::/64'],
    },
    {
      name: 'bhost.example.com',
      port: 9002,
      allowFrom: ['198.51.100.0/28'],
      consolePort: 9102,
    },
    {
      name: 'mail.example.org',
      port: 9003,
      allowFrom: ['203.0.113.25/32'],
      bucket: 'mail',
      prefix: 'restic/mail',
      tlsCertificate: '/etc/ssl/backup/mail.example.org.crt',
      tlsKey: '/etc/ssl/backup/mail.example.org.key',
    },
  ],
};

export default config;
