import { DEFAULT_LOG_CONFIG, parseLogConfig } from '../../lib/syncd/log-config';
import { createLogger, formatLine } from '../../lib/syncd/logger';
import { renderSyncdLogConf } from '../../lib/render/syncd-log-conf';

describe('backup-syncd.log.conf', () => {
  test('the generated file parses to the defaults without problems', () => {
    expect(parseLogConfig(renderSyncdLogConf('ahost.example.com'))).toEqual({ config: DEFAULT_LOG_CONFIG, problems: [] });
  });

  test('comments, blank lines and spaces are ignored; the last value wins', () => {
    const parsed = parseLogConfig('# c\n\n level = debug  # trailing\nformat=json\nlevel=warn\n');
    expect(parsed).toEqual({ config: { level: 'warn', format: 'json' }, problems: [] });
  });

  test('bad lines are reported with their number and what is allowed, and skipped', () => {
    const parsed = parseLogConfig('level=verbose\nformat=xml\ncolour=red\njust text\nlevel=error\n');
    expect(parsed.config).toEqual({ level: 'error', format: 'text' });
    expect(parsed.problems).toEqual([
      expect.stringMatching(/^line 1 .*level is one of debug \| info \| warn \| error/),
      expect.stringMatching(/^line 2 .*format is one of text \| json/),
      expect.stringMatching(/^line 3 .*unknown key "colour"/),
      expect.stringMatching(/^line 4 .*expected key=value/),
    ]);
  });
});

describe('logger', () => {
  test('text lines: level, event, key=value with quoting where needed', () => {
    expect(formatLine({ level: 'info', format: 'text' }, 'warn', 'replica-sync-output', { stream: 'stdout', line: 'two words', skipped: undefined })).toBe(
      'warn replica-sync-output stream=stdout line="two words"',
    );
  });

  test('json lines are one object per event', () => {
    expect(JSON.parse(formatLine({ level: 'info', format: 'json' }, 'info', 'replicated', { added: 3 }))).toEqual({ level: 'info', event: 'replicated', added: 3 });
  });

  test('events below the configured level are dropped', () => {
    const lines: string[] = [];
    const logger = createLogger({ level: 'warn', format: 'text' }, (line) => lines.push(line));
    logger.debug('a');
    logger.info('b');
    logger.warn('c');
    logger.error('d');
    expect(lines).toEqual(['warn c', 'error d']);
  });
});
