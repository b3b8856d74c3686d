import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { hostPaths, resolveConfig, storageBackend, STORAGE_KINDS, type StorageContext, type StorageKind } from '../../lib';
import { describeWithTools } from '../support/tools';
import { oneHostConfig } from './fixtures';

function context(kind: StorageKind, appendOnly?: boolean): StorageContext {
  const config = resolveConfig(oneHostConfig(kind, appendOnly === undefined ? {} : { appendOnly }));
  const host = config.hosts[0]!;
  return { server: config.server, host, paths: hostPaths(config.server.root, host.name, host.storage) };
}

const cases: [string, StorageContext][] = [
  ...STORAGE_KINDS.map((kind): [string, StorageContext] => [kind, context(kind)]),
  ['rest-server, not append-only', context('rest-server', false)],
  ['rclone, not append-only', context('rclone', false)],
];

describeWithTools(['sh', 'shellcheck'], 'generated storage scripts', () => {
  let dir: string;
  beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'storage-scripts-')); });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function check(name: string, text: string): void {
    const file = join(dir, name);
    writeFileSync(file, text);
    const syntax = spawnSync('sh', ['-n', file], { encoding: 'utf8' });
    expect(syntax.stderr).toBe('');
    expect(syntax.status).toBe(0);
    const lint = spawnSync('shellcheck', ['-s', 'sh', file], { encoding: 'utf8' });
    expect(lint.stdout).toBe('');
    expect(lint.status).toBe(0);
  }

  test.each(cases)('%s: the run script passes sh -n and shellcheck', (name, ctx) => {
    check(`${name}.run`, storageBackend(ctx.host.storage).renderRunScript(ctx));
  });

  test.each(cases)('%s: the credentials command passes sh -n and shellcheck', (name, ctx) => {
    check(`${name}.credentials`, storageBackend(ctx.host.storage).renderCredentialsCommand(ctx));
  });

  test('shellcheck does report a broken script (the check can fail)', () => {
    const file = join(dir, 'broken');
    writeFileSync(file, '#!/bin/sh\necho $undefined_variable_here\n');
    expect(spawnSync('shellcheck', ['-s', 'sh', file]).status).not.toBe(0);
  });
});
