// isoDateIn keeps its last answer per time zone for one UTC minute: the answers must be exactly
// Intl's, at local midnights, across zones, for zones with odd offsets and for old instants.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isoDateIn } from '../../src/identity/clock.ts';

// One formatter per zone: making one is most of the cost (36,000 answers below took 9 s).
const formatters = new Map<string, Intl.DateTimeFormat>();
const intl = (instant: Date, timeZone: string) => {
  let format = formatters.get(timeZone);
  if (format === undefined) formatters.set(timeZone, format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }));
  return format.format(instant);
};

describe('isoDateIn', () => {
  test('the civil date turns at local midnight, to the second, in Tehran, Kathmandu and Jerusalem (summer time)', () => {
    // Tehran +03:30: midnight is 20:30 UTC. Kathmandu +05:45: 18:15 UTC. Jerusalem in July +03:00: 21:00 UTC.
    const cases: [string, string, string, string][] = [
      ['Asia/Tehran', '2026-03-20T20:29:59.999Z', '2026-03-20', '2026-03-20T20:30:00.000Z'],
      ['Asia/Kathmandu', '2026-07-01T18:14:59.999Z', '2026-07-01', '2026-07-01T18:15:00.000Z'],
      ['Asia/Jerusalem', '2026-07-01T20:59:59.999Z', '2026-07-01', '2026-07-01T21:00:00.000Z'],
    ];
    for (const [zone, before, date, midnight] of cases) {
      // The same minute asked twice, then the next one: the cached answer must not outlive its minute.
      assert.equal(isoDateIn(new Date(Date.parse(before) - 30_000), zone), date, zone);
      assert.equal(isoDateIn(new Date(before), zone), date, zone);
      assert.equal(isoDateIn(new Date(midnight), zone), intl(new Date(midnight), zone), zone);
      assert.notEqual(isoDateIn(new Date(midnight), zone), date, `${zone}: a new day at midnight`);
      // And back: an earlier instant after a later one.
      assert.equal(isoDateIn(new Date(before), zone), date, zone);
    }
  });

  test('equals Intl for instants around midnights in many zones, in any order, zones interleaved', () => {
    const zones = ['Asia/Tehran', 'Asia/Jerusalem', 'Asia/Kathmandu', 'Pacific/Chatham', 'America/St_Johns', 'UTC', 'Australia/Eucla'];
    const instants: number[] = [];
    for (let day = 0; day < 40; day++) {
      const base = Date.UTC(2026, 0, 1) + day * 9 * 86_400_000;
      for (let seconds = -150; seconds <= 150; seconds += 7) instants.push(base + seconds * 1000, base + 20.5 * 3_600_000 + seconds * 1000, base + 18.25 * 3_600_000 + seconds * 1000);
    }
    // A fixed shuffle: the order of asking must not matter.
    const order = instants.map((at, i) => ({ at, key: (i * 2_654_435_761) % 4_294_967_296 })).sort((a, b) => a.key - b.key);
    for (const { at } of order) {
      for (const zone of zones) assert.equal(isoDateIn(new Date(at), zone), intl(new Date(at), zone), `${zone} ${new Date(at).toISOString()}`);
    }
  });

  test('old instants, whose offsets had seconds, are worked out each time; an invalid date throws', () => {
    // Monrovia was −00:44:30 until 1972: its midnight fell at 00:44:30 UTC.
    const zone = 'Africa/Monrovia';
    for (const at of ['1960-05-01T00:44:10Z', '1960-05-01T00:44:40Z', '1960-05-01T00:44:20Z', '1960-05-01T00:44:50Z']) {
      assert.equal(isoDateIn(new Date(at), zone), intl(new Date(at), zone), at);
    }
    assert.throws(() => isoDateIn(new Date(Number.NaN), 'Asia/Tehran'), RangeError);
  });
});
