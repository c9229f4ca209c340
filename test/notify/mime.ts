// Just enough MIME to read what nodemailer writes: unfolded, decoded headers and the decoded
// parts of a multipart/alternative message (base64 or quoted-printable).
export type MimePart = { headers: Map<string, string>; body: string };

function bytesOfQuotedPrintable(text: string): Buffer {
  const joined = text.replace(/=\r?\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < joined.length; i++) {
    const hex = joined.slice(i + 1, i + 3);
    if (joined[i] === '=' && /^[0-9A-F]{2}$/i.test(hex)) {
      bytes.push(Number.parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(joined[i]!, 'utf8'));
    }
  }
  return Buffer.from(bytes);
}

export function decodeWords(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?utf-8\?([bq])\?([^?]*)\?=/gi, (_all, kind: string, text: string) =>
      kind.toLowerCase() === 'b'
        ? Buffer.from(text, 'base64').toString('utf8')
        : bytesOfQuotedPrintable(text.replace(/_/g, ' ')).toString('utf8'));
}

function split(raw: string): MimePart {
  const at = raw.indexOf('\r\n\r\n');
  const head = at < 0 ? raw : raw.slice(0, at);
  const body = at < 0 ? '' : raw.slice(at + 4);
  const headers = new Map<string, string>();
  for (const line of head.replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).toLowerCase(), decodeWords(line.slice(colon + 1).trim()));
  }
  return { headers, body };
}

function decodeBody(part: MimePart): string {
  const encoding = part.headers.get('content-transfer-encoding')?.toLowerCase();
  if (encoding === 'base64') return Buffer.from(part.body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (encoding === 'quoted-printable') return bytesOfQuotedPrintable(part.body).toString('utf8');
  return part.body;
}

export function parseMime(raw: string): { headers: Map<string, string>; parts: MimePart[] } {
  const message = split(raw);
  const boundary = /boundary="?([^";]+)"?/.exec(message.headers.get('content-type') ?? '')?.[1];
  if (boundary === undefined) return { headers: message.headers, parts: [{ headers: message.headers, body: decodeBody(message) }] };
  const parts = message.body.split(`--${boundary}`).slice(1, -1).map((chunk) => {
    const part = split(chunk.replace(/^\r\n/, ''));
    return { headers: part.headers, body: decodeBody(part) };
  });
  return { headers: message.headers, parts };
}
