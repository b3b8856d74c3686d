/**
 * `npm run client -- <host> [--output FILE] [--restic-version X.Y.Z] [--ca FILE | --no-ca]`, on the
 * server as root (it reads the host's credentials file): prints the client bundle (./bundle.ts), or
 * writes it to a new file with mode 0600. Nothing of it reaches Terraform.
 */
import { readFileSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import { resolveConfig } from '../config/resolve-config';
import { hostPaths } from '../layout/paths';
import { loadHostsFile, withRoot } from '../plan/hosts-file';
import { storageBackend } from '../storage/registry';
import { renderBundle } from './bundle';
import { decideCa } from './ca-certificate';
import { parseClientCredentials } from './client-credentials';
import { DEFAULT_CLIENT_VERSION, parseVersion } from './restic-version';
import { writePrivateFile } from './write-private-file';
import { DEFAULT_HOSTS_FILE, type CliIo } from '../app/cli-io';


export type ClientCliIo = Pick<CliIo, 'stdout' | 'stderr'>;

interface ClientCliOptions {
  readonly output?: string;
  readonly resticVersion: string;
  readonly ca?: string | false;
  readonly config: string;
  readonly root?: string;
}

function program(io: ClientCliIo): Command {
  return new Command('client')
    .description('Print what a client host needs to back up here: repository, credentials, CA certificate, systemd units (as a shell script to run on the client).')
    .argument('<host>', 'the client host, as named in hosts.ts')
    .option('--output <file>', 'write the bundle to this new file (mode 0600) instead of printing it')
    .option('--restic-version <x.y.z>', 'the client\'s restic version: from 0.16.1 the REST password goes into RESTIC_REST_PASSWORD, before into the URL', DEFAULT_CLIENT_VERSION)
    .addOption(new Option('--ca <file>', 'the CA certificate to give the client (default: decided from the server certificate)'))
    .addOption(new Option('--no-ca', 'give the client no CA certificate (the server\'s is from a CA the client trusts)'))
    .option('--config <file>', 'the hosts file', DEFAULT_HOSTS_FILE)
    .option('--root <dir>', 'server root (default: server.root of hosts.ts)')
    .exitOverride()
    .configureOutput({ writeOut: (text) => io.stdout.write(text), writeErr: (text) => io.stderr.write(text) });
}

export async function runClientCli(argv: readonly string[], io: ClientCliIo): Promise<number> {
  const command = program(io);
  try {
    command.parse([...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 1;
    throw error;
  }
  const options = command.opts<ClientCliOptions>();
  const name = command.args[0]!;
  try {
    const config = resolveConfig(withRoot(loadHostsFile(options.config), options.root));
    const host = config.hosts.find((candidate) => candidate.name === name);
    if (host === undefined) throw new Error(`${name} is not a host of the hosts file`);
    const version = parseVersion(options.resticVersion);
    if (version === undefined) throw new Error(`--restic-version: expected x.y.z such as 0.14.0, not ${JSON.stringify(options.resticVersion)}`);
    const paths = hostPaths(config.server.root, host.name, host.storage);
    const backend = storageBackend(host.storage);
    const credentials = parseClientCredentials(host.storage, readFileSync(backend.credentialsFile(paths), 'utf8'));

    let caPem: string | undefined;
    if (typeof options.ca === 'string') caPem = readFileSync(options.ca, 'utf8');
    else if (options.ca !== false) {
      const decision = decideCa(readFileSync(host.tlsCertificate, 'utf8'));
      if (decision.kind === 'unknown') throw new Error(`${decision.reason} (or --no-ca when clients trust it anyway)`);
      caPem = decision.kind === 'private' ? decision.pem : undefined;
    }
    const bundle = renderBundle({
      host: host.name,
      serverName: config.server.serverName,
      storage: host.storage,
      repositoryUrl: backend.clientUrl({ server: config.server, host, paths }),
      credentials,
      resticVersion: version,
      resticVersionText: options.resticVersion,
      caPem,
    });
    if (options.output === undefined) io.stdout.write(bundle);
    else {
      await writePrivateFile(options.output, bundle);
      io.stderr.write(`client: wrote the bundle for ${host.name} to ${options.output} (mode 0600); it holds credentials\n`);
    }
    return 0;
  } catch (error) {
    io.stderr.write(`client: ${(error as Error).message}\n`);
    return 1;
  }
}

if (require.main === module) {
  runClientCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr }).then(
    (code) => { process.exitCode = code; },
    (error: Error) => {
      process.stderr.write(`client: ${error.stack ?? error.message}\n`);
      process.exitCode = 1;
    },
  );
}
