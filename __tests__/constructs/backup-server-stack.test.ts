import { Testing, LocalFile } from '../../lib/terraform';
import 'cdktf/lib/testing/adapters/jest'; // types of the matchers that Testing.setupJest() installs
import { BackupServerStack, ConfigError, App, hostAccounts } from '../../lib';
import { example, host, withHosts } from '../support/fixtures';
import { synthJson, synthObject } from '../support/synth';

Testing.setupJest();

const synthesized = synthJson(example);
const json = synthObject(example);
const nullResource = (id: string) => json.resource.null_resource[id] as { triggers: Record<string, string>; provisioner: Array<{ 'local-exec': { command: string; when?: string } }>; depends_on?: string[] };

describe('each resource kind, with cdktf matchers', () => {
  test('run scripts of every service as executable local_files', () => {
    // Each log is written by the account that owns it: the storage account its own, the replicator the rest.
    const storage = hostAccounts('ahost.example.com').storage;
    const replicator = hostAccounts('ahost.example.com').replicator;
    for (const [service, loggerGroups] of [['minio', `${storage}:${storage}`], ['backup-syncd', `${replicator}:${replicator}:${storage}`], ['runsvdir', `${replicator}:${replicator}:${storage}`]] as const) {
      const dir = service === 'runsvdir' ? 'conf/runsvdir' : `conf/runsvs/${service}`;
      expect(synthesized).toHaveResourceWithProperties(LocalFile, { filename: `/backups/systems/ahost.example.com/${dir}/run`, file_permission: '0755' });
      expect(synthesized).toHaveResourceWithProperties(LocalFile, {
        filename: `/backups/systems/ahost.example.com/${dir}/log/run`,
        content: expect.stringContaining(`umask 027\nexec chpst -u ${loggerGroups} svlogd -tt /backups/systems/ahost.example.com/logs/${service}\n`),
      });
    }
  });

  test('minio runs with current credentials variables, its port, certs dir, data dir and no console', () => {
    expect(synthesized).toHaveResourceWithProperties(LocalFile, {
      filename: '/backups/systems/ahost.example.com/conf/runsvs/minio/run',
      content: expect.stringMatching(/export MINIO_ROOT_USER MINIO_ROOT_PASSWORD\nMINIO_BROWSER=off\nexport MINIO_BROWSER\numask 027\nexec chpst -u bks-ahost-example-com-a3ea77cb:bks-ahost-example-com-a3ea77cb:backups \/usr\/local\/bin\/minio server --quiet --address :9001 --certs-dir \/backups\/systems\/ahost.example.com\/conf\/minio\/certs \/backups\/systems\/ahost.example.com\/minio\n$/),
    });
  });

  test('a console port fixes the console instead of disabling it', () => {
    expect(synthesized).toHaveResourceWithProperties(LocalFile, {
      filename: '/backups/systems/bhost.example.com/conf/runsvs/minio/run',
      content: expect.stringContaining('--address :9002 --console-address :9102 --certs-dir'),
    });
    expect(json.resource.local_file['hosts_bhost_example_com_minio-run']!.content).not.toContain('MINIO_BROWSER');
  });

  test('backup-syncd watches the bucket and prefix and runs replica_sync', () => {
    expect(synthesized).toHaveResourceWithProperties(LocalFile, {
      filename: '/backups/systems/bhost.example.com/conf/runsvs/backup-syncd/run',
      content: expect.stringContaining('/usr/local/bin/backup-syncd --host bhost.example.com --watch /backups/systems/bhost.example.com/minio/bhost/restic/daily --script /backups/systems/bhost.example.com/conf/replica_sync --state /backups/systems/bhost.example.com/state/state.json --log-config /backups/systems/bhost.example.com/conf/backup-syncd.log.conf'),
    });
    expect(synthesized).toHaveResourceWithProperties(LocalFile, { filename: '/backups/systems/bhost.example.com/conf/replica_sync', file_permission: '0755' });
    expect(synthesized).toHaveResourceWithProperties(LocalFile, { filename: '/backups/systems/bhost.example.com/conf/backup-syncd.log.conf', content: expect.stringContaining('level=info\nformat=text\n') });
  });

  test('a host with rclone targets gets a replica_sync that copies to them, from minio through its S3 API', () => {
    for (const text of ['set -- offsite:restic-replicas/ahost.example.com\n', 'RCLONE_CONFIG_BACKUPSERVERSTORAGE_ENDPOINT=https://backup.example.com:9001\n', 'if replicate "$target"; then']) {
      expect(synthesized).toHaveResourceWithProperties(LocalFile, {
        filename: '/backups/systems/ahost.example.com/conf/replica_sync',
        content: expect.stringContaining(text),
      });
    }
  });

  test('layout: checks ancestors and TLS files first, then accounts, directories with owners and modes, links, marker', () => {
    const command = nullResource('hosts_mail_example_org_layout').provisioner[0]!['local-exec'].command;
    const { storage, replicator } = hostAccounts('mail.example.org');
    const order = [
      'check_ancestors /etc/ssl/backup/mail.example.org.crt /etc/ssl/backup/mail.example.org.key /usr/local/bin/rest-server /usr/local/bin/backup-syncd\n',
      'for file in /etc/ssl/backup/mail.example.org.crt /etc/ssl/backup/mail.example.org.key',
      `useradd --system --user-group --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin --groups backups ${storage}\n`,
      `useradd --system --user-group --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin --groups ${storage} ${replicator}\n`,
      `make_dir /backups/systems/mail.example.org root ${storage} 00750\n`,
      `make_dir /backups/systems/mail.example.org/rest-server ${storage} ${storage} 2750\n`,
      `make_dir /backups/systems/mail.example.org/logs/rest-server ${storage} ${storage} 2750\n`,
      `make_dir /backups/systems/mail.example.org/state ${replicator} ${replicator} 2750\n`,
      `hand_over /backups/systems/mail.example.org/rest-server backups ${storage} ${storage}\n`,
      'lock_away /backups/systems/mail.example.org/conf/backup-syncd\n',
      'make_link /etc/ssl/backup/mail.example.org.crt /backups/systems/mail.example.org/conf/rest-server/certs/public.crt',
      'make_link /etc/ssl/backup/mail.example.org.key /backups/systems/mail.example.org/conf/rest-server/certs/private.key', `'{"format":2,"name":"mail.example.org","port":9003,"storage":"rest-server","tlsCertificate":"/etc/ssl/backup/mail.example.org.crt","tlsKey":"/etc/ssl/backup/mail.example.org.key","allowFrom":["203.0.113.25/32"],"consolePort":null}'`];
    const positions = order.map((text) => command.indexOf(text));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(nullResource('hosts_mail_example_org_layout').provisioner).toHaveLength(1); // never removes anything
  });

  test('credentials: generated on the server once, by the layout step, after the layout', () => {
    const command = nullResource('hosts_ahost_example_com_layout').provisioner[0]!['local-exec'].command;
    const credentials = command.indexOf('\n(\n# Generate the minio credentials of ahost.example.com once\nset -eu\n');
    expect(command.slice(credentials)).toContain('file=/backups/systems/ahost.example.com/conf/minio/config.json\nif [ -e "$file" ] || [ -L "$file" ]; then\n  own_file "$file" root bkr-ahost-example-com-a3ea77cb 0640\n');
    expect(credentials).toBeGreaterThan(command.indexOf('make_dir /backups/systems/ahost.example.com root'));
    expect(command.slice(credentials)).toContain("access=$(LC_ALL=C tr -dc A-Z0-9 </dev/urandom | head -c 20)");
    expect(command.slice(credentials)).toContain("secret=$(LC_ALL=C tr -dc A-Za-z0-9_- </dev/urandom | head -c 40)");
    expect(command.slice(credentials)).toContain('ln "$tmp" "$file"');
    expect(command.endsWith('\n)')).toBe(true);
  });

  test('service: the enabling link, removed by the destroy provisioner of the old configuration', () => {
    const service = nullResource('hosts_ahost_example_com_service');
    expect(service.provisioner[0]!['local-exec'].command).toContain('ln -sfnT /backups/systems/ahost.example.com/conf/runsvdir /backups/systems/conf/runit/ahost.example.com');
    expect(service.provisioner[1]!['local-exec']).toMatchObject({ when: 'destroy', command: '${self.triggers.on_destroy}' });
    expect(service.triggers.on_destroy).toContain('rm -f /backups/systems/conf/runit/ahost.example.com\nservice=/backups/systems/ahost.example.com/conf/runsvdir\nif sv status "$service"');
    expect(service.depends_on).toEqual(expect.arrayContaining(['null_resource.hosts_ahost_example_com_layout', 'local_file.hosts_ahost_example_com_minio-run']));
  });

  test('server: layout, systemd unit and its activation, retirement of removed hosts', () => {
    expect(synthesized).toHaveResourceWithProperties(LocalFile, { filename: '/etc/systemd/system/backup-minio.service', content: expect.stringContaining('ExecStart=/usr/bin/runsvdir -P /backups/systems/conf/runit/\nWorkingDirectory=/backups/systems\nRestart=always\nKillMode=process\nKillSignal=SIGHUP\nSuccessExitStatus=111\nUMask=0022\n') });
    expect(nullResource('server_systemd-activation').provisioner[0]!['local-exec'].command).toContain('systemctl enable backup-minio.service');
    expect(nullResource('server_retire-removed-hosts').provisioner[0]!['local-exec'].command).toContain("desired=' ahost.example.com bhost.example.com mail.example.org '");
    const layout = nullResource('server_layout').provisioner[0]!['local-exec'].command;
    expect(layout).toContain('\ncheck_ancestors /backups/systems /etc/systemd/system/backup-minio.service /backups/systems/conf/terraform/terraform.tfstate /backups/systems/conf/public.crt /backups/systems/conf/private.key /etc/nftables.d\n');
    expect(layout.endsWith('\ngetent group backups >/dev/null || groupadd --system backups\nmake_dir /backups/systems root root 00755\nmake_dir /backups/systems/conf root backups 00751\nmake_dir /backups/systems/conf/runit root root 00700\nmake_dir /backups/systems/conf/firewall root root 00700\nmake_dir /backups/systems/conf/terraform root root 00700')).toBe(true);
    // The unit is written only after the ancestors of its path were checked.
    expect(json.resource.local_file['server_systemd-unit']!.depends_on).toEqual(['null_resource.server_layout']);
  });

  test('systemd activation can be left to the operator', () => {
    const unmanaged = synthObject(withHosts([host('a.example.com', 9001)], { systemd: { manage: false } }));
    expect(Object.keys(unmanaged.resource.null_resource)).not.toContain('server_systemd-activation');
  });

  test('outputs: client repository URL and credentials file per host', () => {
    expect(json.output['hosts_bhost_example_com_repository-url']!.value).toBe('s3:https://backup.example.com:9002/bhost/restic/daily');
    expect(json.output['hosts_mail_example_org_repository-url']!.value).toBe('rest:https://mail.example.org@backup.example.com:9003/mail.example.org/');
    expect(json.output['hosts_mail_example_org_credentials-file']!.value).toBe('/backups/systems/mail.example.org/conf/rest-server/client-credentials');
    expect(json.output['hosts_ahost_example_com_credentials-file']!.value).toBe('/backups/systems/ahost.example.com/conf/minio/config.json');
  });

  test('an explicit local backend under the root: no path of the checkout', () => {
    expect((json.terraform as { backend: unknown }).backend).toEqual({ local: { path: '/backups/systems/conf/terraform/terraform.tfstate' } });
  });
});

describe('resources per host', () => {
  const count = (config: Parameters<typeof synthObject>[0]) => Object.values(synthObject(config).resource).reduce((n, byId) => n + Object.keys(byId).length, 0);

  test('with nftables (the default): 12 per host (10 + rule file and its loader), 6 for the server', () => {
    const base = count(withHosts([]));
    expect(base).toBe(6);
    expect(count(withHosts([host('a.example.com', 9001)])) - base).toBe(12);
    expect(count(example) - base).toBe(36);
  });

  test('without a firewall: 10 per host, 4 for the server', () => {
    const none = { firewall: { backend: 'none' as const } };
    expect(count(withHosts([], none))).toBe(4);
    expect(count(withHosts([host('a.example.com', 9001)], none))).toBe(4 + 10);
  });
});

describe('snapshots', () => {
  test('the whole stack of the example hosts.ts', () => {
    expect(synthesized).toMatchSnapshot();
  });

  test('adding a host adds its resources and changes no other resource (id or content)', () => {
    const before = synthObject(example);
    const after = synthObject({ ...example, hosts: [...example.hosts, host('new.example.net', 9010)] });
    const changed: string[] = [];
    const added: string[] = [];
    for (const [type, byId] of Object.entries(after.resource)) {
      for (const [id, resource] of Object.entries(byId)) {
        const old = before.resource[type]?.[id];
        if (old === undefined) added.push(`${type}.${id}`);
        else if (JSON.stringify(old) !== JSON.stringify(resource)) changed.push(`${type}.${id}`);
      }
    }
    for (const [type, byId] of Object.entries(before.resource)) {
      for (const id of Object.keys(byId)) expect(after.resource[type]?.[id]).toBeDefined();
    }
    // The server-wide steps that must know the host list, so that removed hosts get retired.
    expect(changed).toEqual(['null_resource.firewall_retire-removed-hosts', 'null_resource.server_retire-removed-hosts']);
    expect(added).toHaveLength(12);
    expect(added.every((id) => id.includes('.hosts_new_example_net_'))).toBe(true);
  });

  test('the order of hosts in hosts.ts does not matter', () => {
    expect(synthJson({ ...example, hosts: [...example.hosts].reverse() })).toBe(synthesized);
  });
});

describe('validation before construction', () => {
  test('an invalid configuration throws before any construct is added', () => {
    const app = new App();
    expect(() => new BackupServerStack(app, 'backup-server', { config: withHosts([host('a.example.com', 80)]) })).toThrow(ConfigError);
    expect(app.node.children).toHaveLength(0);
  });
});
