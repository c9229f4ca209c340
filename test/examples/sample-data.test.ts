// The sample data of the parents portal and payslips: the same seed always gives the same
// data, every seed gives some, and the numbers add up.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { childRecord, firstExamGrade, subjectsOf } from '../../examples/parents-portal/sample-data.ts';
import { payPeriods, payslips, PAYSLIP_MONTHS } from '../../examples/payslips/sample-data.ts';
import { addDays } from '../../examples/shared/format.ts';

const ids = ['0045678911', '0076229645', '1583250689', '0011537027', '039337423', '012345674'];

describe('parents portal sample data', () => {
  test('the same national ID and day give the same record; different IDs, different records', () => {
    for (const profile of ['ir', 'il'] as const) {
      const records = ids.map((id) => childRecord(id, { today: '2025-10-20', profile, schoolGrade: 12 }));
      ids.forEach((id, i) => assert.deepEqual(childRecord(id, { today: '2025-10-20', profile, schoolGrade: 12 }), records[i]));
      assert.equal(new Set(records.map((record) => JSON.stringify(record))).size, ids.length);
    }
  });

  test('every child in the exam grades has five to seven exams of the country\'s subjects, graded on its scale once held', () => {
    for (const profile of ['ir', 'il'] as const) {
      for (let n = 0; n < 200; n++) {
        const today = addDays('2025-09-01', n * 3);
        const record = childRecord(String(1_000_000_000 + n * 7919), { today, profile, schoolGrade: firstExamGrade[profile] + (n % 3) });
        assert.equal(record.scale, profile === 'ir' ? 20 : 100);
        assert.ok(record.exams.length >= 5 && record.exams.length <= 7);
        assert.equal(new Set(record.exams.map((exam) => exam.subject)).size, record.exams.length);
        for (const exam of record.exams) {
          assert.ok((subjectsOf[profile] as readonly string[]).includes(exam.subject));
          if (exam.date < today) assert.ok(exam.grade !== null && exam.grade >= 0 && exam.grade <= record.scale);
          else assert.equal(exam.grade, null);
        }
        assert.deepEqual(record.exams.map((exam) => exam.date), record.exams.map((exam) => exam.date).sort());
        for (const decision of record.decisions) assert.ok(decision.date < today);
      }
    }
  });

  test('matriculation exams are sat from grade 11 in Iran and grade 10 in Israel: none before, or when the grade is unknown', () => {
    const today = '2026-03-01';
    for (const [profile, first] of [['ir', 11], ['il', 10]] as const) {
      for (let n = 0; n < 50; n++) {
        const id = String(1_000_000_000 + n * 7919);
        for (const schoolGrade of [null, 1, 6, first - 1]) assert.deepEqual(childRecord(id, { today, profile, schoolGrade }).exams, [], `${profile} grade ${schoolGrade}`);
        assert.ok(childRecord(id, { today, profile, schoolGrade: first }).exams.length >= 5);
      }
    }
  });

  test('a child in the first exam grade has only this school year\'s sessions; one further on, last year\'s summer too', () => {
    const today = '2026-03-01'; // school year 2025-26: last summer session began 2025-05-27, this year's winter 2026-01-08
    const dates = (schoolGrade: number) => Array.from({ length: 100 }, (_, n) => childRecord(`child-${n}`, { today, profile: 'ir', schoolGrade }))
      .flatMap((record) => record.exams.map((exam) => exam.date));
    assert.ok(dates(11).every((date) => date >= '2026-01-08'));
    assert.ok(dates(12).some((date) => date < '2025-09-01'));
  });

  test('some children have committee decisions and some have none', () => {
    const counts = Array.from({ length: 100 }, (_, n) => childRecord(`child-${n}`, { today: '2025-10-20', profile: 'ir', schoolGrade: 8 }).decisions.length);
    assert.ok(counts.some((count) => count === 0));
    assert.ok(counts.some((count) => count > 0));
  });
});

describe('payslips sample data', () => {
  test('pay months in Iran are Solar Hijri months, the six before the current one, newest first', () => {
    const periods = payPeriods('2025-10-20', 'persian', PAYSLIP_MONTHS); // 28 Mehr 1404
    assert.deepEqual(periods.map((period) => period.key), ['1404-06', '1404-05', '1404-04', '1404-03', '1404-02', '1404-01']);
    assert.deepEqual(periods[0], { key: '1404-06', firstDay: '2025-08-23', lastDay: '2025-09-22' });
    assert.deepEqual(periods.at(-1), { key: '1404-01', firstDay: '2025-03-21', lastDay: '2025-04-20' });
    periods.slice(1).forEach((period, i) => assert.equal(addDays(period.lastDay, 1), periods[i]?.firstDay));
  });

  test('pay months in Israel are Gregorian months', () => {
    assert.deepEqual(payPeriods('2025-03-01', 'gregory', 2), [
      { key: '2025-02', firstDay: '2025-02-01', lastDay: '2025-02-28' },
      { key: '2025-01', firstDay: '2025-01-01', lastDay: '2025-01-31' },
    ]);
  });

  test('the same sub gives the same payslips; the base pay is the person\'s, the overtime the month\'s', () => {
    const a = payslips('sub-a', { today: '2025-10-20', profile: 'ir' });
    assert.deepEqual(payslips('sub-a', { today: '2025-10-20', profile: 'ir' }), a);
    assert.notDeepEqual(payslips('sub-b', { today: '2025-10-20', profile: 'ir' }), a);
    assert.equal(new Set(a.map((slip) => slip.earnings[0]?.amount)).size, 1);
    // The same month seen a month later is the same payslip.
    const later = payslips('sub-a', { today: '2025-11-25', profile: 'ir' });
    assert.deepEqual(later.find((slip) => slip.period.key === a[0]?.period.key), a[0]);
  });

  test('amounts add up exactly: rials whole, shekels to the agora', () => {
    for (let n = 0; n < 100; n++) {
      for (const profile of ['ir', 'il'] as const) {
        for (const slip of payslips(`sub-${n}`, { today: '2025-10-20', profile })) {
          const cents = (amount: number) => Math.round(amount * 100);
          const all = [...slip.earnings, ...slip.deductions].map((line) => line.amount);
          for (const amount of [...all, slip.gross, slip.net]) {
            assert.ok(amount >= 0);
            if (profile === 'ir') assert.ok(Number.isInteger(amount));
            else assert.equal(cents(amount) / 100, amount);
          }
          assert.equal(slip.earnings.reduce((sum, line) => sum + cents(line.amount), 0), cents(slip.gross));
          assert.equal(slip.deductions.reduce((sum, line) => sum + cents(line.amount), 0), cents(slip.totalDeductions));
          assert.equal(cents(slip.gross) - cents(slip.totalDeductions), cents(slip.net));
          assert.equal(slip.currency, profile === 'ir' ? 'IRR' : 'ILS');
        }
      }
    }
  });
});
