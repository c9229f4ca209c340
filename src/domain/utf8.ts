/**
 * Checks that a stream of bytes is UTF-8 text, chunk by chunk, and says on which line it is
 * not. A decoder that is not told otherwise turns broken bytes into U+FFFD and NUL passes
 * through: a spreadsheet saved in Windows-1256 would import as rows of "�", and a NUL would
 * reach PostgreSQL, which refuses it. Pure: the caller feeds the chunks it reads.
 */
export type Utf8Check = { ok: true } | { ok: false; line: number };

export function utf8Checker(): { push(chunk: Uint8Array): Utf8Check; end(): Utf8Check } {
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  let line = 1;
  const count = (text: string): Utf8Check => {
    const nul = text.indexOf('\u0000');
    const upto = nul === -1 ? text : text.slice(0, nul);
    for (let i = upto.indexOf('\n'); i !== -1; i = upto.indexOf('\n', i + 1)) line++;
    return nul === -1 ? { ok: true } : { ok: false, line };
  };
  const decode = (chunk: Uint8Array | undefined, stream: boolean): Utf8Check => {
    let text: string;
    try {
      text = chunk === undefined ? decoder.decode() : decoder.decode(chunk, { stream });
    } catch {
      // The broken bytes lie after every complete line of this chunk that decodes: find them.
      if (chunk === undefined) return { ok: false, line };
      const good = new TextDecoder('utf-8', { fatal: false }).decode(chunk);
      const bad = good.indexOf('\uFFFD');
      count(bad === -1 ? good : good.slice(0, bad));
      return { ok: false, line };
    }
    return count(text);
  };
  return { push: (chunk) => decode(chunk, true), end: () => decode(undefined, false) };
}
