/** The ancestor rule (lib/security/ancestors.ts) on fake trees: each clause, and its exact message. */
import { ancestorCheckedPaths, ancestorFindings, pathComponents, resolveConfig, type AncestorFs, type AncestorStats } from '../../lib';

interface Node {
  readonly uid?: number;
  readonly gid?: number;
  /** Permission bits. */
  readonly mode: number;
  readonly type?: 'dir' | 'file' | 'link';
  /** For links: the absolute target. */
  readonly target?: string;
}

/** A fake file system: every path listed exists; a link's target is resolved by realpath. */
function fakeFs(tree: Readonly<Record<string, Node>>): AncestorFs {
  const stats = (node: Node): AncestorStats => ({
    uid: node.uid ?? 0,
    gid: node.gid ?? 0,
    mode: node.mode,
    isDirectory: () => (node.type ?? 'dir') === 'dir',
    isSymbolicLink: () => node.type === 'link',
  });
  const resolve = (path: string): string => {
    let resolved = '';
    for (const component of pathComponents(path).slice(1)) {
      const candidate = `${resolved}/${component.slice(component.lastIndexOf('/') + 1)}`;
      const node = tree[candidate];
      resolved = node?.type === 'link' ? resolve(node.target!) : candidate;
    }
    return resolved === '' ? '/' : resolved;
  };
  return {
    lstat: (path) => {
      // Intermediate links are followed, as the kernel does.
      const parent = path === '/' ? '/' : resolve(path.slice(0, path.lastIndexOf('/')) || '/');
      const node = tree[path === '/' ? '/' : `${parent === '/' ? '' : parent}/${path.slice(path.lastIndexOf('/') + 1)}`];
      return node === undefined ? undefined : stats(node);
    },
    realpath: resolve,
    userName: (uid) => ({ 0: 'root', 994: 'backups' } as Record<number, string>)[uid],
    groupName: (gid) => ({ 0: 'root', 993: 'backups' } as Record<number, string>)[gid],
  };
}

const SYSTEM: Readonly<Record<string, Node>> = {
  '/': { mode: 0o755 },
  '/backups': { mode: 0o755 },
  '/backups/systems': { mode: 0o755 },
  '/backups/systems/conf': { mode: 0o750, gid: 993 },
  '/tmp': { mode: 0o1777 },
};
const ROOT = [{ label: 'server.root', path: '/backups/systems' }];
const problems = (tree: Readonly<Record<string, Node>>, paths = ROOT) => ancestorFindings(paths, fakeFs(tree)).map(({ path, problem }) => `${path}: ${problem}`);

test('pathComponents: from / down, lexically', () => {
  expect(pathComponents('/backups/systems/conf')).toEqual(['/', '/backups', '/backups/systems', '/backups/systems/conf']);
  expect(pathComponents('/')).toEqual(['/']);
});

test('a tree of root, writable by root only: nothing to report', () => {
  expect(problems(SYSTEM)).toEqual([]);
});

test('an ancestor owned by another account, with the exact message', () => {
  const findings = ancestorFindings(ROOT, fakeFs({ ...SYSTEM, '/backups': { mode: 0o755, uid: 994, gid: 993 } }));
  expect(findings.map(({ message }) => message)).toEqual([
    'directory /backups (owner backups (uid 994), group backups (gid 993), mode 0755) is not owned by root; it is on the way to server.root /backups/systems, which root acts on: only root may be able to change it',
  ]);
  expect(findings[0]).toMatchObject({ path: '/backups', uid: 994, gid: 993, mode: 0o755, of: ROOT[0] });
});

test('the path itself must be root\'s too, but its own mode is not judged (it is no ancestor)', () => {
  expect(problems({ ...SYSTEM, '/backups/systems': { mode: 0o777, uid: 994 } })).toEqual(['/backups/systems: not owned by root']);
  expect(problems({ ...SYSTEM, '/backups/systems': { mode: 0o777 } })).toEqual([]);
});

test('an ancestor writable by its group: refused unless the group is root\'s', () => {
  expect(problems({ ...SYSTEM, '/backups': { mode: 0o775, gid: 993 } })).toEqual(['/backups: writable by its group backups (gid 993)']);
  expect(problems({ ...SYSTEM, '/backups': { mode: 0o775, gid: 0 } })).toEqual([]);
});

test('an ancestor writable by others; both problems at once', () => {
  expect(problems({ ...SYSTEM, '/backups': { mode: 0o777 } })).toEqual(['/backups: writable by others']);
  expect(problems({ ...SYSTEM, '/backups': { mode: 0o777, uid: 994, gid: 993 } })).toEqual(['/backups: not owned by root, writable by its group backups (gid 993), writable by others']);
});

describe('a sticky directory (like /tmp)', () => {
  const IN_TMP = [{ label: 'server.root', path: '/tmp/plan/systems' }];
  test('is acceptable when the next component is root\'s', () => {
    expect(problems({ ...SYSTEM, '/tmp/plan': { mode: 0o755 }, '/tmp/plan/systems': { mode: 0o755 } }, IN_TMP)).toEqual([]);
  });
  test('is not when the next component belongs to another account', () => {
    expect(problems({ ...SYSTEM, '/tmp/plan': { mode: 0o755, uid: 994 } }, IN_TMP)).toEqual([
      '/tmp: writable by others (sticky, but its next component /tmp/plan is not owned by root)',
      '/tmp/plan: not owned by root',
    ]);
  });
  test('is not when the next component does not exist: anyone may create it', () => {
    expect(problems(SYSTEM, IN_TMP)).toEqual(['/tmp: writable by others (sticky, but its next component /tmp/plan does not exist, so anyone may create it)']);
  });
  test('without the sticky bit, others may rename what is in it: refused even above root\'s', () => {
    expect(problems({ ...SYSTEM, '/tmp': { mode: 0o777 }, '/tmp/plan': { mode: 0o755 }, '/tmp/plan/systems': { mode: 0o755 } }, IN_TMP)).toEqual(['/tmp: writable by others']);
  });
});

describe('symbolic links', () => {
  test('judged by their owner only (a link\'s mode is always 0777); the target is walked as well', () => {
    const tree = { ...SYSTEM, '/srv': { mode: 0o755 }, '/srv/data': { mode: 0o755 }, '/srv/data/systems': { mode: 0o755 }, '/backups': { mode: 0o777, type: 'link' as const, target: '/srv/data' } };
    expect(problems(tree)).toEqual([]);
    expect(problems({ ...tree, '/backups': { ...tree['/backups'], uid: 994 } })).toEqual(['/backups: not owned by root']);
  });

  test('an unsafe directory reached only through the link is found by the realpath walk', () => {
    const tree = { ...SYSTEM, '/srv': { mode: 0o777 }, '/srv/data': { mode: 0o755 }, '/srv/data/systems': { mode: 0o755 }, '/backups': { mode: 0o777, type: 'link' as const, target: '/srv/data' } };
    expect(problems(tree)).toEqual(['/srv: writable by others']);
  });

  test('a binary linked into another tree: the link\'s owner, then the target\'s ancestors', () => {
    const tree = {
      '/': { mode: 0o755 }, '/usr': { mode: 0o755 }, '/usr/local': { mode: 0o755 }, '/usr/local/bin': { mode: 0o755 },
      '/usr/local/bin/backup-syncd': { mode: 0o777, type: 'link' as const, target: '/opt/checkout/bin/backup-syncd' },
      '/opt': { mode: 0o755 }, '/opt/checkout': { mode: 0o775, uid: 1000, gid: 1000 }, '/opt/checkout/bin': { mode: 0o755 },
      '/opt/checkout/bin/backup-syncd': { mode: 0o755, type: 'file' as const },
    };
    expect(problems(tree, [{ label: 'server.backupSyncdCommand', path: '/usr/local/bin/backup-syncd' }])).toEqual([
      '/opt/checkout: not owned by root, writable by its group gid 1000',
    ]);
  });
});

test('a path that does not exist yet: its existing components, lexically and resolved', () => {
  const tree = { ...SYSTEM, '/etc': { mode: 0o777 } };
  expect(problems(tree, [{ label: 'firewall.nftables.ruleDirectory', path: '/etc/nftables.d' }])).toEqual(['/etc: writable by others']);
});

test('a component shared by several paths is reported once per problem', () => {
  const tree = { ...SYSTEM, '/backups': { mode: 0o777 } };
  expect(problems(tree, [...ROOT, { label: 'backend.localStatePath', path: '/backups/systems/conf/terraform/terraform.tfstate' }])).toEqual(['/backups: writable by others']);
});

test('the checked paths of a configuration: root, unit, rule directory, state, TLS files and binaries, once each', () => {
  const config = resolveConfig({
    server: { serverName: 'backup.example.com' },
    hosts: [{ name: 'a.example.com', port: 9001 }, { name: 'b.example.com', port: 9002, tlsCertificate: '/etc/ssl/b.crt', tlsKey: '/etc/ssl/b.key' }],
  });
  expect(ancestorCheckedPaths(config).map(({ label, path }) => `${label} ${path}`)).toEqual([
    'server.root /backups/systems',
    'systemd.unitPath /etc/systemd/system/backup-minio.service',
    'firewall.nftables.ruleDirectory /etc/nftables.d',
    'backend.localStatePath /backups/systems/conf/terraform/terraform.tfstate',
    'server.tlsCertificate /backups/systems/conf/public.crt',
    'server.tlsKey /backups/systems/conf/private.key',
    'the tlsCertificate of b.example.com /etc/ssl/b.crt',
    'the tlsKey of b.example.com /etc/ssl/b.key',
    'server.minioBinary /usr/local/bin/minio',
    'server.restServerBinary /usr/local/bin/rest-server',
    'server.rcloneBinary /usr/bin/rclone',
    'server.backupSyncdCommand /usr/local/bin/backup-syncd',
  ]);
});
