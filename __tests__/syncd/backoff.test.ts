import { DEFAULT_BACKOFF, backoffDelay } from '../../lib/syncd/backoff';
import { parseDuration } from '../../lib/syncd/duration';

describe('back-off', () => {
  test('doubles from the initial delay and stays within the bound', () => {
    const bounds = { initialMs: 100, maxMs: 1000 };
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffDelay(n, bounds))).toEqual([100, 200, 400, 800, 1000, 1000]);
  });

  test('no failure, no delay; huge failure counts stay finite and bounded', () => {
    expect(backoffDelay(0)).toBe(0);
    expect(backoffDelay(10_000)).toBe(DEFAULT_BACKOFF.maxMs);
  });
});

describe('durations on the command line', () => {
  test.each([['250ms', 250], ['2s', 2000], ['1.5s', 1500], ['5m', 300_000], ['1h', 3_600_000], ['0', 0], ['42', 42]])('%s is %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  test.each(['', 'abc', '-1s', '2 days', '1d', 's'])('%j is refused', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });
});
