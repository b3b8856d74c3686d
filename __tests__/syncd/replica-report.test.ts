import { parseReplicaReport, recordOutcomes } from '../../lib/syncd/replica-report';

const id = (digit: string) => digit.repeat(64);

describe('the replica report of replica_sync', () => {
  test('one outcome per line; blank lines skipped; missing and error default to none', () => {
    const text = [
      `{"target":"/srv/replica","ok":false,"missing":["${id('a')}","${id('b')}"],"error":"snapshots missing on the replica after the copy"}`,
      '',
      '{"target":"b2:bucket/ahost","ok":true}',
      '',
    ].join('\n');
    expect(parseReplicaReport(text)).toEqual({
      outcomes: [
        { target: '/srv/replica', ok: false, missing: [id('a'), id('b')], error: 'snapshots missing on the replica after the copy' },
        { target: 'b2:bucket/ahost', ok: true, missing: [], error: null },
      ],
      rejected: [],
    });
  });

  test('a bad line is rejected with its number and why; the others still count', () => {
    const text = ['not json', '[1]', '{"target":"","ok":true}', '{"target":"x","ok":"yes"}', '{"target":"x","ok":true,"missing":[1]}', '{"target":"x","ok":true,"error":5}', '{"target":"x","ok":true}'].join('\n');
    const parsed = parseReplicaReport(text);
    expect(parsed.outcomes).toEqual([{ target: 'x', ok: true, missing: [], error: null }]);
    expect(parsed.rejected).toEqual([
      { line: 1, reason: 'not JSON' },
      { line: 2, reason: 'not a JSON object' },
      { line: 3, reason: '"target" is not a non-empty string' },
      { line: 4, reason: '"ok" is not true or false' },
      { line: 5, reason: '"missing" is not a list of strings' },
      { line: 6, reason: '"error" is neither a string nor null' },
    ]);
  });

  test('the state counts failures since the last success and remembers when that was; unreported targets keep their status', () => {
    const t = (minute: number) => new Date(Date.UTC(2026, 10, 26, 12, minute));
    let replicas = recordOutcomes({}, [{ target: 'a', ok: true, missing: [], error: null }, { target: 'b', ok: false, missing: [id('c')], error: 'copying the data and keys failed' }], t(0));
    expect(replicas).toEqual({
      a: { checkedAt: '2026-11-26T12:00:00.000Z', ok: true, missing: [], error: null, lastSuccessAt: '2026-11-26T12:00:00.000Z', consecutiveFailures: 0 },
      b: { checkedAt: '2026-11-26T12:00:00.000Z', ok: false, missing: [id('c')], error: 'copying the data and keys failed', lastSuccessAt: null, consecutiveFailures: 1 },
    });
    replicas = recordOutcomes(replicas, [{ target: 'a', ok: false, missing: [], error: 'listing the snapshots of the replica failed' }, { target: 'b', ok: false, missing: [], error: 'x' }], t(1));
    expect(replicas.a).toMatchObject({ checkedAt: '2026-11-26T12:01:00.000Z', ok: false, lastSuccessAt: '2026-11-26T12:00:00.000Z', consecutiveFailures: 1 });
    expect(replicas.b).toMatchObject({ lastSuccessAt: null, consecutiveFailures: 2 });
    replicas = recordOutcomes(replicas, [{ target: 'b', ok: true, missing: [], error: null }], t(2));
    expect(replicas.b).toEqual({ checkedAt: '2026-11-26T12:02:00.000Z', ok: true, missing: [], error: null, lastSuccessAt: '2026-11-26T12:02:00.000Z', consecutiveFailures: 0 });
    expect(replicas.a!.checkedAt).toBe('2026-11-26T12:01:00.000Z');
    expect(recordOutcomes(replicas, [], t(3))).toEqual(replicas);
  });
});
