/**
 * Executables that take the place of minio and backup-syncd, which cannot be installed here. Each
 * records how runit started it (argv, MINIO_* environment, uid/gid) in `records/`, named by pid,
 * and logs a line to stdout as the real one would; minio's listens with TLS on its --address port
 * using the files of --certs-dir, so a wrong link or an unreadable key shows.
 */
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { shellQuote } from '../../../lib/shell/quote';

export interface MinioRecord {
  readonly pid: number;
  readonly uid: number;
  readonly gid: number;
  readonly argv: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly cwd: string;
}

/** Writes the minio stand-in (a node script) to `<directory>/minio` and returns its path. */
export function writeMinioStandIn(directory: string, records: string): string {
  const path = join(directory, 'minio');
  writeFileSync(path, `#!${process.execPath}
'use strict';
// minio stand-in for the end-to-end tests: records argv and MINIO_* environment, serves HTTPS.
const fs = require('fs');
const https = require('https');
const path = require('path');
const argv = process.argv.slice(2);
const option = (name) => { const i = argv.indexOf(name); return i < 0 ? undefined : argv[i + 1]; };
const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => key.startsWith('MINIO_')));
const record = { pid: process.pid, uid: process.getuid(), gid: process.getgid(), argv, env, cwd: process.cwd() };
fs.writeFileSync(path.join(${JSON.stringify(records)}, 'minio-' + process.pid + '.json'), JSON.stringify(record));
const data = argv[argv.length - 1];
// Like minio, keep its own metadata in the data directory (proves the service user may write there).
fs.mkdirSync(path.join(data, '.minio.sys'), { recursive: true });
const format = path.join(data, '.minio.sys', 'format.json');
if (!fs.existsSync(format)) fs.writeFileSync(format, '{"version":"1","format":"xl-single"}\\n');
const address = option('--address');
// Old minio (the original script's) read its TLS files from <--config-dir>/certs.
const certs = option('--certs-dir') ?? path.join(option('--config-dir'), 'certs');
const server = https.createServer(
  { cert: fs.readFileSync(path.join(certs, 'public.crt')), key: fs.readFileSync(path.join(certs, 'private.key')) },
  (request, response) => response.end('minio stand-in\\n'),
);
server.listen(Number(address.slice(address.lastIndexOf(':') + 1)), () => console.log('minio stand-in listening on ' + address + ', data in ' + data));
process.on('SIGTERM', () => { console.log('minio stand-in: TERM, exiting'); process.exit(0); });
`);
  chmodSync(path, 0o755);
  return path;
}

/** Writes a backup-syncd stand-in (records its arguments, then waits to be stopped) and returns its path. */
export function writeBackupSyncdStandIn(directory: string, records: string): string {
  const path = join(directory, 'backup-syncd');
  writeFileSync(path, [
    '#!/bin/sh',
    '# backup-syncd stand-in for the end-to-end tests: records its arguments and waits to be stopped.',
    `printf '%s\\n' "$@" > ${shellQuote(records)}/backup-syncd-$$.args`,
    'echo "backup-syncd stand-in started: $*"',
    'exec sleep 2147483647',
    '',
  ].join('\n'));
  chmodSync(path, 0o755);
  return path;
}

export function readMinioRecord(records: string, pid: number): MinioRecord | undefined {
  const path = join(records, `minio-${pid}.json`);
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as MinioRecord) : undefined;
}

export function readBackupSyncdArguments(records: string, pid: number): string[] | undefined {
  const path = join(records, `backup-syncd-${pid}.args`);
  return existsSync(path) ? readFileSync(path, 'utf8').split('\n').slice(0, -1) : undefined;
}
