import { evaluateTemplate, UnsupportedConfigurationError } from '../support/applier';

const triggers: Record<string, string> = { on_destroy: 'echo bye', other: 'x' };
const self = (name: string) => triggers[name] ?? 'missing';

test('plain text passes unchanged', () => {
  expect(evaluateTemplate('echo "$HOME" $1 {a} $ % }', 'here')).toBe('echo "$HOME" $1 {a} $ % }');
});

test('the escapes $${ and %%{ become literal ${ and %{', () => {
  expect(evaluateTemplate('n=$${#x} $${link##*/} %%{y}', 'here')).toBe('n=${#x} ${link##*/} %{y}');
});

test('${self.triggers.<name>} is replaced where self exists', () => {
  expect(evaluateTemplate('${self.triggers.on_destroy}; ${self.triggers.other}', 'here', self)).toBe('echo bye; x');
});

test.each([
  ['a shell parameter expansion', 'name=${link##*/}'],
  ['a reference to another resource', '${null_resource.a.id}'],
  ['a function call', '${upper("a")}'],
  ['self outside triggers', '${self.id}'],
])('refuses %s with a message naming the attribute', (_what, text) => {
  expect(() => evaluateTemplate(text, 'null_resource.a.provisioner[0].command', self)).toThrow(UnsupportedConfigurationError);
  expect(() => evaluateTemplate(text, 'null_resource.a.provisioner[0].command', self)).toThrow(/null_resource\.a\.provisioner\[0\]\.command: unsupported interpolation/);
});

test('refuses self where Terraform has none (file content, triggers)', () => {
  expect(() => evaluateTemplate('${self.triggers.on_destroy}', 'local_file.f.content')).toThrow(/local_file\.f\.content: .*no interpolation is allowed here/);
});

test('refuses template directives and unterminated interpolations', () => {
  expect(() => evaluateTemplate('%{ if true }x%{ endif }', 'here')).toThrow(/template directive/);
  expect(() => evaluateTemplate('echo ${self.triggers.on_destroy', 'here', self)).toThrow(/unterminated interpolation/);
});
