/**
 * The backup-syncd command (bin/backup-syncd runs this file). The runit run script
 * (lib/render/runit-scripts.ts) gives the required options; the others have defaults.
 */
import { readFileSync } from 'node:fs';
import { Command, InvalidArgumentError, Option } from 'commander';
import { DEFAULT_BACKOFF } from './backoff';
import { SyncDaemon, type DaemonOptions } from './daemon';
import { parseDuration } from './duration';
import { DEFAULT_LOG_CONFIG, parseLogConfig, type ParsedLogConfig } from './log-config';
import { createLogger } from './logger';
import { DEFAULT_MAX_DEPTH } from './scan';

export const DEFAULTS = {
  settle: '2s',
  maxSettle: '30s',
  rescanInterval: '5m',
  timeout: '6h',
  killGrace: '10s',
  backoffMin: `${DEFAULT_BACKOFF.initialMs / 1000}s`,
  backoffMax: `${DEFAULT_BACKOFF.maxMs / 60_000}m`,
} as const;

function duration(value: string): number {
  const ms = parseDuration(value);
  if (ms === undefined) throw new InvalidArgumentError('expected a duration such as 500ms, 2s, 5m or 1h (a bare number is milliseconds)');
  return ms;
}

function positiveDuration(value: string): number {
  const ms = duration(value);
  if (ms <= 0) throw new InvalidArgumentError('expected a duration greater than zero');
  return ms;
}

function depth(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 32) throw new InvalidArgumentError('expected an integer from 0 to 32');
  return n;
}

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new InvalidArgumentError('expected a TCP port, 1 to 65535');
  return n;
}

function bytes(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError('expected a number of bytes greater than zero');
  return n;
}

function nonEmpty(value: string): string {
  if (value.trim() === '') throw new InvalidArgumentError('expected a non-empty value');
  return value;
}

export interface CliOptions {
  readonly host: string;
  readonly watch: string;
  readonly script: string;
  readonly state: string;
  readonly logConfig: string;
  readonly settle: number;
  readonly maxSettle: number;
  readonly rescanInterval: number;
  readonly timeout: number;
  readonly killGrace: number;
  readonly backoffMin: number;
  readonly backoffMax: number;
  readonly maxDepth: number;
  readonly metricsDir?: string;
  readonly storageService?: string;
  readonly storagePort?: number;
  readonly maxSnapshotAge?: number;
  readonly quotaBytes?: number;
}

export function buildProgram(): Command {
  return new Command('backup-syncd')
    .description('Runs replica_sync for every restic snapshot that appears (or vanishes) below the watched directory.')
    .requiredOption('--host <name>', 'the client host (BACKUP_HOST of replica_sync)', nonEmpty)
    .requiredOption('--watch <dir>', 'directory holding the restic repositories (it may appear later)', nonEmpty)
    .requiredOption('--script <file>', 'replica_sync to run: $1/$2 list the added/removed snapshot ids, NUL-separated', nonEmpty)
    .requiredOption('--state <file>', 'state file (snapshots confirmed replicated), written atomically', nonEmpty)
    .requiredOption('--log-config <file>', 'logging configuration (key=value: level, format)', nonEmpty)
    .addOption(new Option('--settle <duration>', 'quiet time after the last change before a run').default(duration(DEFAULTS.settle), DEFAULTS.settle).argParser(duration))
    .addOption(new Option('--max-settle <duration>', 'longest a stream of changes delays a run').default(duration(DEFAULTS.maxSettle), DEFAULTS.maxSettle).argParser(duration))
    .addOption(new Option('--rescan-interval <duration>', 'full rescan period, catching lost events (0: never)').default(duration(DEFAULTS.rescanInterval), DEFAULTS.rescanInterval).argParser(duration))
    .addOption(new Option('--timeout <duration>', 'a longer replica_sync run is stopped and retried').default(duration(DEFAULTS.timeout), DEFAULTS.timeout).argParser(positiveDuration))
    .addOption(new Option('--kill-grace <duration>', 'between TERM and KILL when stopping replica_sync').default(duration(DEFAULTS.killGrace), DEFAULTS.killGrace).argParser(duration))
    .addOption(new Option('--backoff-min <duration>', 'retry delay after the first failure (doubles per failure)').default(duration(DEFAULTS.backoffMin), DEFAULTS.backoffMin).argParser(positiveDuration))
    .addOption(new Option('--backoff-max <duration>', 'longest retry delay').default(duration(DEFAULTS.backoffMax), DEFAULTS.backoffMax).argParser(positiveDuration))
    .addOption(new Option('--max-depth <n>', 'how deep below the watched directory repositories are looked for').default(DEFAULT_MAX_DEPTH).argParser(depth))
    .option('--metrics-dir <dir>', 'node_exporter textfile-collector directory: write <dir>/<host>.prom (docs/status.md)', nonEmpty)
    .option('--storage-service <name>', 'metrics: the storage service\'s name (label of its "up")', nonEmpty)
    .addOption(new Option('--storage-port <port>', 'metrics: the storage service\'s TCP port (listening = up)').argParser(port))
    .addOption(new Option('--max-snapshot-age <duration>', 'metrics: the host\'s maxSnapshotAge').argParser(positiveDuration))
    .addOption(new Option('--quota-bytes <n>', 'metrics: the host\'s quota in bytes').argParser(bytes))
    .showHelpAfterError()
    .allowExcessArguments(false);
}

function readLogConfig(path: string): ParsedLogConfig & { readonly missing: boolean } {
  try {
    return { ...parseLogConfig(readFileSync(path, 'utf8')), missing: false };
  } catch {
    return { config: DEFAULT_LOG_CONFIG, problems: [], missing: true };
  }
}

export function daemonOptions(cli: CliOptions, logger: DaemonOptions['logger']): DaemonOptions {
  return {
    host: cli.host,
    watch: cli.watch,
    script: cli.script,
    state: cli.state,
    settleMs: cli.settle,
    maxSettleMs: Math.max(cli.settle, cli.maxSettle),
    rescanMs: cli.rescanInterval,
    timeoutMs: cli.timeout,
    killGraceMs: cli.killGrace,
    backoff: { initialMs: cli.backoffMin, maxMs: Math.max(cli.backoffMin, cli.backoffMax) },
    maxDepth: cli.maxDepth,
    logger,
    ...(cli.metricsDir === undefined ? {} : {
      metrics: {
        dir: cli.metricsDir,
        host: cli.host,
        watch: cli.watch,
        state: cli.state,
        storageService: cli.storageService,
        storagePort: cli.storagePort,
        maxSnapshotAgeSeconds: cli.maxSnapshotAge === undefined ? undefined : cli.maxSnapshotAge / 1000,
        quotaBytes: cli.quotaBytes,
        maxDepth: cli.maxDepth,
      },
    }),
  };
}

export async function main(argv: readonly string[]): Promise<void> {
  const program = buildProgram().parse([...argv], { from: 'user' });
  const cli = program.opts<CliOptions>();
  const logConfig = readLogConfig(cli.logConfig);
  const logger = createLogger(logConfig.config);
  if (logConfig.missing) logger.warn('log-config-missing', { file: cli.logConfig, using: 'level=info format=text' });
  for (const problem of logConfig.problems) logger.warn('log-config-line-skipped', { file: cli.logConfig, problem });

  const daemon = new SyncDaemon(daemonOptions(cli, logger));
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    logger.info('signal', { signal });
    daemon.stop().then(
      () => process.exit(0),
      (error: Error) => {
        logger.error('stop-failed', { reason: error.message });
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  await daemon.start();
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((error: Error) => {
    process.stderr.write(`backup-syncd: ${error.stack ?? error.message}\n`);
    process.exit(1);
  });
}
