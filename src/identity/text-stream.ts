/**
 * A byte stream passed through only while it is UTF-8 text without NUL (src/domain/utf8.ts):
 * importers read their CSV through it, so a file in another encoding is refused with the line
 * it goes wrong on, instead of importing names full of "�" or failing inside PostgreSQL.
 */
import { Transform, type Readable } from 'node:stream';
import { utf8Checker } from '../domain/utf8.ts';

export function utf8Only(input: Readable, refuse: (line: number) => Error): Readable {
  const checker = utf8Checker();
  const guard = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      const check = checker.push(chunk);
      done(check.ok ? null : refuse(check.line), check.ok ? chunk : undefined);
    },
    flush(done) {
      const check = checker.end();
      done(check.ok ? null : refuse(check.line));
    },
  });
  // pipe() does not forward a source error (an unreadable file): this does.
  input.once('error', (error) => guard.destroy(error));
  return input.pipe(guard);
}
