// The identification answer (F19) means the same whatever keyboard typed it: NFKC, Persian and
// Arabic-Indic digits, Arabic letter forms, case, and runs of spaces (a half-space among them).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { answerForms, checkAnswer, isIdentificationQuestion, normalizeAnswer } from '../../src/domain/identification-answer.ts';
import { tokenFrom } from '../../src/flows/set-password/machine.ts';

describe('identification answers', () => {
  test('the same answer typed on different keyboards normalizes to one', () => {
    assert.equal(normalizeAnswer('  Mashhad   ۱۲ '), 'mashhad 12');
    assert.equal(normalizeAnswer('MASHHAD\t١٢'), 'mashhad 12');
    assert.equal(normalizeAnswer('ＭＡＳＨＨＡＤ 12'), 'mashhad 12', 'full-width Latin (NFKC)');
    assert.equal(normalizeAnswer('علي'), normalizeAnswer('علی'), 'Arabic and Persian yeh');
    assert.equal(normalizeAnswer('می\u200cروم'), 'می روم', 'a half-space is a space');
    assert.equal(normalizeAnswer('a\u200f b\u200b'), 'a b', 'direction marks and zero-width spaces go');
    assert.equal(normalizeAnswer('İstanbul'), normalizeAnswer('i̇stanbul'));
  });

  test('the marks written over and under letters go: Hebrew niqqud, Arabic harakat; an answer saved with them before still matches', () => {
    assert.equal(normalizeAnswer('הֶרְצְל'), 'הרצל');
    assert.equal(normalizeAnswer('مَشْهَد'), normalizeAnswer('مشهد'));
    assert.equal(normalizeAnswer('Mashhad'), 'mashhad', 'letters of other scripts as they were');
    assert.equal(normalizeAnswer('Café'), normalizeAnswer('Cafe\u0301'), 'a mark a letter absorbs (NFKC) is that letter');
    assert.deepEqual(answerForms('הרצל'), ['הרצל'], 'nothing to drop: one form, one hash');
    assert.deepEqual(answerForms('הֶרצל'), ['הרצל', 'הֶרצל'], 'then as answers were saved until 2026-12-03');
  });

  test('an answer too short, empty or far too long is refused by code', () => {
    assert.equal(checkAnswer(' '), 'set_password.answer_required');
    assert.equal(checkAnswer('\u200c'), 'set_password.answer_required');
    assert.equal(checkAnswer('a'), 'set_password.answer_too_short');
    assert.equal(checkAnswer('ab'), undefined);
    assert.equal(checkAnswer('ب'.repeat(101)), 'error.field_too_long');
    assert.equal(checkAnswer('x'.repeat(100_000)), 'error.field_too_long');
  });

  test('questions come from the fixed list only', () => {
    assert.equal(isIdentificationQuestion('first_school'), true);
    assert.equal(isIdentificationQuestion('constructor'), false);
    assert.equal(isIdentificationQuestion(''), false);
  });

  test('a pasted link gives its token', () => {
    const token = 'a'.repeat(43);
    assert.equal(tokenFrom(`  https://kelid.example/set-password?token=${token}  `), token);
    assert.equal(tokenFrom(`https://kelid.example/set-password?lang=he&token=${token}#x`), token);
    assert.equal(tokenFrom(token), token);
  });
});
