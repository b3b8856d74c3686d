import { originalRunPort, recognise } from '../../lib/plan/recognise';
import { renderMarker } from '../../lib/render/marker';
import { configFor } from './disk-fixtures';

describe('originalRunPort', () => {
  test.each([
    ['minio server --quiet --config-dir /r/h/conf/minio --address :9001 /r/h/minio', 9001],
    ['exec minio server --address=:9002 /data', 9002],
    ["exec minio server --address '0.0.0.0:9003' /data", 9003],
    ['exec minio server --console-address :9100 --address :9004 /data', 9004],
  ])('reads the port of %s', (text, port) => {
    expect(originalRunPort(text)).toBe(port);
  });

  test.each([
    ['exec minio server /data'],
    ['exec minio server --console-address :9100 /data'],
    ['exec minio server --address :99999 /data'],
  ])('finds no port in %s', (text) => {
    expect(originalRunPort(text)).toBeUndefined();
  });
});

describe('recognise', () => {
  const host = configFor('/r', [{ name: 'a.test', port: 9001 }]).hosts[0];

  test('a readable marker naming the directory: made by this project', () => {
    const result = recognise({ name: 'a.test', kind: 'directory', markerText: renderMarker(host) });
    expect(result).toMatchObject({ origin: 'project', marker: { name: 'a.test', port: 9001, storage: 'minio', format: 2 } });
  });

  test('the marker wins over a run script', () => {
    const result = recognise({ name: 'a.test', kind: 'directory', markerText: renderMarker(host), originalRunText: '--address :1234' });
    expect(result).toMatchObject({ origin: 'project', marker: { port: 9001 } });
  });

  test('no marker, a minio run script with --address: the original script', () => {
    expect(recognise({ name: 'a.test', kind: 'directory', originalRunText: 'minio server --address :9005 /x' })).toEqual({ origin: 'original', port: 9005 });
  });

  test.each([
    [{ kind: 'file' as const }, /regular file/],
    [{ kind: 'symlink' as const }, /symbolic link/],
    [{ kind: 'other' as const }, /not a directory/],
    [{ kind: 'directory' as const }, /without conf\/backup-server.json or conf\/runsvs\/minio\/run/],
    [{ kind: 'directory' as const, originalRunText: 'minio server /x' }, /has no --address :PORT/],
    [{ kind: 'directory' as const, markerText: '{' }, /backup-server.json is not JSON/],
    [{ kind: 'directory' as const, markerText: '{"format":9,"name":"a.test","port":1,"storage":"minio"}' }, /has format 9; this version reads formats 1, 2/],
    [{ kind: 'directory' as const, markerText: renderMarker({ ...host, name: 'b.test' }) }, /names another host, b.test/],
  ])('not a host directory: %o', (probe, reason) => {
    const result = recognise({ name: 'a.test', ...probe });
    expect(result.origin).toBe('none');
    expect(result.origin === 'none' && result.reason).toMatch(reason);
  });
});
