/* eslint-disable no-control-regex -- these tests search output for control characters on purpose */
/**
 * The export writes a million rows through a fast path (AuditCsvEncoder: one pass per row into a Buffer)
 * instead of the rule (csvField per field, auditCsvLine per row). The fast path may never write a byte the
 * rule would not: on random rows of hostile text (formula starts, quotes, control, bidi and zero-width
 * characters, lone surrogates, any code point) both must give the same bytes, and every field must come out
 * quoted, escaped and defused whichever path wrote it.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AuditCsvEncoder, auditCsvLine } from '../../main/core/audit/audit-csv';
import type { RawAuditRow } from '../../main/core/audit/audit-log';
import { quotedFields } from '../support/audit-csv';

/** Characters that matter to the guards, and some that do not. */
const INTERESTING = [
  ...'=+-@"\',;{}:\\ azAZ09~\x7f\t\r\n\x00\x1b\x85\x9b',
  '\u200b',
  '\u200f',
  '\u202e',
  '\u2028',
  '\u2066',
  '\ufeff',
  '\uFF1D',
  '\uFF0B',
  '\uFF0D',
  '\uFF20',
  '\ud800',
  '\udfff',
  '\u{1f600}',
  'é',
  'ß',
  '\u0301',
  '\ue000',
  '\u{10ffff}',
];

const hostileText = fc.oneof(
  fc.string({ unit: fc.constantFrom(...INTERESTING), maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.string({ unit: 'binary-ascii', maxLength: 12 }),
  // Mostly plain, as real rows are, with one odd character somewhere.
  fc
    .tuple(fc.stringMatching(/^[a-z0-9.@" -]{0,10}$/), fc.constantFrom(...INTERESTING), fc.nat(10))
    .map(([plain, odd, at]) => plain.slice(0, at) + odd + plain.slice(at)),
  fc.constantFrom('', 'user000001', '{"rows":1000000}', '=SUM(A1)', '-2.3', '@evil', '＝1+1'),
);

/** Years 0000 and 9999 and beyond (toISOString's six-digit years), day edges, before 1970. */
const EDGE_TIMES = [
  0, -1, 1, 86_399_999, 86_400_000, -86_400_000, 951_782_400_000, -62_167_219_200_000, -62_167_219_200_001,
  253_402_300_799_999, 253_402_300_800_000, 8.64e15, -8.64e15,
];
const time = fc.oneof(
  fc.constantFrom(...EDGE_TIMES),
  fc.integer({ min: -62_167_219_200_000, max: 253_402_300_799_999 }),
  fc.integer({ min: -8.64e15, max: 8.64e15 }),
  fc.double({ min: -8.64e15, max: 8.64e15, noNaN: true }),
);

const row: fc.Arbitrary<RawAuditRow> = fc.tuple(
  fc.oneof(
    fc.nat(),
    fc.integer({ min: -1_000, max: Number.MAX_SAFE_INTEGER }),
    fc.constantFrom(0, 9, 10, 99, 100),
  ),
  time,
  hostileText,
  hostileText,
  fc.option(hostileText, { nil: null }),
  hostileText,
  fc.option(hostileText, { nil: null }),
);

/** Rows close in time (the encoder keeps the date of the last row's day), and far apart. */
const rows = fc.oneof(
  fc.array(row, { maxLength: 20 }),
  fc
    .tuple(row, fc.array(fc.tuple(fc.integer({ min: -90_000_000, max: 90_000_000 }), row), { maxLength: 20 }))
    .map(([first, rest]) => {
      let at = Math.trunc(first[1]);
      return [
        first,
        ...rest.map(([step, r]): RawAuditRow => {
          at = Math.max(-8.64e15, Math.min(8.64e15, at + step));
          return [r[0], at, r[2], r[3], r[4], r[5], r[6]];
        }),
      ];
    }),
);

const rule = (batch: readonly RawAuditRow[]) => Buffer.from(batch.map(auditCsvLine).join(''));

describe('the audit CSV fast path (AuditCsvEncoder)', () => {
  it('writes byte for byte what the rule (auditCsvLine, csvField) writes, for random rows of hostile text', () => {
    fc.assert(
      fc.property(fc.array(rows, { minLength: 1, maxLength: 4 }), (batches) => {
        // One encoder for every batch, as an export uses it: what it keeps between batches must not leak.
        const encoder = new AuditCsvEncoder();
        for (const batch of batches) expect(encoder.encode(batch).equals(rule(batch))).toBe(true);
      }),
      { numRuns: 600 },
    );
  });

  it('quotes every field, leaves no control or bidi character and no formula start, whichever path wrote it', () => {
    const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]/;
    fc.assert(
      fc.property(fc.array(row, { minLength: 1, maxLength: 10 }), (batch) => {
        const text = new AuditCsvEncoder().encode(batch).toString('utf8');
        const records = text.split('\r\n');
        expect(records.pop()).toBe('');
        expect(records).toHaveLength(batch.length);
        for (const record of records) {
          expect(record).not.toMatch(UNSAFE);
          const values = quotedFields(record);
          expect(values).toHaveLength(7);
          for (const value of values) expect(value, record).not.toMatch(/^[=+\-@\t\r\n＝＋－＠]/);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('loses no byte where a field or a line ends exactly at the edge of its buffer', () => {
    // 32 rows: a first buffer of 4 KiB. Rows of empty fields take exactly the room each field asks for; a
    // first row one byte longer each time moves every later field and line end across that buffer's edge.
    const tight = (id: number): RawAuditRow => [id, 86_400_000 * id, '', '', null, '', null];
    const encoder = new AuditCsvEncoder();
    for (let filler = 0; filler < 120; filler++) {
      const batch: RawAuditRow[] = [
        [1, 0, 'a'.repeat(1_300 + filler), 'b'.repeat(1_250), null, 'success', null],
        ...Array.from({ length: 31 }, (_, i) => tight(i * 37)),
      ];
      expect(encoder.encode(batch).equals(rule(batch)), `filler ${filler}`).toBe(true);
    }
  });

  it('grows past its first estimate for long fields, plain and escaped', () => {
    const long: RawAuditRow = [1, 0, 'a"'.repeat(40_000), 'x', '\u202e'.repeat(30_000), 'success', null];
    const batch = [long, long, [2, 1, 'b', 'c', null, 'failure', '{"n":1}'] as RawAuditRow];
    expect(new AuditCsvEncoder().encode(batch).equals(rule(batch))).toBe(true);
  });
});
