/**
 * Hostile configurations, each with the exact problem lines it must produce. Each case builds its
 * configuration afresh (a function), so getters and counters start clean.
 */

export interface HostileCase {
  readonly name: string;
  readonly config: () => unknown;
  /** Every problem line (formatProblem), in order. */
  readonly problems: readonly string[];
}

export const SERVER_NAME = 'backup.example.com';
export const HOST = 'a.example.com';

type Fields = Record<string, unknown>;

/** One valid host, with `fields` changed. */
export function oneHost(fields: Fields = {}): Fields {
  return { name: HOST, port: 9001, allowFrom: ['192.0.2.10/32'], ...fields };
}

/** A configuration of the example server and one host. */
export function configWith(server: Fields = {}, host: Fields = {}): { server: Fields; hosts: Fields[] } {
  return { server: { serverName: SERVER_NAME, ...server }, hosts: [oneHost(host)] };
}

/** A host name of `length` characters made of valid labels (at most 63 characters each). */
export function longHostName(length: number): string {
  const labels: string[] = [];
  let left = length;
  while (left > 0) {
    const size = Math.min(63, left === 64 ? 62 : left);
    labels.push('a'.repeat(size));
    left -= size + 1;
  }
  return labels.join('.');
}

/** An absolute path of `bytes` bytes whose names are at most 200 bytes. */
export function longPath(prefix: string, bytes: number): string {
  let path = prefix;
  while (path.length < bytes) path += `/${'d'.repeat(Math.min(200, bytes - path.length - 1))}`;
  return path;
}

class Account {
  constructor(readonly name: string) {}
}

/** Counts how often a getter runs: validation must never call one. */
export const getterCalls = { count: 0 };

const ipv4Host = (name: string): Fields => ({ name, port: 9001, allowFrom: ['192.0.2.10/32'] });

export const HOSTILE_CASES: readonly HostileCase[] = [
  // server.root: a system directory, or inside one.
  ...([
    ['/', '/ is a shared system directory: use a directory inside it'],
    ['/etc', 'it is the system directory /etc, which belongs to the operating system'],
    ['/usr', 'it is the system directory /usr, which belongs to the operating system'],
    ['/boot', 'it is the system directory /boot, which belongs to the operating system'],
    ['/bin', 'it is the system directory /bin, which belongs to the operating system'],
    ['/lib64', 'it is the system directory /lib64, which belongs to the operating system'],
    ['/home', '/home is a shared system directory: use a directory inside it'],
    ['/var', '/var is a shared system directory: use a directory inside it'],
    ['/srv', '/srv is a shared system directory: use a directory inside it'],
    ['/etc/backups', 'it is inside the system directory /etc, which belongs to the operating system'],
    ['/usr/local/backups', 'it is inside the system directory /usr, which belongs to the operating system'],
    ['/proc/self/cwd', 'it is inside the system directory /proc, which belongs to the operating system'],
    ['/sys/fs', 'it is inside the system directory /sys, which belongs to the operating system'],
    ['/dev/shm/backups', 'it is inside the system directory /dev, which belongs to the operating system'],
    ['/run/backups', 'it is inside the system directory /run, which belongs to the operating system'],
    ['/tmp/backups', 'it is inside the system directory /tmp, which belongs to the operating system'],
    ['/var/tmp/backups', 'it is inside the system directory /var/tmp, which belongs to the operating system'],
    ['/root/backups', 'it is inside the system directory /root, which belongs to the operating system'],
    ['/var/log/backups', 'it is inside the system directory /var/log, which belongs to the operating system'],
  ] as const).map(([root, why]): HostileCase => ({
    name: `root ${root}`,
    config: () => configWith({ root }),
    problems: [`server.root: got "${root}"; allowed: a directory of its own for the backups, such as /backups/systems or /srv/backups; ${why}`],
  })),

  // systemd.unitPath: outside the unit directories, not a service, not a unit name.
  ...([
    ['/etc/passwd', 'it is in /etc'],
    ['/etc/systemd/system/backup-minio', '"backup-minio" is not such a name'],
    ['/lib/systemd/system/backup-minio.service', 'it is in /lib/systemd/system'],
    ['/usr/lib/systemd/system/backup-minio.service', 'it is in /usr/lib/systemd/system'],
    ['/etc/systemd/system/multi-user.target.wants/backup-minio.service', 'it is in /etc/systemd/system/multi-user.target.wants'],
    ['/etc/systemd/system/backup@.service', '"backup@.service" is not such a name'],
    ['/etc/systemd/system/.service', '".service" is not such a name'],
    ['/backups/systems/backup-minio.service', 'it is in /backups/systems'],
    ['/etc/systemd/system/backup-minio.socket', '"backup-minio.socket" is not such a name'],
  ] as const).map(([unitPath, why]): HostileCase => ({
    name: `unitPath ${unitPath}`,
    config: () => configWith({ systemd: { unitPath } }),
    problems: [`server.systemd.unitPath: got "${unitPath}"; allowed: a service unit file directly in /etc/systemd/system or /usr/local/lib/systemd/system, named of letters, digits, "_", "." and "-" ending in ".service", such as /etc/systemd/system/backup-minio.service; ${why}`],
  })),

  {
    name: 'unitPath /etc/passwd with systemd.manage false',
    config: () => configWith({ systemd: { unitPath: '/etc/passwd', manage: false } }),
    problems: ['server.systemd.unitPath: got "/etc/passwd"; allowed: a service unit file directly in /etc/systemd/system or /usr/local/lib/systemd/system, named of letters, digits, "_", "." and "-" ending in ".service", such as /etc/systemd/system/backup-minio.service, or, with systemd.manage false, a directory outside the system directories; it is in /etc'],
  },
  {
    name: 'unitPath /srv/units/passwd with systemd.manage false',
    config: () => configWith({ systemd: { unitPath: '/srv/units/passwd', manage: false } }),
    problems: ['server.systemd.unitPath: got "/srv/units/passwd"; allowed: a service unit file directly in /etc/systemd/system or /usr/local/lib/systemd/system, named of letters, digits, "_", "." and "-" ending in ".service", such as /etc/systemd/system/backup-minio.service, or, with systemd.manage false, a directory outside the system directories; "passwd" is not such a name'],
  },

  {
    name: 'Terraform state written over /etc/shadow',
    config: () => configWith({ backend: { localStatePath: '/etc/shadow' } }),
    problems: ['server.backend.localStatePath: got "/etc/shadow"; allowed: a file named "<name>.tfstate" outside the system directories, such as /var/lib/backup-server/terraform.tfstate; it is inside the system directory /etc'],
  },
  {
    name: 'Terraform state that is not a .tfstate file',
    config: () => configWith({ backend: { localStatePath: '/srv/backups/authorized_keys' } }),
    problems: ['server.backend.localStatePath: got "/srv/backups/authorized_keys"; allowed: a file named "<name>.tfstate" outside the system directories, such as /var/lib/backup-server/terraform.tfstate; it does not end in ".tfstate"'],
  },

  // Linux's path limits, on given and on derived paths.
  { name: 'root with a name of 256 bytes', config: () => configWith({ root: `/backups/${'n'.repeat(256)}` }), problems: [
    'server.root: got "/backups/nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn… (265 characters); allowed: an absolute, normalised path of letters, digits and . _ @ + - /, each name at most 255 bytes and 4095 bytes in all; the name "nnnnnnnnnnnnnnnnnnnnnnnn…" in it has 256 bytes; a name has at most 255',
  ] },
  { name: 'certificate path of 4,096 bytes', config: () => configWith({ tlsCertificate: longPath('/srv', 4096), tlsKey: '/srv/key.pem' }), problems: [
    'server.tlsCertificate: got "/srv/dddddddddddddddddddddddddddddddddddddddddddddddddddddd… (4096 characters); allowed: an absolute, normalised path of letters, digits and . _ @ + - /, each name at most 255 bytes and 4095 bytes in all; it has 4096 bytes; a path has at most 4095',
  ] },
  { name: 'rclone configuration with a name of 300 bytes', config: () => configWith({}, { replica: { rcloneTargets: ['b2:bucket/a'], rcloneConfig: `/srv/${'c'.repeat(300)}.conf` } }), problems: [
    'hosts[0].replica.rcloneConfig (host "a.example.com"): got "/srv/cccccccccccccccccccccccccccccccccccccccccccccccccccccc… (310 characters); allowed: an absolute, normalised path of letters, digits and . _ @ + - /, each name at most 255 bytes and 4095 bytes in all; the name "cccccccccccccccccccccccc…" in it has 305 bytes; a name has at most 255',
  ] },
  { name: 'root of 4,000 bytes: the host\'s deepest path is over 4,095', config: () => configWith({ root: longPath('/srv', 4000) }), problems: [
    'hosts[0].name (host "a.example.com"): got "a.example.com"; allowed: a host name whose paths on the server stay within Linux\'s limits (each name at most 255 bytes and 4095 bytes in all; shorten it or server.root); "/srv/ddddddddddddddddddddddddddddddddddd…000000/000000000000000000000000000000000000/part.1": it has 4152 bytes; a path has at most 4095',
  ] },
  { name: 'root of 4,080 bytes: the deploy lock is over 4,095', config: () => ({ server: { serverName: SERVER_NAME, root: longPath('/srv', 4080) }, hosts: [] }), problems: [
    'server.root: got "/srv/dddddddddddddddddddddddddddddddddddddddddddddddddddddd… (4080 characters); allowed: a root whose derived paths stay within Linux\'s limits (each name at most 255 bytes and 4095 bytes in all); "/srv/ddddddddddddddddddddddddddddddddddd…ddddddddddddddddddddddddddddddddd/conf/deploy.lock": it has 4097 bytes; a path has at most 4095',
  ] },
  { name: 'nftables rule directory of 4,090 bytes', config: () => configWith({ firewall: { nftables: { ruleDirectory: longPath('/srv', 4090) } } }), problems: [
    'hosts[0].name (host "a.example.com"): got "a.example.com"; allowed: a host name whose nftables rule file fits (or a shorter firewall.nftables.ruleDirectory): "/srv/ddddddddddddddddddddddddddddddddddd…ddddddddddd/restic_backup_server-a.example.com.nft": it has 4129 bytes; a path has at most 4095',
  ] },

  // Names a firewall derives from a long host name.
  { name: 'iptables comment of a 240-character host name', config: () => ({ server: { serverName: SERVER_NAME, firewall: { backend: 'iptables' } }, hosts: [ipv4Host(longHostName(240))] }), problems: [
    'hosts[0].name (host "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa… (240 characters)): got "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa… (240 characters); allowed: a host name of at most 234 characters with firewall "iptables": its rule comment "restic-backup-server:<host>" has 261 characters; iptables keeps 255',
  ] },
  { name: 'nftables rule file of a 240-character host name', config: () => ({ server: { serverName: SERVER_NAME }, hosts: [ipv4Host(longHostName(240))] }), problems: [
    'hosts[0].name (host "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa… (240 characters)): got "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa… (240 characters); allowed: a host name of at most 230 characters with firewall "nftables" and table "restic_backup_server": its rule file name "restic_backup_server-<host>.nft" has 265 bytes; a file name has at most 255',
  ] },
  { name: 'nftables rule file with a 32-character table', config: () => ({ server: { serverName: SERVER_NAME, firewall: { nftables: { table: 't'.repeat(32) } } }, hosts: [ipv4Host(longHostName(225))] }), problems: [
    'hosts[0].name (host "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa… (225 characters)): got "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa… (225 characters); allowed: a host name of at most 218 characters with firewall "nftables" and table "tttttttttttttttttttttttttttttttt": its rule file name "tttttttttttttttttttttttttttttttt-<host>.nft" has 262 bytes; a file name has at most 255',
  ] },
  { name: 'firewalld record of a 250-character host name', config: () => ({ server: { serverName: SERVER_NAME, firewall: { backend: 'firewalld' } }, hosts: [ipv4Host(longHostName(250))] }), problems: [
    'hosts[0].name (host "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa… (250 characters)): got "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa… (250 characters); allowed: a host name of at most 244 characters with firewall "firewalld": its record file name "<host>.rich-rules" has 261 bytes; a file name has at most 255',
  ] },

  // Bucket names S3 or minio refuse.
  ...([
    ['192.168.5.4', ', not shaped like an IP address'],
    ['a..b', ', without "..", ".-" or "-."; it contains ".."'],
    ['a.-b', ', without "..", ".-" or "-."; it contains ".-"'],
    ['a-.b', ', without "..", ".-" or "-."; it contains "-."'],
    ['minio', ', other than "minio", which minio keeps for itself'],
    ['.minio.sys', ''],
    ['ab', '; it has 2 characters'],
    ['b'.repeat(64), '; it has 64 characters'],
    ['xn--backups', ', not starting with "xn--", which S3 reserves'],
    ['backups-s3alias', ', not ending with "-s3alias", which S3 reserves'],
    ['Backups', ''],
  ] as const).map(([bucket, why]): HostileCase => ({
    name: `bucket ${bucket}`,
    config: () => configWith({}, { bucket }),
    problems: [`hosts[0].bucket (host "${HOST}"): got "${bucket}"; allowed: an S3 bucket name: 3-63 characters of a-z, 0-9, "." and "-", starting and ending with a letter or digit${why}`],
  })),

  // Privileged accounts.
  { name: 'user root', config: () => configWith({ user: 'root' }), problems: [
    'server.user: got "root"; allowed: a user or group name: a-z or "_" first, then a-z, 0-9, "_" or "-", 32 characters at most, of an unprivileged account such as "backups"; "root" is root or leads to root',
  ] },
  { name: 'group root', config: () => configWith({ group: 'root' }), problems: [
    'server.group: got "root"; allowed: a user or group name: a-z or "_" first, then a-z, 0-9, "_" or "-", 32 characters at most, of an unprivileged account such as "backups"; "root" is root or leads to root',
  ] },
  { name: 'user toor (uid 0 on BSD)', config: () => configWith({ user: 'toor' }), problems: [
    'server.user: got "toor"; allowed: a user or group name: a-z or "_" first, then a-z, 0-9, "_" or "-", 32 characters at most, of an unprivileged account such as "backups"; "toor" is root or leads to root',
  ] },
  { name: 'user 0', config: () => configWith({ user: '0' }), problems: [
    'server.user: got "0"; allowed: a user or group name: a-z or "_" first, then a-z, 0-9, "_" or "-", 32 characters at most',
  ] },
  { name: 'group sudo', config: () => configWith({ group: 'sudo' }), problems: [
    'server.group: got "sudo"; allowed: a user or group name: a-z or "_" first, then a-z, 0-9, "_" or "-", 32 characters at most, of an unprivileged account such as "backups"; "sudo" is root or leads to root',
  ] },
  { name: 'group docker', config: () => configWith({ group: 'docker' }), problems: [
    'server.group: got "docker"; allowed: a user or group name: a-z or "_" first, then a-z, 0-9, "_" or "-", 32 characters at most, of an unprivileged account such as "backups"; "docker" is root or leads to root',
  ] },

  // Networks open to (nearly) everyone without the opt-in, and IPv4-mapped IPv6.
  { name: 'allowFrom 0.0.0.0/0', config: () => configWith({}, { allowFrom: ['0.0.0.0/0'] }), problems: [
    'hosts[0].allowFrom[0] (host "a.example.com"): got "0.0.0.0/0"; allowed: a network of /8 or longer (IPv4) or /32 or longer (IPv6): "0.0.0.0/0" opens the port to the whole internet; to mean it, set allowFromAnywhere: true on this host',
  ] },
  { name: 'allowFrom ::/0', config: () => configWith({}, { allowFrom: ['192.0.2.10/32', '::/0'] }), problems: [
    'hosts[0].allowFrom[1] (host "a.example.com"): got "::/0"; allowed: a network of /8 or longer (IPv4) or /32 or longer (IPv6): "::/0" opens the port to the whole internet; to mean it, set allowFromAnywhere: true on this host',
  ] },
  { name: 'allowFrom 10.0.0.0/7', config: () => configWith({}, { allowFrom: ['10.0.0.0/7'] }), problems: [
    'hosts[0].allowFrom[0] (host "a.example.com"): got "10.0.0.0/7"; allowed: a network of /8 or longer (IPv4) or /32 or longer (IPv6): "10.0.0.0/7" opens the port to a large part of the internet; to mean it, set allowFromAnywhere: true on this host',
  ] },
  { name: 'allowFrom 2000::/3', config: () => configWith({}, { allowFrom: ['2000::/3'] }), problems: [
    'hosts[0].allowFrom[0] (host "a.example.com"): got "2000::/3"; allowed: a network of /8 or longer (IPv4) or /32 or longer (IPv6): "2000::/3" opens the port to a large part of the internet; to mean it, set allowFromAnywhere: true on this host',
  ] },
  { name: 'allowFromAnywhere without a wide network', config: () => configWith({}, { allowFromAnywhere: true }), problems: [
    'hosts[0].allowFromAnywhere (host "a.example.com"): got true; allowed: true only beside a network shorter than /8 (IPv4) or /32 (IPv6) in allowFrom; this host has none, so leave it out',
  ] },
  { name: 'allowFromAnywhere as a string', config: () => configWith({}, { allowFrom: ['0.0.0.0/0'], allowFromAnywhere: 'yes' }), problems: [
    'hosts[0].allowFromAnywhere (host "a.example.com"): got "yes"; allowed: a value of type boolean',
    'hosts[0].allowFrom[0] (host "a.example.com"): got "0.0.0.0/0"; allowed: a network of /8 or longer (IPv4) or /32 or longer (IPv6): "0.0.0.0/0" opens the port to the whole internet; to mean it, set allowFromAnywhere: true on this host',
  ] },
  { name: 'IPv4-mapped IPv6 address', config: () => configWith({}, { allowFrom: ['::ffff:192.0.2.10/128'] }), problems: [
    'hosts[0].allowFrom[0] (host "a.example.com"): got "::ffff:192.0.2.10/128"; allowed: an IPv4 or IPv6 network in CIDR notation such as 192.0.2.0/24 or 2001:db8::/48; an IPv4-mapped IPv6 network never matches a packet: write the IPv4 network "192.0.2.10/32"',
  ] },
  { name: 'IPv4-mapped IPv6 network in hex', config: () => configWith({}, { allowFrom: ['::ffff:c000:200/120'] }), problems: [
    'hosts[0].allowFrom[0] (host "a.example.com"): got "::ffff:c000:200/120"; allowed: an IPv4 or IPv6 network in CIDR notation such as 192.0.2.0/24 or 2001:db8::/48; an IPv4-mapped IPv6 network never matches a packet: write the IPv4 network "192.0.2.0/24"',
  ] },

  // Data that is not plain: read once, as data, or refused.
  {
    name: 'a getter answering a safe root first and /etc afterwards',
    config: () => {
      let reads = 0;
      const server = { serverName: SERVER_NAME };
      Object.defineProperty(server, 'root', { enumerable: true, get: () => { getterCalls.count++; return reads++ === 0 ? '/backups/systems' : '/etc'; } });
      return { server, hosts: [oneHost()] };
    },
    problems: [
      'server.root: got a getter; allowed: plain data: strings, numbers, booleans, arrays and object literals of own, enumerable fields (no getters or setters, class instances, prototypes, functions, symbols, proxies or cycles)',
    ],
  },
  {
    name: 'a getter on a host name',
    config: () => {
      const host = oneHost();
      Object.defineProperty(host, 'name', { enumerable: true, get: () => { getterCalls.count++; return HOST; } });
      return { server: { serverName: SERVER_NAME }, hosts: [host] };
    },
    problems: [
      'hosts[0].name: got a getter; allowed: plain data: strings, numbers, booleans, arrays and object literals of own, enumerable fields (no getters or setters, class instances, prototypes, functions, symbols, proxies or cycles)',
    ],
  },
  {
    name: 'a setter only',
    config: () => {
      const server = { serverName: SERVER_NAME };
      Object.defineProperty(server, 'user', { enumerable: true, set: () => undefined });
      return { server, hosts: [] };
    },
    problems: [
      'server.user: got a setter; allowed: plain data: strings, numbers, booleans, arrays and object literals of own, enumerable fields (no getters or setters, class instances, prototypes, functions, symbols, proxies or cycles)',
    ],
  },
  { name: '__proto__ in an object literal smuggling root /etc', config: () => ({ server: { serverName: SERVER_NAME, __proto__: { root: '/etc' } }, hosts: [oneHost()] }), problems: [
    'server: got an object with a prototype of its own (such as a "__proto__" key in an object literal); allowed: plain data: strings, numbers, booleans, arrays and object literals of own, enumerable fields (no getters or setters, class instances, prototypes, functions, symbols, proxies or cycles)',
  ] },
  { name: '__proto__ as a JSON key', config: () => ({ server: JSON.parse(`{"serverName": "${SERVER_NAME}", "__proto__": {"root": "/etc"}}`), hosts: [] }), problems: [
    'server.__proto__: got {root:"/etc"}; allowed: only the documented fields of lib/config/types.ts (is it misspelt?)',
  ] },
  { name: 'a host made with Object.create', config: () => ({ server: { serverName: SERVER_NAME }, hosts: [Object.create(oneHost())] }), problems: [
    'hosts[0]: got an object with a prototype of its own (such as a "__proto__" key in an object literal); allowed: plain data: strings, numbers, booleans, arrays and object literals of own, enumerable fields (no getters or setters, class instances, prototypes, functions, symbols, proxies or cycles)',
  ] },
  { name: 'a class instance as server', config: () => ({ server: new Account(SERVER_NAME), hosts: [] }), problems: [
    'server: got an instance of Account; allowed: plain data: strings, numbers, booleans, arrays and object literals of own, enumerable fields (no getters or setters, class instances, prototypes, functions, symbols, proxies or cycles)',
  ] },
  { name: 'a Date as certificate path', config: () => configWith({}, { tlsCertificate: new Date(0), tlsKey: '/srv/key.pem' }), problems: [
    'hosts[0].tlsCertificate (host "a.example.com"): got an instance of Date; allowed: plain data: strings, numbers, booleans, arrays and object literals of own, enumerable fields (no getters or setters, class instances, prototypes, functions, symbols, proxies or cycles)',
  ] },
  { name: 'a function as port', config: () => configWith({}, { port: () => 9001 }), problems: [
    'hosts[0].port (host "a.example.com"): got a function; allowed: plain data: strings, numbers, booleans, arrays and object literals of own, enumerable fields (no getters or setters, class instances, prototypes, functions, symbols, proxies or cycles)',
  ] },
  { name: 'a symbol as bucket', config: () => configWith({}, { bucket: Symbol('backups') }), problems: [
    'hosts[0].bucket (host "a.example.com"): got a symbol; allowed: plain data: strings, numbers, booleans, arrays and object literals of own, enumerable fields (no getters or setters, class instances, prototypes, functions, symbols, proxies or cycles)',
  ] },
  { name: 'a field named by a symbol', config: () => configWith({}, { [Symbol('root')]: '/etc' }), problems: [
    'hosts[0][Symbol(root)] (host "a.example.com"): got a field named by a symbol; allowed: plain data: strings, numbers, booleans, arrays and object literals of own, enumerable fields (no getters or setters, class instances, prototypes, functions, symbols, proxies or cycles)',
  ] },
  {
    name: 'a cycle',
    config: () => {
      const host: Fields = oneHost();
      host.replica = { self: host };
      return { server: { serverName: SERVER_NAME }, hosts: [host] };
    },
    problems: [
      'hosts[0].replica.self (host "a.example.com"): got an object that contains itself (a cycle); allowed: plain data: strings, numbers, booleans, arrays and object literals of own, enumerable fields (no getters or setters, class instances, prototypes, functions, symbols, proxies or cycles)',
    ],
  },
  { name: 'a Proxy as server', config: () => ({ server: new Proxy({ serverName: SERVER_NAME }, {}), hosts: [] }), problems: [
    'server: got a Proxy; allowed: plain data: strings, numbers, booleans, arrays and object literals of own, enumerable fields (no getters or setters, class instances, prototypes, functions, symbols, proxies or cycles)',
  ] },
  {
    name: 'a hidden (non-enumerable) root',
    config: () => {
      const server = { serverName: SERVER_NAME };
      Object.defineProperty(server, 'root', { enumerable: false, value: '/etc' });
      return { server, hosts: [] };
    },
    problems: [
      'server.root: got a hidden (non-enumerable) property; allowed: plain data: strings, numbers, booleans, arrays and object literals of own, enumerable fields (no getters or setters, class instances, prototypes, functions, symbols, proxies or cycles)',
    ],
  },
  { name: 'hosts with an extra property', config: () => ({ server: { serverName: SERVER_NAME }, hosts: Object.assign([oneHost()], { root: '/etc' }) }), problems: [
    'hosts.root: got a property of an array that is not one of its items; allowed: plain data: strings, numbers, booleans, arrays and object literals of own, enumerable fields (no getters or setters, class instances, prototypes, functions, symbols, proxies or cycles)',
  ] },
  { name: 'hosts as an Array subclass', config: () => ({ server: { serverName: SERVER_NAME }, hosts: class Hosts extends Array {}.from([oneHost()]) }), problems: [
    'hosts: got an instance of Hosts; allowed: plain data: strings, numbers, booleans, arrays and object literals of own, enumerable fields (no getters or setters, class instances, prototypes, functions, symbols, proxies or cycles)',
  ] },
  { name: 'hosts of length 2 ** 32 - 1', config: () => ({ server: { serverName: SERVER_NAME }, hosts: Object.assign([], { length: 2 ** 32 - 1 }) }), problems: [
    'hosts: got an array of 4294967295 items (at most 65536); allowed: plain data: strings, numbers, booleans, arrays and object literals of own, enumerable fields (no getters or setters, class instances, prototypes, functions, symbols, proxies or cycles)',
  ] },
  // eslint-disable-next-line no-sparse-arrays
  { name: 'a hole in hosts', config: () => ({ server: { serverName: SERVER_NAME }, hosts: [, oneHost()] }), problems: [
    'hosts[0]: got nothing; allowed: a value of type object',
  ] },
  { name: 'nesting 100 deep', config: () => configWith({}, { replica: Array.from({ length: 100 }).reduce<unknown>((inner) => ({ inner }), {}) }), problems: [
    'hosts[0].replica.inner.inner.inner.inner.inner.inner.inner.inner.inner.inner.inner.inner.inner.inner.inner.inner.inner.inner.inner.inner.inner.inner.inner.inner.inner.inner.inner.inner.inner.inner (host "a.example.com"): got data nested more than 32 deep; allowed: plain data: strings, numbers, booleans, arrays and object literals of own, enumerable fields (no getters or setters, class instances, prototypes, functions, symbols, proxies or cycles)',
  ] },

  // Numbers as they are, not as JSON shows them.
  { name: 'port NaN', config: () => configWith({}, { port: Number.NaN }), problems: [
    'hosts[0].port (host "a.example.com"): got NaN; allowed: a finite number',
  ] },
  { name: 'port Infinity', config: () => configWith({}, { port: Number.POSITIVE_INFINITY }), problems: [
    'hosts[0].port (host "a.example.com"): got Infinity; allowed: a finite number',
  ] },
  { name: 'console port -Infinity', config: () => configWith({}, { consolePort: Number.NEGATIVE_INFINITY }), problems: [
    'hosts[0].consolePort (host "a.example.com"): got -Infinity; allowed: a finite number',
  ] },
  { name: 'port 9001n', config: () => configWith({}, { port: 9001n }), problems: [
    'hosts[0].port (host "a.example.com"): got 9001n; allowed: a value of type number',
  ] },
  { name: 'port -0', config: () => configWith({}, { port: -0 }), problems: [
    'hosts[0].port (host "a.example.com"): got -0; allowed: an integer from 1024 to 65535',
  ] },

  // Control and bidi characters never reach the terminal raw.
  { name: 'host name with U+202E', config: () => configWith({}, { name: 'a\u202Emoc.elpmaxe.b' }), problems: [
    'hosts[0].name (host "a\\u202emoc.elpmaxe.b"): got "a\\u202emoc.elpmaxe.b"; allowed: a lower-case RFC 1123 host name (labels of a-z, 0-9 and inner "-", 1-63 characters, 253 in all); it contains the non-ASCII or control character U+202E (look-alike letters are not allowed)',
  ] },
  { name: 'misspelt field with U+2066 and U+2069', config: () => configWith({}, { ['allow\u2066From\u2069']: ['192.0.2.0/24'] }), problems: [
    'hosts[0]["allow\\u2066From\\u2069"] (host "a.example.com"): got ["192.0.2.0/24"]; allowed: only the documented fields of lib/config/types.ts (is it misspelt?)',
  ] },
  { name: 'bucket with ESC', config: () => configWith({}, { bucket: 'b\u001b[31mred' }), problems: [
    'hosts[0].bucket (host "a.example.com"): got "b\\u001b[31mred"; allowed: an S3 bucket name: 3-63 characters of a-z, 0-9, "." and "-", starting and ending with a letter or digit',
  ] },
  { name: 'certificate path with BEL', config: () => configWith({}, { tlsCertificate: '/srv/a\u0007.crt', tlsKey: '/srv/a.key' }), problems: [
    'hosts[0].tlsCertificate (host "a.example.com"): got "/srv/a\\u0007.crt"; allowed: an absolute, normalised path of letters, digits and . _ @ + - /; it contains the character U+0007',
  ] },
  { name: 'allowFrom with a newline and U+200F', config: () => configWith({}, { allowFrom: ['192.0.2.0/24\n\u200F'] }), problems: [
    'hosts[0].allowFrom[0] (host "a.example.com"): got "192.0.2.0/24\\n\\u200f"; allowed: an IPv4 or IPv6 network in CIDR notation such as 192.0.2.0/24 or 2001:db8::/48',
  ] },
  { name: 'server name with C1 CSI (U+009B)', config: () => configWith({ serverName: 'backup\u009B2J.example.com' }), problems: [
    'server.serverName: got "backup\\u009b2J.example.com"; allowed: a lower-case RFC 1123 host name (labels of a-z, 0-9 and inner "-", 1-63 characters, 253 in all); it contains the non-ASCII or control character U+009B (look-alike letters are not allowed)',
  ] },
  { name: 'prefix with DEL', config: () => configWith({}, { prefix: 'restic\u007F' }), problems: [
    'hosts[0].prefix (host "a.example.com"): got "restic\\u007f"; allowed: a prefix of "/"-separated segments of letters, digits, "." "_" "-" (not starting with "."), at most 200 characters, without leading or trailing "/"',
  ] },
  { name: 'unknown field whose value holds U+2028 and U+200E', config: () => configWith({}, { note: 'line\u2028\u200Eone' }), problems: [
    'hosts[0].note (host "a.example.com"): got "line\\u2028\\u200eone"; allowed: only the documented fields of lib/config/types.ts (is it misspelt?)',
  ] },
];
