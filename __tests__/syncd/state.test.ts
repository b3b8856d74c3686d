import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EMPTY_STATE, StateFileError, confirm, difference, isEmpty, loadState, parseState, saveState, serializeState } from '../../lib/syncd/state';
import { tempDir } from './support';

const keys = (...names: string[]): Set<string> => new Set(names.map((n) => `./snapshots/${n}`));

describe('state', () => {
  test('pending is what the scan has and the state lacks, and what the state has and the scan lacks', () => {
    const state = { replicated: keys('a', 'b') };
    expect(difference(state, keys('b', 'c', 'd'))).toEqual({ added: ['./snapshots/c', './snapshots/d'], removed: ['./snapshots/a'] });
    expect(isEmpty(difference(state, keys('a', 'b')))).toBe(true);
  });

  test('a success confirms exactly what was run; what appeared meanwhile stays pending', () => {
    const diff = difference(EMPTY_STATE, keys('a', 'b'));
    const after = confirm(EMPTY_STATE, diff);
    expect(difference(after, keys('a', 'b', 'c'))).toEqual({ added: ['./snapshots/c'], removed: [] });
    const removed = confirm(after, { added: [], removed: ['./snapshots/a'] });
    expect([...removed.replicated]).toEqual(['./snapshots/b']);
  });

  test('serializes sorted and parses back; refuses what it did not write', () => {
    const text = serializeState({ replicated: keys('b', 'a') });
    expect(JSON.parse(text)).toEqual({ version: 2, replicated: ['./snapshots/a', './snapshots/b'], replicas: {} });
    expect(parseState(text).replicated).toEqual(keys('a', 'b'));
    expect(() => parseState('{')).toThrow(StateFileError);
    expect(() => parseState('{"version":3,"replicated":[]}')).toThrow(StateFileError);
    expect(() => parseState('{"version":1,"replicated":[1]}')).toThrow(StateFileError);
    expect(() => parseState('{"version":2,"replicated":[],"replicas":[]}')).toThrow(StateFileError);
  });

  test('version 2 keeps the replicas, sorted by target; a version 1 file reads as one with no replica known', () => {
    const status = (ok: boolean) => ({ checkedAt: '2026-11-26T12:00:00.000Z', ok, missing: [], error: null, lastSuccessAt: null, consecutiveFailures: ok ? 0 : 1 });
    const text = serializeState({ replicated: keys('a'), replicas: { '/srv/z': status(true), 'b2:x': status(false) } });
    expect(Object.keys(JSON.parse(text).replicas)).toEqual(['/srv/z', 'b2:x']);
    expect(parseState(text)).toEqual({ replicated: keys('a'), replicas: { '/srv/z': status(true), 'b2:x': status(false) } });
    expect(parseState('{"version":1,"replicated":["./snapshots/a"]}')).toEqual({ replicated: keys('a'), replicas: {} });
    // A success confirms snapshots and leaves the replicas alone.
    expect(confirm({ replicated: keys('a'), replicas: { 'b2:x': status(false) } }, { added: ['./snapshots/b'], removed: [] }).replicas).toEqual({ 'b2:x': status(false) });
  });

  test('save writes atomically (no temporary file left) and load reads it; a missing file is the empty state', async () => {
    const dir = tempDir('state');
    try {
      const path = join(dir.path, 'state.json');
      expect(await loadState(path)).toEqual(EMPTY_STATE);
      await saveState(path, { replicated: keys('a') });
      writeFileSync(join(dir.path, 'unrelated'), '');
      await saveState(path, { replicated: keys('a', 'b') });
      expect((await loadState(path)).replicated).toEqual(keys('a', 'b'));
      expect(readdirSync(dir.path).sort()).toEqual(['state.json', 'unrelated']);
      expect(readFileSync(path, 'utf8')).toBe(serializeState({ replicated: keys('a', 'b') }));
    } finally {
      dir.remove();
    }
  });
});
