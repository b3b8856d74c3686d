/**
 * A child's output as lines for the log, without node:readline (loading it costs each host's
 * daemon about half a MiB of resident memory). Lines end at `\n`, `\r\n` or a lone `\r`, as
 * readline splits them (rclone redraws its progress with `\r`). A line longer than
 * MAX_LINE_CHARS is passed on in pieces, so a script that never writes a line break cannot grow
 * the daemon without bound; what is left at the end is passed on as the last line.
 */
import type { Readable } from 'node:stream';

export const MAX_LINE_CHARS = 16 * 1024;

export class LineSplitter {
  private pending = '';

  constructor(private readonly maxChars: number = MAX_LINE_CHARS) {}

  /** The lines completed by `text`. */
  push(text: string): string[] {
    const buffer = this.pending + text;
    const lines: string[] = [];
    const lineBreak = /\r\n|\r|\n/g;
    let start = 0;
    for (let match = lineBreak.exec(buffer); match !== null; match = lineBreak.exec(buffer)) {
      // A `\r` at the very end may be the first half of a `\r\n` split across two chunks.
      if (match[0] === '\r' && match.index === buffer.length - 1) break;
      lines.push(buffer.slice(start, match.index));
      start = match.index + match[0].length;
    }
    let rest = buffer.slice(start);
    while (rest.length > this.maxChars) {
      lines.push(rest.slice(0, this.maxChars));
      rest = rest.slice(this.maxChars);
    }
    this.pending = rest;
    return lines;
  }

  /** The last line, if the output did not end with a line break. */
  end(): string[] {
    const rest = this.pending;
    this.pending = '';
    if (rest.endsWith('\r')) return [rest.slice(0, -1)];
    return rest === '' ? [] : [rest];
  }
}

/** Calls `each` for every line of `stream` (UTF-8), the last one before the stream's 'end' is over. */
export function forEachLine(stream: Readable, each: (line: string) => void): void {
  const splitter = new LineSplitter();
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    for (const line of splitter.push(chunk)) each(line);
  });
  stream.on('end', () => {
    for (const line of splitter.end()) each(line);
  });
}
