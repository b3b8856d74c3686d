/**
 * `npm run plan -- [--root DIR] [--json|--markdown] [--sizes] [--config FILE] [--disk-only]`:
 * compares hosts.ts with the disk, prints the plan, then runs `cdktf plan` unless there is a
 * conflict. Exit codes as `terraform plan -detailed-exitcode`: 0 no change, 2 changes, 1 error.
 */
import { Command, CommanderError, Option } from 'commander';
import { ConfigError } from '../config/problems';
import { resolveConfig } from '../config/resolve-config';
import { runCdktfPlan } from './cdktf-plan';
import { diffPlan } from './diff';
import { loadHostsFile, withRoot } from './hosts-file';
import { EXIT_ERROR, type Plan } from './plan-model';
import { renderPlanJson } from './render-json';
import { renderPlanMarkdown } from './render-markdown';
import { renderPlanText } from './render-text';
import { scanDisk } from './scan';
import { securityConflicts } from './security-conflicts';
import { readListeners } from './listeners';
import { DEFAULT_HOSTS_FILE, type CliIo } from '../app/cli-io';

/** Setting it (to anything but empty) skips `cdktf plan`, like --disk-only. */
export const DISK_ONLY_VARIABLE = 'PLAN_DISK_ONLY';

export type PlanCliIo = CliIo;

interface PlanCliOptions {
  readonly root?: string;
  readonly json?: boolean;
  readonly markdown?: boolean;
  readonly sizes?: boolean;
  readonly config: string;
  readonly diskOnly?: boolean;
  readonly color?: boolean;
}

function program(io: PlanCliIo): Command {
  return new Command('plan')
    .description('Compare hosts.ts with the disk of the backup server (changes nothing), then run cdktf plan')
    .option('--root <dir>', 'server root to read (default: server.root of hosts.ts)')
    .addOption(new Option('--json', 'print the plan as JSON').conflicts('markdown'))
    .option('--markdown', 'print the plan as markdown, for a pull-request comment')
    .option('--sizes', 'count the data kept in every host directory (reads all of it)')
    .option('--config <file>', 'the hosts file', DEFAULT_HOSTS_FILE)
    .option('--disk-only', `do not run cdktf plan afterwards (also: ${DISK_ONLY_VARIABLE}=1)`)
    .option('--no-color', 'no colours, even on a terminal')
    .exitOverride()
    .configureOutput({ writeOut: (text) => io.stdout.write(text), writeErr: (text) => io.stderr.write(text) });
}

function render(plan: Plan, options: PlanCliOptions, io: PlanCliIo): string {
  if (options.json) return renderPlanJson(plan);
  if (options.markdown) return renderPlanMarkdown(plan);
  const color = options.color !== false && io.stdout.isTTY === true && !io.env.NO_COLOR;
  return renderPlanText(plan, { color });
}

/** Runs the command; returns the exit code instead of exiting, so tests can call it in-process. */
export function runPlanCli(argv: readonly string[], io: PlanCliIo): number {
  const command = program(io);
  try {
    command.parse([...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : EXIT_ERROR;
    throw error;
  }
  const options = command.opts<PlanCliOptions>();

  const diskOnly = options.diskOnly === true || Boolean(io.env[DISK_ONLY_VARIABLE]);
  let plan: Plan;
  try {
    const raw = loadHostsFile(options.config);
    const config = resolveConfig(withRoot(raw, options.root));
    // cdktf plan synthesizes hosts.ts as it is: a --root of the disk half alone would compare two servers.
    const configuredRoot = resolveConfig(raw).server.root;
    if (!diskOnly && options.root !== undefined && options.root !== configuredRoot) {
      io.stderr.write(`plan: --root ${options.root} would apply to the disk half only: cdktf plan synthesizes hosts.ts, whose server.root is ${configuredRoot}; set server.root in hosts.ts, or add --disk-only\n`);
      return EXIT_ERROR;
    }
    plan = diffPlan(config, scanDisk(config.server.root, { sizes: options.sizes ?? false, listeners: readListeners }), { securityConflicts: securityConflicts(config) });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    io.stderr.write(`${error.message}\n`);
    return EXIT_ERROR;
  }
  io.stdout.write(render(plan, options, io));

  if (diskOnly) return plan.exitCode;
  if (plan.exitCode === EXIT_ERROR) {
    io.stderr.write('plan: not running cdktf plan: resolve the conflicts and errors above first\n');
    return EXIT_ERROR;
  }
  const status = runCdktfPlan({ env: io.env, stdoutToStderr: Boolean(options.json || options.markdown) });
  if (status !== 0) {
    io.stderr.write(`plan: cdktf plan failed (exit ${status})\n`);
    return EXIT_ERROR;
  }
  return plan.exitCode;
}
