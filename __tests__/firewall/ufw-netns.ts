/**
 * ufw for real inside the server namespace of a NamespacePair. ufw keeps its configuration in
 * /etc/ufw and /etc/default/ufw, which are the machine's own. `ip netns exec <ns>` bind-mounts every
 * entry of /etc/netns/<ns>/ over /etc/<entry> for the command it runs; so with copies of /etc/ufw
 * and /etc/default there, every ufw command run through `ip netns exec <ns>` (the tests' command
 * prefix) reads and writes only the copies, and loads its rules into the namespace. ufw's sysctl
 * settings (/etc/ufw/sysctl.conf: net.ipv4/ipv6 redirects, ICMP, martians) are per network
 * namespace too. The machine's own /etc/ufw is checked to be unchanged at the end.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, rmdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

const NETNS_ETC = '/etc/netns';

function run(args: readonly string[]): string {
  const result = spawnSync(args[0]!, args.slice(1), { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${args.join(' ')} failed (${result.status}): ${result.stderr}`);
  return result.stdout;
}

/** Every file of /etc/ufw and /etc/default/ufw with its content, mode and time: must not change. */
export function machineUfwState(): string {
  const files = ['/etc/default/ufw', ...readdirSync('/etc/ufw', { recursive: true }).map((name) => join('/etc/ufw', String(name)))].sort();
  return files
    .map((file) => {
      const stats = statSync(file);
      return `${file} ${stats.mode.toString(8)} ${stats.mtimeMs} ${stats.isFile() ? readFileSync(file, 'base64') : ''}`;
    })
    .join('\n');
}

/** Gives `namespace` its own copies of ufw's configuration and enables ufw in it. */
export function setUpUfw(namespace: string): void {
  const dir = join(NETNS_ETC, namespace);
  mkdirSync(dir, { recursive: true, mode: 0o755 });
  cpSync('/etc/ufw', join(dir, 'ufw'), { recursive: true, preserveTimestamps: true });
  cpSync('/etc/default', join(dir, 'default'), { recursive: true, preserveTimestamps: true });
  run(['ip', 'netns', 'exec', namespace, 'ufw', '--force', 'enable']);
}

/** Empties ufw's rules in the namespace and enables it again. */
export function resetUfw(namespace: string): void {
  run(['ip', 'netns', 'exec', namespace, 'ufw', '--force', 'reset']);
  run(['ip', 'netns', 'exec', namespace, 'ufw', '--force', 'enable']);
}

/** `ufw show added` in the namespace, without its heading. */
export function ufwAdded(namespace: string): string[] {
  return run(['ip', 'netns', 'exec', namespace, 'ufw', 'show', 'added']).split('\n').filter((line) => line.startsWith('ufw '));
}

/** Removes the namespace's copies (the namespace itself goes with deleteNamespacePair). Never throws. */
export function tearDownUfw(namespace: string | undefined): void {
  if (namespace === undefined) return;
  rmSync(join(NETNS_ETC, namespace), { recursive: true, force: true });
  try {
    rmdirSync(NETNS_ETC); // only when no other namespace has files there
  } catch {
    // not empty, or already gone
  }
}

/** The rules ufw enforces in the namespace (`ufw status numbered`), runs of spaces collapsed. */
export function ufwStatus(namespace: string): string[] {
  return run(['ip', 'netns', 'exec', namespace, 'ufw', 'status', 'numbered'])
    .split('\n')
    .filter((line) => line.startsWith('['))
    .map((line) => line.replace(/ +/g, ' ').trim());
}
