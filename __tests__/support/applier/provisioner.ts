/** Runs one `local-exec` provisioner the way Terraform does on Linux. */
import { spawn } from 'node:child_process';
import type { LocalExec, NullResource } from './configuration';
import { evaluateTemplate } from './template';
import { UnsupportedConfigurationError } from './errors';

/** Terraform's interpreter when none is given (non-Windows). */
const DEFAULT_INTERPRETER = ['/bin/sh', '-c'];

export interface ProvisionerRun {
  readonly address: string;
  readonly when: 'create' | 'destroy';
  /** The command after interpolation, as the interpreter received it. */
  readonly command: string;
  readonly exitCode: number | null;
  /** stdout and stderr, interleaved. */
  readonly output: string;
}

/** Terraform's own working directory and environment, which local-exec inherits. */
export interface ExecutionContext {
  readonly workingDirectory: string;
  readonly environment: NodeJS.ProcessEnv;
  readonly timeoutMs: number;
}

export interface ProvisionerContext extends ExecutionContext {
  readonly address: string;
  readonly index: number;
  /** `self.triggers` of the resource: the new ones at creation, the old ones at destruction. */
  readonly triggers: Readonly<Record<string, string>>;
}

/**
 * Runs the resource's provisioners of one kind in order, appending each run to `log`, and stops at
 * the first that fails (Terraform's default on_failure = fail). Returns that failed run.
 */
export async function runProvisioners(resource: NullResource, when: 'create' | 'destroy', triggers: Readonly<Record<string, string>>, context: ExecutionContext, log: ProvisionerRun[]): Promise<ProvisionerRun | undefined> {
  for (const [index, provisioner] of resource.provisioners.entries()) {
    if (provisioner.when !== when) continue;
    const result = await runLocalExec(provisioner, { ...context, address: resource.address, index, triggers });
    log.push(result);
    if (result.exitCode !== 0) return result;
  }
  return undefined;
}

export async function runLocalExec(provisioner: LocalExec, context: ProvisionerContext): Promise<ProvisionerRun> {
  const where = `${context.address}.provisioner[${context.index}]`;
  const self = (name: string): string => {
    const value = context.triggers[name];
    if (value === undefined) throw new UnsupportedConfigurationError(where, `self.triggers.${name} does not exist (triggers: ${Object.keys(context.triggers).join(', ') || 'none'})`);
    return value;
  };
  const evaluate = (text: string, attribute: string) => evaluateTemplate(text, `${where}.${attribute}`, self);
  const command = evaluate(provisioner.command, 'command');
  const interpreter = (provisioner.interpreter ?? DEFAULT_INTERPRETER).map((word, i) => evaluate(word, `interpreter[${i}]`));
  const environment: NodeJS.ProcessEnv = { ...context.environment };
  for (const [key, value] of Object.entries(provisioner.environment)) environment[key] = evaluate(value, `environment.${key}`);
  const cwd = provisioner.workingDir === undefined ? context.workingDirectory : evaluate(provisioner.workingDir, 'working_dir');

  const [program, ...args] = interpreter;
  if (program === undefined) throw new UnsupportedConfigurationError(where, 'interpreter is empty');
  return new Promise((resolve) => {
    const child = spawn(program, [...args, command], { cwd, env: environment, stdio: ['ignore', 'pipe', 'pipe'], timeout: context.timeoutMs });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => { output += chunk.toString(); });
    child.stderr.on('data', (chunk: Buffer) => { output += chunk.toString(); });
    child.on('error', (error) => resolve({ address: context.address, when: provisioner.when, command, exitCode: null, output: `${output}${error.message}\n` }));
    child.on('close', (code) => resolve({ address: context.address, when: provisioner.when, command, exitCode: code, output }));
  });
}
