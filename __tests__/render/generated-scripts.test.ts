/**
 * Every script and command the stack generates, checked by the real tools: `sh -n`, shellcheck
 * (no warning of any level), and systemd-analyze verify for the unit.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeWithTools } from '../support/tools';
import { CLEAN, shellcheck, shellSyntax } from '../support/shell-lint';
import { localFiles, provisionerCommands, synthObject } from '../support/synth';
import { example, host, withHosts } from '../support/fixtures';

const configs = {
  example,
  // Console on, own certificate, replica script of the operator's own.
  variants: withHosts([
    host('c.example.com', 9101, { consolePort: 9201, tlsCertificate: '/etc/ssl/c.crt', tlsKey: '/etc/ssl/c.key' }),
    host('d.example.com', 9102, { replica: { script: '#!/bin/sh\nexec rclone copy "$BACKUP_WATCH_ROOT" remote:d\n' } }),
  ]),
};

interface Script {
  readonly name: string;
  readonly text: string;
}

function scriptsOf(config: (typeof configs)[keyof typeof configs]): Script[] {
  const json = synthObject(config);
  const files = localFiles(json)
    .filter((file) => file.content.startsWith('#!/bin/sh'))
    .map((file) => ({ name: file.id, text: file.content }));
  const commands = provisionerCommands(json).map(({ id, command }, index) => ({ name: `${id} #${index}`, text: `#!/bin/sh\n${command}\n` }));
  return [...files, ...commands];
}

const allScripts = [...scriptsOf(configs.example), ...scriptsOf(configs.variants)];

test('the example generates the scripts of every host and every provisioner command', () => {
  // Per host: 6 run scripts and replica_sync; layout with credentials, service (create and destroy),
  // firewall apply. Server: layout, systemd activation, retire, nftables setup (create and destroy),
  // firewall retire.
  expect(scriptsOf(configs.example)).toHaveLength(3 * 7 + 3 * 4 + 6);
});

describeWithTools(['sh'], 'sh -n', () => {
  test.each(allScripts.map((s) => [s.name, s] as const))('%s parses', (_name, script) => {
    expect(shellSyntax(script.text)).toEqual(CLEAN);
  });

  test('the check can fail: a broken script is rejected', () => {
    expect(shellSyntax('#!/bin/sh\nif then\n').status).not.toBe(0);
  });
});

describeWithTools(['shellcheck'], 'shellcheck', () => {
  test.each(allScripts.map((s) => [s.name, s] as const))('%s has no warning', (_name, script) => {
    expect(shellcheck(script.text)).toEqual(CLEAN);
  });

  test('the check can fail: an unquoted expansion is reported', () => {
    expect(shellcheck('#!/bin/sh\nrm -rf $1/x\n').status).not.toBe(0);
  });
});

describeWithTools(['systemd-analyze', 'runsvdir'], 'systemd-analyze verify', () => {
  const unit = localFiles(synthObject(example)).find((file) => file.id === 'server_systemd-unit')!;

  function verify(content: string): { status: number | null; output: string } {
    const dir = mkdtempSync(join(tmpdir(), 'unit-'));
    try {
      const file = join(dir, 'backup-minio.service');
      writeFileSync(file, content);
      const result = spawnSync('systemd-analyze', ['verify', file], { encoding: 'utf8', env: { ...process.env, SYSTEMD_LOG_LEVEL: 'warning' } });
      return { status: result.status, output: `${result.stdout}${result.stderr}` };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  test('the unit verifies with no warning', () => {
    expect(verify(unit.content)).toEqual({ status: 0, output: '' });
  });

  test('the check can fail: a bad directive is reported', () => {
    expect(verify(unit.content.replace('KillMode=process', 'KillMode=bogus')).output).toContain('bogus');
  });
});
