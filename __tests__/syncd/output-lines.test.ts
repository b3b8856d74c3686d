import { PassThrough } from 'node:stream';
import { LineSplitter, MAX_LINE_CHARS, forEachLine } from '../../lib/syncd/output-lines';

describe('output lines of replica_sync', () => {
  test('lines end at \\n, \\r\\n or a lone \\r, as readline splits them', () => {
    const splitter = new LineSplitter();
    expect(splitter.push('one\ntwo\r\nthree\rfour')).toEqual(['one', 'two', 'three']);
    expect(splitter.end()).toEqual(['four']);
    expect(splitter.end()).toEqual([]);
  });

  test('a \\r\\n split across two chunks is one line break, a \\r at the very end is one too', () => {
    const splitter = new LineSplitter();
    expect(splitter.push('a\r')).toEqual([]);
    expect(splitter.push('\nb\r')).toEqual(['a']);
    expect(splitter.push('c')).toEqual(['b']);
    expect(splitter.push('\r')).toEqual([]);
    expect(splitter.end()).toEqual(['c']);
  });

  test('empty lines are kept; nothing pending gives no last line', () => {
    const splitter = new LineSplitter();
    expect(splitter.push('\n\nx\n')).toEqual(['', '', 'x']);
    expect(splitter.end()).toEqual([]);
  });

  test('a line without a break never grows past the limit: it is passed on in pieces', () => {
    const splitter = new LineSplitter(4);
    expect(splitter.push('abcdefghij')).toEqual(['abcd', 'efgh']);
    expect(splitter.push('k\n')).toEqual(['ijk']);
    expect(new LineSplitter().push('x'.repeat(MAX_LINE_CHARS * 2 + 1))).toEqual(['x'.repeat(MAX_LINE_CHARS), 'x'.repeat(MAX_LINE_CHARS)]);
  });

  test('from a stream: UTF-8 split inside a character, the last line before the end is over', async () => {
    const stream = new PassThrough();
    const lines: string[] = [];
    forEachLine(stream, (line) => lines.push(line));
    const text = Buffer.from('Grüße\nnaïve', 'utf8');
    const cut = text.indexOf(0xc3) + 1; // inside "ü"
    stream.write(text.subarray(0, cut));
    stream.write(text.subarray(cut));
    const ended = new Promise((resolve) => stream.on('end', resolve));
    stream.end();
    await ended;
    expect(lines).toEqual(['Grüße', 'naïve']);
  });
});
