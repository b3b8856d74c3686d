import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyConfiguration, destroyAll, ProvisionerFailedError, readState } from '../support/applier';

let dir: string;
let log: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'applier-destroy-'));
  log = join(dir, 'log');
  writeFileSync(log, '');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const statePath = () => join(dir, 'state.json');
const apply = (configuration: unknown) => applyConfiguration({ configuration, statePath: statePath(), workingDirectory: dir });
const destroy = (configuration: unknown) => destroyAll({ configuration, statePath: statePath(), workingDirectory: dir });
const logged = () => readFileSync(log, 'utf8').split('\n').filter(Boolean);
const inState = () => Object.keys(readState(statePath()).resources).sort();

/** A step that logs its creation, and its destruction with the version it was created with. */
const step = (name: string, version: string, dependsOn: string[] = [], destroyCommand = `echo destroy ${name} ${version} >> ${log}`) => ({
  triggers: { version, on_destroy: destroyCommand },
  depends_on: dependsOn,
  provisioner: [
    { 'local-exec': { command: `echo create ${name} ${version} >> ${log}` } },
    { 'local-exec': { command: '${self.triggers.on_destroy}', when: 'destroy' } },
  ],
});

/** base <- top, and a file that depends on top. */
const stack = (version: string, extra: Record<string, unknown> = {}) => ({
  resource: {
    null_resource: { top: step('top', version, ['null_resource.base']), base: step('base', version), ...extra },
    local_file: { file: { filename: join(dir, 'dir/file'), content: 'hello\n', depends_on: ['null_resource.top'] } },
  },
});

test('destroys every resource dependents first, runs destroy-time provisioners, deletes files; a second destroy does nothing', async () => {
  await apply(stack('1'));
  const report = await destroy(stack('1'));
  expect(report.destroyed).toEqual(['local_file.file', 'null_resource.top', 'null_resource.base']);
  expect(report.provisioners.map(({ address, when, exitCode }) => `${when} ${address} ${exitCode}`)).toEqual(['destroy null_resource.top 0', 'destroy null_resource.base 0']);
  expect(logged()).toEqual(['create base 1', 'create top 1', 'destroy top 1', 'destroy base 1']);
  expect(existsSync(join(dir, 'dir/file'))).toBe(false);
  expect(existsSync(join(dir, 'dir'))).toBe(true);
  expect(inState()).toEqual([]);

  expect(await destroy(stack('1'))).toEqual({ destroyed: [], provisioners: [] });
  expect(logged()).toHaveLength(4);
});

test('self is the state: a destroy with a changed configuration runs the commands recorded at creation', async () => {
  await apply(stack('1'));
  await destroy(stack('2'));
  expect(logged().slice(2)).toEqual(['destroy top 1', 'destroy base 1']);
});

test('a resource no longer in the configuration is destroyed without provisioners, still before what it depended on', async () => {
  await apply(stack('1', { orphan: step('orphan', '1', ['null_resource.base']) }));
  const report = await destroy(stack('1'));
  expect(report.destroyed.indexOf('null_resource.orphan')).toBeLessThan(report.destroyed.indexOf('null_resource.base'));
  expect(report.destroyed).toHaveLength(4);
  expect(logged().slice(3)).toEqual(['destroy top 1', 'destroy base 1']);
});

test('a tainted resource is destroyed without its destroy-time provisioners, by destroy and by replacement', async () => {
  const marker = join(dir, 'fixed');
  const flaky = (version: string) => ({
    resource: {
      null_resource: {
        flaky: {
          triggers: { version, on_destroy: `echo destroy flaky ${version} >> ${log}` },
          provisioner: [
            { 'local-exec': { command: `echo create flaky ${version} >> ${log}; test -e ${marker}` } },
            { 'local-exec': { command: '${self.triggers.on_destroy}', when: 'destroy' } },
          ],
        },
      },
    },
  });
  await expect(apply(flaky('1'))).rejects.toThrow(ProvisionerFailedError);
  const destroyed = await destroy(flaky('1'));
  expect(destroyed.destroyed).toEqual(['null_resource.flaky']);
  expect(destroyed.provisioners).toEqual([]);

  await expect(apply(flaky('1'))).rejects.toThrow(ProvisionerFailedError);
  writeFileSync(marker, '');
  const replaced = await apply(flaky('1'));
  expect(replaced.replaced).toEqual(['null_resource.flaky']);
  expect(replaced.provisioners.map(({ when }) => when)).toEqual(['create']);
  expect(logged()).toEqual(['create flaky 1', 'create flaky 1', 'create flaky 1']);
});

test('a failing destroy-time provisioner stops the destroy and keeps that resource (and its dependencies) for the next one', async () => {
  const marker = join(dir, 'may-go');
  const guarded = {
    resource: {
      null_resource: {
        top: step('top', '1', ['null_resource.base']),
        base: step('base', '1', [], `echo trying base >> ${log}; test -e ${marker} || { echo refused >&2; exit 4; }`),
      },
    },
  };
  await apply(guarded);
  await expect(destroy(guarded)).rejects.toThrow(/null_resource\.base: destroy-time provisioner failed \(exit 4\):\nrefused/);
  expect(inState()).toEqual(['null_resource.base']);
  writeFileSync(marker, '');
  expect((await destroy(guarded)).destroyed).toEqual(['null_resource.base']);
  expect(logged().slice(2)).toEqual(['destroy top 1', 'trying base', 'trying base']);
  expect(inState()).toEqual([]);
});

test('a file edited or deleted on disk is only forgotten: the refresh dropped it, so destroy leaves the edit alone', async () => {
  const files = {
    resource: {
      local_file: {
        edited: { filename: join(dir, 'edited'), content: 'generated\n' },
        deleted: { filename: join(dir, 'deleted'), content: 'generated\n' },
        kept: { filename: join(dir, 'kept'), content: 'generated\n' },
      },
    },
  };
  await apply(files);
  writeFileSync(join(dir, 'edited'), 'edited by hand\n');
  rmSync(join(dir, 'deleted'));
  const report = await destroy(files);
  expect(report.destroyed).toEqual(['local_file.kept']);
  expect(readFileSync(join(dir, 'edited'), 'utf8')).toBe('edited by hand\n');
  expect(existsSync(join(dir, 'kept'))).toBe(false);
  expect(inState()).toEqual([]);
});
