/**
 * Hostile configurations through what `npm run synth` runs (synthesize: validate, then synthesize
 * into an output directory), in-process with a fresh output directory per case: each is refused
 * with its exact problem lines and leaves no output directory behind. __tests__/app/synth-cli.test.ts
 * runs a few of them as real processes.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, formatProblem, synthesize, validateConfig } from '../../lib';
import { HOSTILE_CASES, configWith, getterCalls, type HostileCase } from './hostile-configs';

const scratch = mkdtempSync(join(tmpdir(), 'hostile-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

let caseNumber = 0;
/** `<empty directory of its own>/cdktf.out`, not yet there. */
function freshOutdir(): string {
  const dir = join(scratch, `case-${caseNumber++}`);
  mkdirSync(dir);
  return join(dir, 'cdktf.out');
}

/** The ConfigError synthesize throws, or undefined if it synthesized. */
function refusal(config: unknown, outdir: string): ConfigError | undefined {
  try {
    synthesize(config, { outdir });
    return undefined;
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
}

test('there are at least 60 hostile configurations', () => {
  expect(HOSTILE_CASES.length).toBeGreaterThanOrEqual(60);
  expect(new Set(HOSTILE_CASES.map((c) => c.name)).size).toBe(HOSTILE_CASES.length);
});

test('the base configuration of the cases is valid and synthesizes into the output directory', () => {
  // Without this, "no cdktf.out afterwards" could hold because nothing is ever written there.
  const outdir = freshOutdir();
  expect(refusal(configWith(), outdir)).toBeUndefined();
  expect(existsSync(join(outdir, 'stacks/backup-server/cdk.tf.json'))).toBe(true);
});

describe.each(HOSTILE_CASES.map((c): [string, HostileCase] => [c.name, c]))('%s', (_name, hostile) => {
  test('is refused with exactly its problems, and nothing is written', () => {
    getterCalls.count = 0;
    const outdir = freshOutdir();
    const error = refusal(hostile.config(), outdir);
    expect(error).toBeInstanceOf(ConfigError);
    expect(error!.problems.map(formatProblem)).toEqual(hostile.problems);
    expect(error!.message).toBe([
      `hosts.ts has ${hostile.problems.length} problem${hostile.problems.length === 1 ? '' : 's'}; nothing was synthesized:`,
      ...hostile.problems.map((line) => `  - ${line}`),
    ].join('\n'));
    expect(readdirSync(join(outdir, '..'))).toEqual([]);
    // No getter of the configuration ever runs: it is refused, not read.
    expect(getterCalls.count).toBe(0);
  });

  test('no message holds a control, format (bidi) or separator character', () => {
    for (const line of validateConfig(hostile.config()).map(formatProblem)) expect(line).not.toMatch(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u);
  });
});
