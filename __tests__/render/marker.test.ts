import { hostMarker, MARKER_FORMAT, MarkerError, parseMarker, renderMarker } from '../../lib/render/marker';
import { resolveConfig } from '../../lib/config/resolve-config';

const config = resolveConfig({
  server: { serverName: 'backup.test', root: '/srv/b' },
  hosts: [
    { name: 'a.test', port: 9001, allowFrom: ['192.0.2.0/24'], consolePort: 9101 },
    { name: 'b.test', port: 9002 },
  ],
});

describe('marker', () => {
  test('format 2 records what the plan compares', () => {
    expect(hostMarker(config.hosts[0])).toEqual({
      format: MARKER_FORMAT,
      name: 'a.test',
      port: 9001,
      storage: 'minio',
      tlsCertificate: '/srv/b/conf/public.crt',
      tlsKey: '/srv/b/conf/private.key',
      allowFrom: ['192.0.2.0/24'],
      consolePort: 9101,
    });
    expect(hostMarker(config.hosts[1]).consolePort).toBeNull();
  });

  test('reads back what it writes', () => {
    for (const host of config.hosts) expect(parseMarker(renderMarker(host))).toEqual(hostMarker(host));
  });

  test('still reads format 1, leaving the newer fields unknown', () => {
    const marker = parseMarker('{"format":1,"name":"a.test","port":9001,"storage":"minio"}');
    expect(marker).toEqual({ format: 1, name: 'a.test', port: 9001, storage: 'minio' });
  });

  test.each([
    ['[]', /not a JSON object/],
    ['{"format":3,"name":"a","port":1,"storage":"minio"}', /format 3/],
    ['{"format":1,"name":"a","port":70000,"storage":"minio"}', /port 1-65535/],
    ['{"format":2,"name":"a","port":1,"storage":"minio"}', /tlsCertificate/],
    ['{"format":2,"name":"a","port":1,"storage":"minio","tlsCertificate":"c","tlsKey":"k","allowFrom":[1],"consolePort":null}', /allowFrom/],
    ['{"format":2,"name":"a","port":1,"storage":"minio","tlsCertificate":"c","tlsKey":"k","allowFrom":[],"consolePort":"x"}', /consolePort/],
  ])('refuses %s', (text, message) => {
    expect(() => parseMarker(text)).toThrow(MarkerError);
    expect(() => parseMarker(text)).toThrow(message);
  });
});
