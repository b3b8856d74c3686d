/**
 * Restore drills: a host's storage service for real (or its stand-in), the real restic client, the
 * real backup-syncd running the replica_sync generated for that host, and the replica checked with
 * restic itself.
 *
 * - rclone: `rclone serve restic` over HTTPS, as the rclone backend runs it.
 * - rest-server: not installable here (no Debian or npm package); `rclone serve restic` serves the
 *   rest-server host's data directory instead: both keep the repository as the same plain files.
 * - minio: not installable here; s3rver (npm) speaks the S3 API over HTTPS with the host's keys,
 *   and writes, as minio does since 2022, `<bucket>/<key>/xl.meta` under the host's data directory
 *   once an object is complete, which is what backup-syncd watches.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { createInterface } from 'node:readline';
import {
  renderReplicaSync, resolveConfig, storageBackend, storageContext,
  type StorageContext, type StorageKind,
} from '../../lib';
import { freePorts } from './e2e/ports';
import { runRestic, type ResticResult } from './restic';

export const DRILL_HOST = 'ahost.example.com';
const REPOSITORY_PASSWORD = 'drill-only repository password';
const ACCESS_KEY = 'DRILLACCESSKEY000001';
const SECRET_KEY = 'drill-secret-key-0000000000000000000000x';

/** A self-signed certificate for localhost and 127.0.0.1 (the drills run as any user: no chown). */
export function makeCertificate(dir: string): { readonly certificate: string; readonly key: string } {
  mkdirSync(dir, { recursive: true });
  const certificate = join(dir, 'public.crt');
  const key = join(dir, 'private.key');
  const result = spawnSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2',
    '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1', '-keyout', key, '-out', certificate], { stdio: 'ignore' });
  if (result.status !== 0) throw new Error('openssl could not make the test certificate');
  return { certificate, key };
}

/**
 * The drill's tree: an empty file, one of `largeMiB` (21) MiB, `smallFiles` small ones of varied sizes in
 * nested directories, all random so nothing deduplicates.
 */
export function makeTree(dir: string, smallFiles = 3000, largeMiB = 21): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'empty'), '');
  writeFileSync(join(dir, 'large.bin'), randomBytes(largeMiB * 1024 * 1024));
  for (let i = 0; i < smallFiles; i += 1) {
    const sub = join(dir, 'small', String(i % 30).padStart(2, '0'));
    if (i < 30) mkdirSync(sub, { recursive: true });
    writeFileSync(join(sub, `f${i}.txt`), randomBytes(1 + ((i * 7919) % 4096)));
  }
}

/** Relative path -> SHA-256 (and "empty dir" markers) of every file below `dir`. */
export function hashTree(dir: string): Map<string, string> {
  const hashes = new Map<string, string>();
  const walk = (path: string): void => {
    for (const entry of readdirSync(path, { withFileTypes: true })) {
      const full = join(path, entry.name);
      if (entry.isDirectory()) walk(full);
      else hashes.set(relative(dir, full), `${statSync(full).size}:${createHash('sha256').update(readFileSync(full)).digest('hex')}`);
    }
  };
  walk(dir);
  return hashes;
}

export interface StorageService {
  /** The repository URL restic uses. */
  readonly url: string;
  readonly process: ChildProcess;
  stop(): Promise<void>;
}

function waitForOutput(child: ChildProcess, pattern: RegExp, what: string, timeoutMs = 15_000): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}:\n${seen}`)), timeoutMs);
    const onLine = (line: string): void => {
      seen += `${line}\n`;
      if (pattern.test(line)) {
        clearTimeout(timer);
        resolve();
      }
    };
    createInterface({ input: child.stdout! }).on('line', onLine);
    createInterface({ input: child.stderr! }).on('line', onLine);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${what}: exited with ${code}:\n${seen}`));
    });
  });
}

const stopper = (child: ChildProcess) => async (): Promise<void> => {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
};

/** `rclone serve restic` over HTTPS on the data directory of a rest-server or rclone host. */
async function serveRestic(context: StorageContext, tls: { certificate: string; key: string }): Promise<StorageService> {
  const { host, paths } = context;
  mkdirSync(paths.storageData, { recursive: true });
  const child = spawn('rclone', ['serve', 'restic', '--config', '', '--addr', `127.0.0.1:${host.port}`, '--cert', tls.certificate, '--key', tls.key,
    ...(host.appendOnly ? ['--append-only'] : []), paths.storageData], { stdio: ['ignore', 'pipe', 'pipe'] });
  await waitForOutput(child, /Serving restic REST API on https:/, 'rclone serve restic');
  return { url: `rest:https://localhost:${host.port}/${host.name}/`, process: child, stop: stopper(child) };
}

/** The minio stand-in: s3rver over HTTPS with the host's keys, mirroring complete objects as `<key>/xl.meta`. */
function minioStandIn(): string {
  const s3rver = JSON.stringify(require.resolve('s3rver'));
  const account = JSON.stringify(join(require.resolve('s3rver'), '..', 'models', 'account'));
  return `'use strict';
// minio stand-in for the restore drills: the S3 API of s3rver, minio's on-disk snapshot marker.
const fs = require('fs');
const path = require('path');
const S3rver = require(${s3rver});
const { DUMMY_ACCOUNT } = require(${account});
const [port, certificate, key, credentials, store, data] = process.argv.slice(2);
const { credential } = JSON.parse(fs.readFileSync(credentials, 'utf8'));
DUMMY_ACCOUNT.createKeyPair(credential.accessKey, credential.secretKey);
DUMMY_ACCOUNT.revokeAccessKey('S3RVER');
const server = new S3rver({ address: '127.0.0.1', port: Number(port), key: fs.readFileSync(key), cert: fs.readFileSync(certificate), directory: store, silent: true });
server.on('event', (event) => {
  for (const record of event.Records) {
    const object = path.join(data, record.s3.bucket.name, decodeURIComponent(record.s3.object.key));
    if (record.eventName.startsWith('ObjectCreated')) {
      fs.mkdirSync(object, { recursive: true });
      fs.writeFileSync(path.join(object, 'xl.meta'), 'xl.meta stand-in\\n');
    } else if (record.eventName.startsWith('ObjectRemoved')) {
      fs.rmSync(object, { recursive: true, force: true });
    }
  }
});
server.run().then(() => console.log('minio stand-in listening on ' + port));
process.on('SIGTERM', () => server.close().then(() => process.exit(0)));
`;
}

async function serveS3(context: StorageContext, tls: { certificate: string; key: string }, work: string): Promise<StorageService> {
  const { host, paths } = context;
  const credentials = storageBackend('minio').credentialsFile(paths);
  mkdirSync(paths.storageConf, { recursive: true });
  mkdirSync(paths.storageData, { recursive: true });
  // The original's shape, as the deploy writes it.
  writeFileSync(credentials, `{\n  "version": "19",\n  "credential": {\n    "accessKey": "${ACCESS_KEY}",\n    "secretKey": "${SECRET_KEY}"\n  }\n}\n`, { mode: 0o640 });
  const script = join(work, 'minio-stand-in.js');
  writeFileSync(script, minioStandIn());
  const store = join(work, 's3rver-store');
  mkdirSync(store, { recursive: true });
  const child = spawn(process.execPath, [script, String(host.port), tls.certificate, tls.key, credentials, store, paths.storageData], { stdio: ['ignore', 'pipe', 'pipe'] });
  await waitForOutput(child, /minio stand-in listening/, 'the minio stand-in');
  return { url: `s3:https://localhost:${host.port}/${host.bucket}/${host.prefix}`, process: child, stop: stopper(child) };
}

export interface Drill {
  readonly kind: StorageKind;
  readonly base: string;
  readonly context: StorageContext;
  readonly replicas: readonly string[];
  readonly replicaSync: string;
  readonly state: string;
  readonly watchRoot: string;
  readonly certificate: string;
  service: StorageService;
  /** restic against the storage service (client side: URL and keys in the environment). */
  restic(args: readonly string[]): Promise<ResticResult>;
  /** restic directly on a replica directory. */
  resticOn(replica: string, args: readonly string[]): Promise<ResticResult>;
  remove(): Promise<void>;
}

/**
 * A host of `kind` under `<base>/root`, replicated to `replicas` (directories), its service running
 * and its replica_sync generated; backup-syncd is started by the test.
 */
export async function startDrill(kind: StorageKind, base: string, replicaNames: readonly string[] = ['replica']): Promise<Drill> {
  const tls = makeCertificate(join(base, 'tls'));
  const [port] = await freePorts(1);
  const replicas = replicaNames.map((name) => join(base, name));
  const rcloneConfig = join(base, 'rclone.conf');
  writeFileSync(rcloneConfig, '');
  const config = resolveConfig({
    server: { serverName: 'localhost', root: join(base, 'root'), tlsCertificate: tls.certificate, tlsKey: tls.key },
    hosts: [{ name: DRILL_HOST, port: port!, storage: kind, replica: { rcloneTargets: replicas, rcloneConfig } }],
  });
  const context = storageContext(config.server, config.hosts[0]!);
  mkdirSync(context.paths.conf, { recursive: true });
  writeFileSync(context.paths.replicaSync, renderReplicaSync(context));
  chmodSync(context.paths.replicaSync, 0o755);
  const service = kind === 'minio' ? await serveS3(context, tls, base) : await serveRestic(context, tls);
  const clientEnv = {
    PATH: process.env.PATH, HOME: base, RESTIC_PASSWORD: REPOSITORY_PASSWORD,
    ...(kind === 'minio' ? { AWS_ACCESS_KEY_ID: ACCESS_KEY, AWS_SECRET_ACCESS_KEY: SECRET_KEY } : {}),
  };
  const drill: Drill = {
    kind,
    base,
    context,
    replicas,
    replicaSync: context.paths.replicaSync,
    state: context.paths.syncdState,
    watchRoot: storageBackend(kind).watchRoot(context),
    certificate: tls.certificate,
    service,
    restic: (args) => runRestic(['--no-cache', '--cacert', tls.certificate, '-r', drill.service.url, ...args], clientEnv),
    resticOn: (replica, args) => runRestic(['--no-cache', '-r', replica, ...args], { PATH: process.env.PATH, HOME: base, RESTIC_PASSWORD: REPOSITORY_PASSWORD }),
    async remove() {
      await drill.service.stop();
      rmSync(base, { recursive: true, force: true });
    },
  };
  return drill;
}

/** Fails with restic's own words unless it succeeded. */
export function expectSuccess(result: ResticResult, what: string): ResticResult {
  if (result.status !== 0) throw new Error(`${what} failed (${result.status}):\n${result.stderr}`);
  return result;
}

/** Full snapshot ids of a repository, sorted. */
export function snapshotIdsOf(result: ResticResult): string[] {
  return (JSON.parse(expectSuccess(result, 'restic snapshots').stdout) as { id: string }[]).map((snapshot) => snapshot.id).sort();
}
