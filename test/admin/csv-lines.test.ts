// Line numbers in CSV files as an editor shows them (src/admin/csv-lines.ts), against csv-parse
// with the options the imports use, on generated files: LF, CRLF or CR line ends, cells over
// several lines, blank and white lines between rows, a BOM.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { csvErrorLine, RECORD_DELIMITERS, recordLineCounter } from '../../src/admin/csv-lines.ts';

const options = { bom: true, info: true, raw: true, skip_empty_lines: true, relax_column_count: true, trim: true, columns: true, record_delimiter: RECORD_DELIMITERS } as const;
const end = fc.constantFrom('\n', '\r\n', '\r');
const cell = fc.oneof(
  fc.stringMatching(/^[a-z0-9آ-ی]{0,6}$/),
  // A quoted cell with line breaks (LF, as Excel writes them, or the file's own) and doubled quotes.
  fc.tuple(fc.array(fc.stringMatching(/^[a-z ]{0,4}$/), { minLength: 2, maxLength: 3 }), fc.boolean()).map(([parts, lf]) => ({ parts, lf })),
);

test('every record\'s first line, whatever the line ends (mixed within the file too), cells over lines and blank lines', () => {
  fc.assert(fc.property(end, fc.boolean(), fc.array(fc.tuple(fc.array(cell, { minLength: 2, maxLength: 2 }), fc.constantFrom('', 'blank', 'white'), fc.option(end)), { minLength: 1, maxLength: 12 }), (first, bom, rows) => {
    let text = `national_id,role${first}`;
    let line = 2;
    const expected: number[] = [];
    for (const [cells, before, own] of rows) {
      // Most files keep one line end; some rows here end their own way (a file pasted together).
      const eol = own ?? first;
      // A lone CR and then a blank line's LF are one CRLF, in an editor as in the parser.
      if (before === 'blank') { text += text.endsWith('\r') && eol === '\n' ? '\r\n' : eol; line++; }
      if (before === 'white') { text += ` \t${eol}`; line++; }
      const written = cells.map((c) => {
        if (typeof c === 'string') return c === '' ? 'x' : c;
        const inside = c.lf ? '\n' : eol;
        line += c.parts.length - 1; // counted after: this row starts before its inner breaks
        return `"${c.parts.join(`${inside}"" `)}"`;
      });
      const breaks = cells.reduce((n, c) => n + (typeof c === 'string' ? 0 : c.parts.length - 1), 0);
      expected.push(line - breaks);
      text += `${written.join(',')}${eol}`;
      line++;
    }
    const bytes = Buffer.from(bom ? `\ufeff${text}` : text);
    const lineOf = recordLineCounter(bytes);
    const got = (parse(bytes, options) as { info: { bytes: number }; raw: string }[]).map((r) => lineOf(r.info, r.raw));
    assert.deepEqual(got, expected, JSON.stringify(text));
  }), { numRuns: 300 });
});

test('where csv-parse stopped: the first line of the record at fault, after blank lines, in any line ends', () => {
  for (const eol of ['\n', '\r\n', '\r']) {
    const text = ['national_id,role', 'a,b', '"c\nd",e', '', ' \t', 'f,"never closed', 'g,h', ''].join(eol);
    let error: unknown;
    try { parse(Buffer.from(text), options); } catch (caught) { error = caught; }
    assert.equal(csvErrorLine(error, Buffer.from(text)), 7, JSON.stringify(eol));
  }
  assert.equal(csvErrorLine(new Error('not csv-parse\'s'), Buffer.from('x')), undefined);
});
