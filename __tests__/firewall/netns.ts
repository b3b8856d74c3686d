/**
 * Two network namespaces joined by a veth pair, for real firewall tests: the server namespace has
 * 10.<n>.0.1 and fd<n>::1, the client namespace two addresses of each family to connect from.
 * Nothing leaves these namespaces. Names carry the pid, so parallel test files never collide.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';

export interface NamespacePair {
  readonly server: string;
  readonly client: string;
  readonly serverV4: string;
  readonly serverV6: string;
  /** Client addresses: [allowed-first, other]. */
  readonly clientV4: readonly [string, string];
  readonly clientV6: readonly [string, string];
}

function ip(...args: string[]): void {
  const result = spawnSync('ip', args, { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`ip ${args.join(' ')}: ${result.stderr}`);
}

export function createNamespacePair(label: string): NamespacePair {
  const id = `${label}${process.pid}`;
  const pair: NamespacePair = {
    server: `fw-${id}-srv`,
    client: `fw-${id}-cli`,
    serverV4: '10.77.0.1',
    serverV6: 'fd77::1',
    clientV4: ['10.77.0.2', '10.77.0.3'],
    clientV6: ['fd77::2', 'fd77::3'],
  };
  try {
    configure(pair);
  } catch (error) {
    deleteNamespacePair(pair);
    throw error;
  }
  return pair;
}

function configure(pair: NamespacePair): void {
  ip('netns', 'add', pair.server);
  ip('netns', 'add', pair.client);
  ip('link', 'add', 'name', 'veth-srv', 'netns', pair.server, 'type', 'veth', 'peer', 'name', 'veth-cli', 'netns', pair.client);
  for (const [ns, dev, v4s, v6s] of [
    [pair.server, 'veth-srv', [pair.serverV4], [pair.serverV6]],
    [pair.client, 'veth-cli', pair.clientV4, pair.clientV6],
  ] as const) {
    for (const address of v4s) ip('-n', ns, 'addr', 'add', `${address}/24`, 'dev', dev);
    for (const address of v6s) ip('-n', ns, '-6', 'addr', 'add', `${address}/64`, 'dev', dev, 'nodad');
    ip('-n', ns, 'link', 'set', 'lo', 'up');
    ip('-n', ns, 'link', 'set', dev, 'up');
  }
}

/** Deleting a namespace deletes its veth end, which deletes the peer. Never throws. */
export function deleteNamespacePair(pair: NamespacePair | undefined): void {
  if (!pair) return;
  for (const ns of [pair.server, pair.client]) spawnSync('ip', ['netns', 'del', ns]);
}

const LISTENER = `
const net = require('node:net');
const ports = process.argv.slice(1).map(Number);
let listening = 0;
for (const port of ports) {
  net.createServer((socket) => socket.end('ok')).listen({ port, host: '::', ipv6Only: false }, () => {
    if (++listening === ports.length) process.stdout.write('ready\\n');
  });
}`;

/** TCP listeners on every port in the server namespace; resolves once all listen. */
export function startListeners(pair: NamespacePair, ports: readonly number[]): Promise<ChildProcess> {
  const child = spawn('ip', ['netns', 'exec', pair.server, process.execPath, '-e', LISTENER, ...ports.map(String)], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`listener exited with ${code}`)));
    child.stdout!.on('data', (data: Buffer) => {
      if (data.toString().includes('ready')) resolve(child);
    });
  });
}

export interface Probe {
  readonly from: string;
  readonly to: string;
  readonly port: number;
}

/** How long a probe waits for an answer before counting the port as closed (dropped packets). */
const PROBE_TIMEOUT_MS = 1500;

const PROBER = `
const net = require('node:net');
const probes = JSON.parse(process.argv[1]);
Promise.all(probes.map((probe) => new Promise((resolve) => {
  const socket = net.connect({ host: probe.to, port: probe.port, localAddress: probe.from });
  let data = '';
  const finish = (open) => { socket.destroy(); resolve(open); };
  socket.setTimeout(${PROBE_TIMEOUT_MS}, () => finish(false));
  socket.on('data', (chunk) => { data += chunk; });
  socket.on('end', () => finish(data === 'ok'));
  socket.on('error', () => finish(false));
}))).then((results) => process.stdout.write(JSON.stringify(results)));`;

/** Connects from the client namespace (or `from` the server's own), all probes at once; true where the listener answered. */
export function reachable(pair: NamespacePair, probes: readonly Probe[], from: 'client' | 'server' = 'client'): Promise<boolean[]> {
  const child = spawn('ip', ['netns', 'exec', pair[from], process.execPath, '-e', PROBER, JSON.stringify(probes)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  child.stdout!.on('data', (data: Buffer) => { output += data.toString(); });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(output) as boolean[]) : reject(new Error(`prober exited with ${code}`))));
  });
}
