/**
 * Sizes in hosts.ts (`quota: '500G'`): a number and an optional unit. K, M, G, T, P and KiB..PiB are
 * powers of 1024 (as `du -h` and most operators mean them); KB..PB powers of 1000; B or no unit is
 * bytes. The result is whole bytes, what rest-server's `--max-size` takes.
 */
const BINARY = ['K', 'M', 'G', 'T', 'P'];

function multiplier(unit: string): number | undefined {
  if (unit === '' || unit === 'B') return 1;
  const letter = unit[0]!;
  const power = BINARY.indexOf(letter) + 1;
  if (power === 0) return undefined;
  const rest = unit.slice(1);
  if (rest === '' || rest === 'iB') return 1024 ** power;
  if (rest === 'B') return 1000 ** power;
  return undefined;
}

/** Whole bytes, or undefined when `text` is not a positive size of at most 2^53 bytes. */
export function parseByteSize(text: string): number | undefined {
  const match = /^(\d{1,16}(?:\.\d{1,6})?) ?([A-Za-z]{0,3})$/.exec(text);
  if (match === null) return undefined;
  const factor = multiplier(match[2]!);
  if (factor === undefined) return undefined;
  const bytes = Math.floor(Number(match[1]) * factor);
  return bytes >= 1 && Number.isSafeInteger(bytes) ? bytes : undefined;
}

export const BYTE_SIZE_ALLOWED = 'a size such as "500G", "1.5T", "750GiB" or "2TB" (K/M/G/T/P and KiB..PiB: powers of 1024; KB..PB: powers of 1000; no unit: bytes), greater than zero';
