import { hostPaths, resolveConfig, storageBackend, STORAGE_KINDS, type StorageContext, type StorageKind } from '../../lib';
import { describeWithTools } from '../support/tools';
import { CLEAN, shellcheck, shellSyntax } from '../support/shell-lint';
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
  function check(text: string): void {
    expect(shellSyntax(text)).toEqual(CLEAN);
    expect(shellcheck(text)).toEqual(CLEAN);
  }

  test.each(cases)('%s: the run script passes sh -n and shellcheck', (_name, ctx) => {
    check(storageBackend(ctx.host.storage).renderRunScript(ctx));
  });

  test.each(cases)('%s: the credentials command passes sh -n and shellcheck', (_name, ctx) => {
    check(storageBackend(ctx.host.storage).renderCredentialsCommand(ctx));
  });

  test('shellcheck does report a broken script (the check can fail)', () => {
    expect(shellcheck('#!/bin/sh\necho $undefined_variable_here\n').status).not.toBe(0);
  });
});
