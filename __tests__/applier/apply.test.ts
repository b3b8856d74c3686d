import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, existsSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyConfiguration, ProvisionerFailedError, readState, UnsupportedConfigurationError } from '../support/applier';

let dir: string;
let log: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'applier-'));
  log = join(dir, 'log');
  writeFileSync(log, '');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const statePath = () => join(dir, 'state.json');
const apply = (configuration: unknown) => applyConfiguration({ configuration, statePath: statePath(), workingDirectory: dir });
const logged = () => readFileSync(log, 'utf8').split('\n').filter(Boolean);
const mode = (path: string) => (statSync(path).mode & 0o7777).toString(8);

/** A step that appends its name (and, when destroyed, its old trigger) to the log. */
const step = (name: string, triggers: Record<string, string>, dependsOn: string[] = []) => ({
  triggers: { ...triggers, on_destroy: `echo destroy ${name} ${triggers.version ?? ''} >> ${log}` },
  depends_on: dependsOn,
  provisioner: [
    { 'local-exec': { command: `echo create ${name} ${triggers.version ?? ''} >> ${log}` } },
    { 'local-exec': { command: '${self.triggers.on_destroy}', when: 'destroy' } },
  ],
});

/** base <- middle <- top, and a file that depends on top. */
const chain = (versions: { base: string; middle: string; top: string }, content = 'hello\n') => ({
  resource: {
    null_resource: {
      top: step('top', { version: versions.top }, ['null_resource.middle']),
      middle: step('middle', { version: versions.middle }, ['null_resource.base']),
      base: step('base', { version: versions.base }),
    },
    local_file: { file: { filename: join(dir, 'new/sub/file'), content, file_permission: '0640', directory_permission: '0750', depends_on: ['null_resource.top'] } },
  },
});

test('creates in dependency order, writes files with their permissions, and a second apply does nothing', async () => {
  const first = await apply(chain({ base: '1', middle: '1', top: '1' }));
  expect(logged()).toEqual(['create base 1', 'create middle 1', 'create top 1']);
  expect([...first.created].sort()).toEqual(['local_file.file', 'null_resource.base', 'null_resource.middle', 'null_resource.top']);
  expect(readFileSync(join(dir, 'new/sub/file'), 'utf8')).toBe('hello\n');
  expect(mode(join(dir, 'new/sub/file'))).toBe('640');
  expect(mode(join(dir, 'new'))).toBe('750');
  expect(mode(join(dir, 'new/sub'))).toBe('750');

  const second = await apply(chain({ base: '1', middle: '1', top: '1' }));
  expect(second.provisioners).toEqual([]);
  expect(second.created).toEqual([]);
  expect(second.unchanged).toHaveLength(4);
  expect(logged()).toHaveLength(3);
});

test('changed triggers replace a resource: its destroy provisioner sees the OLD triggers, dependents are untouched', async () => {
  await apply(chain({ base: '1', middle: '1', top: '1' }));
  const report = await apply(chain({ base: '1', middle: '2', top: '1' }));
  expect(report.replaced).toEqual(['null_resource.middle']);
  expect(report.provisioners.map(({ when, command }) => `${when}: ${command}`)).toEqual([
    `destroy: echo destroy middle 1 >> ${log}`,
    `create: echo create middle 2 >> ${log}`,
  ]);
  expect(logged().slice(3)).toEqual(['destroy middle 1', 'create middle 2']);
});

test('replacing several: dependents are destroyed before their dependencies and created after them', async () => {
  await apply(chain({ base: '1', middle: '1', top: '1' }));
  await apply(chain({ base: '2', middle: '1', top: '2' }));
  expect(logged().slice(3)).toEqual(['destroy top 1', 'destroy base 1', 'create base 2', 'create top 2']);
});

test('changed content rewrites the file; a file that vanished from disk is written again', async () => {
  await apply(chain({ base: '1', middle: '1', top: '1' }));
  const changed = await apply(chain({ base: '1', middle: '1', top: '1' }, 'changed\n'));
  expect(changed.replaced).toEqual(['local_file.file']);
  expect(changed.provisioners).toEqual([]);
  expect(readFileSync(join(dir, 'new/sub/file'), 'utf8')).toBe('changed\n');

  rmSync(join(dir, 'new/sub/file'));
  const restored = await apply(chain({ base: '1', middle: '1', top: '1' }, 'changed\n'));
  expect(restored.created).toEqual(['local_file.file']);
  expect(readFileSync(join(dir, 'new/sub/file'), 'utf8')).toBe('changed\n');
});

test('removed from the configuration: files are deleted, destroy-time provisioners do NOT run (as in Terraform)', async () => {
  await apply(chain({ base: '1', middle: '1', top: '1' }));
  const report = await apply({ resource: { null_resource: { base: step('base', { version: '1' }) } } });
  expect([...report.destroyed].sort()).toEqual(['local_file.file', 'null_resource.middle', 'null_resource.top']);
  expect(report.provisioners).toEqual([]);
  expect(existsSync(join(dir, 'new/sub/file'))).toBe(false);
  expect(existsSync(join(dir, 'new/sub'))).toBe(true);
  expect(Object.keys(readState(statePath()).resources)).toEqual(['null_resource.base']);
});

test('passes interpreter, environment and working_dir to local-exec; default working directory and environment are inherited', async () => {
  const script = join(dir, 'interpreter');
  writeFileSync(script, '#!/bin/sh\necho "interpreter got: $1" >> "$LOG"\nexec /bin/sh -c "$2"\n');
  chmodSync(script, 0o755);
  const work = mkdtempSync(join(dir, 'work-'));
  process.env.APPLIER_TEST_INHERITED = 'inherited';
  try {
    await apply({
      resource: {
        null_resource: {
          custom: {
            triggers: { where: work },
            provisioner: [{ 'local-exec': { command: 'echo "$GREETING from $(pwd) ${self.triggers.where}" >> "$LOG"', interpreter: [script, 'flag'], environment: { GREETING: 'hi', LOG: log }, working_dir: work } }],
          },
          plain: { provisioner: [{ 'local-exec': { command: `echo "$APPLIER_TEST_INHERITED in $(pwd)" >> ${log}` } }] },
        },
      },
    });
  } finally {
    delete process.env.APPLIER_TEST_INHERITED;
  }
  expect(logged().sort()).toEqual([`hi from ${work} ${work}`, `inherited in ${dir}`, 'interpreter got: flag'].sort());
});

test('a failing create-time provisioner fails the apply and taints the resource, which the next apply replaces', async () => {
  const marker = join(dir, 'succeed');
  const flaky = { resource: { null_resource: { flaky: { provisioner: [{ 'local-exec': { command: `echo trying >> ${log}; test -e ${marker} || { echo not yet >&2; exit 3; }` } }] } } } };
  await expect(apply(flaky)).rejects.toThrow(ProvisionerFailedError);
  await expect(apply(flaky)).rejects.toThrow(/null_resource\.flaky: create-time provisioner failed \(exit 3\):\nnot yet/);
  expect(readState(statePath()).resources['null_resource.flaky']?.tainted).toBe(true);
  writeFileSync(marker, '');
  const report = await apply(flaky);
  expect(report.replaced).toEqual(['null_resource.flaky']);
  expect(readState(statePath()).resources['null_resource.flaky']?.tainted).toBeUndefined();
  expect(logged()).toEqual(['trying', 'trying', 'trying']);
});

test('an unsupported configuration is refused before anything runs', async () => {
  await expect(apply({ resource: { null_resource: { s: { count: 2, provisioner: [{ 'local-exec': { command: `echo ran >> ${log}` } }] } } } })).rejects.toThrow(UnsupportedConfigurationError);
  await expect(apply({ resource: { null_resource: { s: { provisioner: [{ 'local-exec': { command: 'echo ${self.triggers.missing}' } }] } } } })).rejects.toThrow(/self\.triggers\.missing does not exist/);
  expect(logged()).toEqual([]);
});

test('reads the configuration from a cdk.tf.json path', async () => {
  const path = join(dir, 'cdk.tf.json');
  writeFileSync(path, JSON.stringify({ resource: { local_file: { f: { filename: join(dir, 'f'), content: 'from path' } } } }));
  const report = await applyConfiguration({ configuration: path, statePath: statePath() });
  expect(report.created).toEqual(['local_file.f']);
  expect(readFileSync(join(dir, 'f'), 'utf8')).toBe('from path');
});
