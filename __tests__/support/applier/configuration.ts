/**
 * Reads a synthesized `cdk.tf.json` into the resources the applier knows: hashicorp/local
 * `local_file` and hashicorp/null `null_resource` with `local-exec` provisioners. Every block,
 * attribute and meta-argument it does not implement is refused with the address that uses it.
 * Literal attributes are evaluated here (template escapes decoded); provisioner strings are kept raw
 * because they may read `self`, which exists only when they run.
 */
import { UnsupportedConfigurationError } from './errors';
import { evaluateTemplate } from './template';

export interface LocalExec {
  readonly when: 'create' | 'destroy';
  /** Raw templates: evaluated against `self` when the provisioner runs. */
  readonly command: string;
  readonly interpreter: readonly string[] | undefined;
  readonly environment: Readonly<Record<string, string>>;
  readonly workingDir: string | undefined;
}

export interface LocalFileResource {
  readonly type: 'local_file';
  readonly address: string;
  readonly dependsOn: readonly string[];
  readonly filename: string;
  readonly content: string;
  readonly filePermission: string;
  readonly directoryPermission: string;
}

export interface NullResource {
  readonly type: 'null_resource';
  readonly address: string;
  readonly dependsOn: readonly string[];
  readonly triggers: Readonly<Record<string, string>>;
  readonly provisioners: readonly LocalExec[];
}

export type DesiredResource = LocalFileResource | NullResource;

export interface Configuration {
  /** Keyed by address (`<type>.<name>`), in the order of the file. */
  readonly resources: ReadonlyMap<string, DesiredResource>;
  readonly outputs: Readonly<Record<string, string>>;
}

type Json = Record<string, unknown>;

const TOP_LEVEL = new Set(['//', 'terraform', 'provider', 'resource', 'output']);
const PROVIDERS: Readonly<Record<string, readonly string[]>> = {
  local: ['hashicorp/local', 'registry.terraform.io/hashicorp/local'],
  null: ['null', 'hashicorp/null', 'registry.terraform.io/hashicorp/null'],
};
const TERRAFORM_BLOCK = new Set(['backend', 'required_providers']);
const LOCAL_FILE_ATTRIBUTES = new Set(['//', 'filename', 'content', 'file_permission', 'directory_permission', 'depends_on']);
const NULL_RESOURCE_ATTRIBUTES = new Set(['//', 'triggers', 'provisioner', 'depends_on']);
const LOCAL_EXEC_ATTRIBUTES = new Set(['command', 'interpreter', 'environment', 'working_dir', 'when']);
/** hashicorp/local's defaults for both permissions. */
const DEFAULT_PERMISSION = '0777';

export function parseConfiguration(document: unknown): Configuration {
  const root = object(document, 'the configuration');
  refuseUnknownKeys(root, TOP_LEVEL, 'the configuration', 'top-level block');
  checkTerraformBlock(root.terraform);
  checkProviders(root.provider);

  const resources = new Map<string, DesiredResource>();
  for (const [type, blocks] of Object.entries(object(root.resource ?? {}, 'resource'))) {
    for (const [name, body] of Object.entries(object(blocks, `resource.${type}`))) {
      const address = `${type}.${name}`;
      resources.set(address, parseResource(type, address, object(body, address)));
    }
  }
  for (const resource of resources.values()) {
    for (const dependency of resource.dependsOn) {
      if (!resources.has(dependency)) throw new UnsupportedConfigurationError(resource.address, `depends_on names "${dependency}", which is not a resource of this configuration`);
    }
  }

  const outputs: Record<string, string> = {};
  for (const [name, body] of Object.entries(object(root.output ?? {}, 'output'))) {
    const where = `output.${name}`;
    const block = object(body, where);
    refuseUnknownKeys(block, new Set(['value', 'description', 'sensitive']), where, 'attribute');
    outputs[name] = evaluateTemplate(string(block.value, `${where}.value`), `${where}.value`);
  }
  return { resources, outputs };
}

function parseResource(type: string, address: string, body: Json): DesiredResource {
  if (type === 'local_file') {
    refuseUnknownKeys(body, LOCAL_FILE_ATTRIBUTES, address, 'attribute or meta-argument');
    const literal = (key: string, fallback?: string) => {
      const value = body[key] ?? fallback;
      if (value === undefined) throw new UnsupportedConfigurationError(address, `${key} is required`);
      return evaluateTemplate(string(value, `${address}.${key}`), `${address}.${key}`);
    };
    return {
      type, address, dependsOn: dependsOn(body, address),
      filename: literal('filename'),
      content: literal('content'),
      filePermission: permission(literal('file_permission', DEFAULT_PERMISSION), `${address}.file_permission`),
      directoryPermission: permission(literal('directory_permission', DEFAULT_PERMISSION), `${address}.directory_permission`),
    };
  }
  if (type === 'null_resource') {
    refuseUnknownKeys(body, NULL_RESOURCE_ATTRIBUTES, address, 'attribute or meta-argument');
    const triggers: Record<string, string> = {};
    for (const [key, value] of Object.entries(object(body.triggers ?? {}, `${address}.triggers`))) {
      triggers[key] = evaluateTemplate(string(value, `${address}.triggers.${key}`), `${address}.triggers.${key}`);
    }
    return { type, address, dependsOn: dependsOn(body, address), triggers, provisioners: provisioners(body.provisioner, address) };
  }
  throw new UnsupportedConfigurationError(address, `resource type "${type}" is not supported (only local_file and null_resource)`);
}

function provisioners(value: unknown, address: string): LocalExec[] {
  if (value === undefined) return [];
  return array(value, `${address}.provisioner`).map((entry, index) => {
    const where = `${address}.provisioner[${index}]`;
    const block = object(entry, where);
    const kinds = Object.keys(block);
    if (kinds.length !== 1 || kinds[0] !== 'local-exec') {
      throw new UnsupportedConfigurationError(where, `provisioner "${kinds.join('", "')}" is not supported (only local-exec)`);
    }
    const body = object(block['local-exec'], where);
    refuseUnknownKeys(body, LOCAL_EXEC_ATTRIBUTES, where, 'local-exec attribute');
    const when = body.when ?? 'create';
    if (when !== 'create' && when !== 'destroy') throw new UnsupportedConfigurationError(where, `when = ${JSON.stringify(when)} is not supported (create or destroy)`);
    const environment: Record<string, string> = {};
    for (const [key, entryValue] of Object.entries(object(body.environment ?? {}, `${where}.environment`))) {
      environment[key] = string(entryValue, `${where}.environment.${key}`);
    }
    return {
      when,
      command: string(body.command, `${where}.command`),
      interpreter: body.interpreter === undefined ? undefined : array(body.interpreter, `${where}.interpreter`).map((word, i) => string(word, `${where}.interpreter[${i}]`)),
      environment,
      workingDir: body.working_dir === undefined ? undefined : string(body.working_dir, `${where}.working_dir`),
    };
  });
}

function dependsOn(body: Json, address: string): string[] {
  if (body.depends_on === undefined) return [];
  return array(body.depends_on, `${address}.depends_on`).map((entry) => {
    const reference = string(entry, `${address}.depends_on`);
    if (!/^(local_file|null_resource)\.[A-Za-z0-9_-]+$/.test(reference)) {
      throw new UnsupportedConfigurationError(address, `depends_on entry "${reference}" is not a local_file or null_resource address`);
    }
    return reference;
  });
}

function checkTerraformBlock(value: unknown): void {
  if (value === undefined) return;
  const block = object(value, 'terraform');
  refuseUnknownKeys(block, TERRAFORM_BLOCK, 'terraform', 'setting');
  for (const [name, requirement] of Object.entries(object(block.required_providers ?? {}, 'terraform.required_providers'))) {
    const source = object(requirement, `terraform.required_providers.${name}`).source;
    if (!(PROVIDERS[name] ?? []).includes(String(source))) {
      throw new UnsupportedConfigurationError(`terraform.required_providers.${name}`, `provider ${String(source)} is not supported (only hashicorp/local and hashicorp/null)`);
    }
  }
}

function checkProviders(value: unknown): void {
  for (const [name, configurations] of Object.entries(object(value ?? {}, 'provider'))) {
    if (PROVIDERS[name] === undefined) throw new UnsupportedConfigurationError(`provider.${name}`, 'only the local and null providers are supported');
    for (const configuration of array(configurations, `provider.${name}`)) {
      if (Object.keys(object(configuration, `provider.${name}`)).length > 0) {
        throw new UnsupportedConfigurationError(`provider.${name}`, 'provider settings (alias, ...) are not supported');
      }
    }
  }
}

function refuseUnknownKeys(block: Json, allowed: ReadonlySet<string>, where: string, what: string): void {
  const unknown = Object.keys(block).filter((key) => !allowed.has(key));
  if (unknown.length > 0) throw new UnsupportedConfigurationError(where, `${what} "${unknown.join('", "')}" is not supported (supported: ${[...allowed].filter((key) => key !== '//').join(', ')})`);
}

function permission(value: string, where: string): string {
  if (!/^0?[0-7]{3,4}$/.test(value)) throw new UnsupportedConfigurationError(where, `"${value}" is not an octal permission such as 0644`);
  return value;
}

function object(value: unknown, where: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new UnsupportedConfigurationError(where, `expected an object, got ${JSON.stringify(value)}`);
  return value as Json;
}

function array(value: unknown, where: string): unknown[] {
  if (!Array.isArray(value)) throw new UnsupportedConfigurationError(where, `expected a list, got ${JSON.stringify(value)}`);
  return value;
}

function string(value: unknown, where: string): string {
  if (typeof value !== 'string') throw new UnsupportedConfigurationError(where, `expected a string, got ${JSON.stringify(value)}`);
  return value;
}
