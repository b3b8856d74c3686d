/**
 * `backup-status [--json|--markdown] [--host NAME ...] [--config FILE] [--root DIR] [--no-color]`
 * (`npm run status`, or bin/backup-status on the server): per host, services, port, snapshots,
 * size against quota and replication, with a verdict. Exit 0 ok, 1 warn, 2 crit, 3 when status
 * itself failed (Nagios' UNKNOWN). It only reads.
 */
import { Command, CommanderError, Option } from 'commander';
import { resolveConfig } from '../config/resolve-config';
import type { ResolvedConfig } from '../config/resolve';
import { loadHostsFile, withRoot } from '../plan/hosts-file';
import { collectStatus } from './collect';
import { EXIT_UNKNOWN } from './report';
import { renderStatusMarkdown } from './render-markdown';
import { renderStatusText } from './render-text';
import { DEFAULT_HOSTS_FILE, type CliIo } from '../app/cli-io';


export type StatusCliIo = CliIo;

interface StatusCliOptions {
  readonly json?: boolean;
  readonly markdown?: boolean;
  readonly host?: string[];
  readonly config: string;
  readonly root?: string;
  readonly color?: boolean;
}

function program(io: StatusCliIo): Command {
  return new Command('backup-status')
    .description('Show, per host, whether backups arrive and reach their replicas (reads only). Exit 0 ok, 1 warn, 2 crit, 3 unknown.')
    .addOption(new Option('--json', 'print the report as JSON (docs/status.md)').conflicts('markdown'))
    .option('--markdown', 'print the report as a markdown table')
    .option('--host <name...>', 'only these hosts (the verdict and exit code cover only them)')
    .option('--config <file>', 'the hosts file', DEFAULT_HOSTS_FILE)
    .option('--root <dir>', 'server root to read (default: server.root of hosts.ts)')
    .option('--no-color', 'no colours, even on a terminal')
    .exitOverride()
    .configureOutput({ writeOut: (text) => io.stdout.write(text), writeErr: (text) => io.stderr.write(text) });
}

function selectHosts(config: ResolvedConfig, names: readonly string[] | undefined): ResolvedConfig {
  if (names === undefined) return config;
  const unknown = names.filter((name) => !config.hosts.some((host) => host.name === name));
  if (unknown.length > 0) throw new Error(`not in the hosts file: ${unknown.join(', ')}`);
  return { ...config, hosts: config.hosts.filter((host) => names.includes(host.name)) };
}

/** Runs the command; resolves with the exit code instead of exiting, so tests can call it in-process. */
export async function runStatusCli(argv: readonly string[], io: StatusCliIo): Promise<number> {
  const command = program(io);
  try {
    command.parse([...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : EXIT_UNKNOWN;
    throw error;
  }
  const options = command.opts<StatusCliOptions>();
  let config: ResolvedConfig;
  try {
    config = selectHosts(resolveConfig(withRoot(loadHostsFile(options.config), options.root)), options.host);
  } catch (error) {
    io.stderr.write(`backup-status: ${(error as Error).message}\n`);
    return EXIT_UNKNOWN;
  }
  const report = await collectStatus(config);
  if (options.json) io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else if (options.markdown) io.stdout.write(renderStatusMarkdown(report));
  else io.stdout.write(renderStatusText(report, { color: options.color !== false && io.stdout.isTTY === true && !io.env.NO_COLOR }));
  return report.exitCode;
}

if (require.main === module) {
  runStatusCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env }).then(
    (code) => { process.exitCode = code; },
    (error: Error) => {
      process.stderr.write(`backup-status: ${error.stack ?? error.message}\n`);
      process.exitCode = EXIT_UNKNOWN;
    },
  );
}
