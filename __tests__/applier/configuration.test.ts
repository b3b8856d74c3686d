import { parseConfiguration, UnsupportedConfigurationError } from '../support/applier';

const file = { filename: '/tmp/x', content: 'x' };
const step = { provisioner: [{ 'local-exec': { command: 'true' } }] };
const config = (resource: Record<string, Record<string, unknown>>, extra: Record<string, unknown> = {}) => ({ resource, ...extra });

test('reads both resource types with their defaults and dependencies', () => {
  const parsed = parseConfiguration(config({
    local_file: { f: { ...file, depends_on: ['null_resource.s'] } },
    null_resource: { s: { triggers: { a: '$${x}' }, provisioner: [{ 'local-exec': { command: 'c', when: 'destroy', interpreter: ['/bin/bash', '-c'], environment: { A: '1' }, working_dir: '/' } }] } },
  }, { output: { url: { value: 'https://h:1/' } } }));
  expect(parsed.resources.get('local_file.f')).toEqual({ type: 'local_file', address: 'local_file.f', dependsOn: ['null_resource.s'], filename: '/tmp/x', content: 'x', filePermission: '0777', directoryPermission: '0777' });
  expect(parsed.resources.get('null_resource.s')).toEqual({
    type: 'null_resource', address: 'null_resource.s', dependsOn: [], triggers: { a: '${x}' },
    provisioners: [{ when: 'destroy', command: 'c', interpreter: ['/bin/bash', '-c'], environment: { A: '1' }, workingDir: '/' }],
  });
  expect(parsed.outputs).toEqual({ url: 'https://h:1/' });
});

test.each([
  ['an unsupported resource type', config({ random_id: { r: {} } }), /random_id\.r: resource type "random_id" is not supported/],
  ['count', config({ null_resource: { s: { ...step, count: 2 } } }), /null_resource\.s: attribute or meta-argument "count" is not supported/],
  ['for_each', config({ local_file: { f: { ...file, for_each: {} } } }), /local_file\.f: attribute or meta-argument "for_each"/],
  ['lifecycle', config({ null_resource: { s: { ...step, lifecycle: { create_before_destroy: true } } } }), /"lifecycle" is not supported/],
  ['a provisioner other than local-exec', config({ null_resource: { s: { provisioner: [{ 'remote-exec': { inline: ['true'] } }] } } }), /null_resource\.s\.provisioner\[0\]: provisioner "remote-exec" is not supported/],
  ['an unsupported local-exec attribute', config({ null_resource: { s: { provisioner: [{ 'local-exec': { command: 'true', on_failure: 'continue' } }] } } }), /local-exec attribute "on_failure" is not supported/],
  ['an unknown when', config({ null_resource: { s: { provisioner: [{ 'local-exec': { command: 'true', when: 'update' } }] } } }), /when = "update" is not supported/],
  ['another local_file argument', config({ local_file: { f: { ...file, content_base64: 'eA==' } } }), /"content_base64" is not supported/],
  ['an interpolation in file content', config({ local_file: { f: { filename: '/tmp/x', content: 'echo ${HOME}' } } }), /local_file\.f\.content: unsupported interpolation "\$\{HOME\}"/],
  ['an interpolation in triggers', config({ null_resource: { s: { triggers: { a: '${self.triggers.b}' } } } }), /null_resource\.s\.triggers\.a: unsupported interpolation/],
  ['depends_on a missing resource', config({ null_resource: { s: { depends_on: ['null_resource.gone'] } } }), /depends_on names "null_resource\.gone"/],
  ['depends_on something else', config({ null_resource: { s: { depends_on: ['module.m'] } } }), /depends_on entry "module\.m"/],
  ['a data source', { data: { local_file: {} } }, /top-level block "data" is not supported/],
  ['another provider', { provider: { aws: [{}] } }, /provider\.aws: only the local and null providers/],
  ['a required provider from elsewhere', { terraform: { required_providers: { local: { source: 'someone/local' } } } }, /provider someone\/local is not supported/],
  ['a malformed permission', config({ local_file: { f: { ...file, file_permission: 'rw' } } }), /"rw" is not an octal permission/],
])('refuses %s', (_what, document, message) => {
  expect(() => parseConfiguration(document)).toThrow(UnsupportedConfigurationError);
  expect(() => parseConfiguration(document)).toThrow(message);
});
