// A software authenticator for tests that need many passkeys without a browser: a P-256 key
// and a "none" attestation (WebAuthn §8.7), CBOR-encoded by hand (the few types it needs).
import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';

type Cbor = number | string | Buffer | Map<Cbor, Cbor>;

function head(major: number, n: number): Buffer {
  if (n < 24) return Buffer.from([(major << 5) | n]);
  if (n < 256) return Buffer.from([(major << 5) | 24, n]);
  if (n < 65_536) return Buffer.from([(major << 5) | 25, n >> 8, n & 0xff]);
  throw new RangeError('too long for this encoder');
}

function cbor(value: Cbor): Buffer {
  if (typeof value === 'number') return value >= 0 ? head(0, value) : head(1, -1 - value);
  if (typeof value === 'string') return Buffer.concat([head(3, Buffer.byteLength(value)), Buffer.from(value)]);
  if (Buffer.isBuffer(value)) return Buffer.concat([head(2, value.length), value]);
  return Buffer.concat([head(5, value.size), ...[...value].flatMap(([k, v]) => [cbor(k), cbor(v)])]);
}

/** What the browser would post after `navigator.credentials.create` with these options. */
export function registrationResponse(options: { challenge: string }, rp: { id: string; origin: string }, transports: unknown[] = ['internal']) {
  const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = publicKey.export({ format: 'jwk' });
  const coseKey = cbor(new Map<Cbor, Cbor>([[1, 2], [3, -7], [-1, 1], [-2, Buffer.from(jwk.x!, 'base64url')], [-3, Buffer.from(jwk.y!, 'base64url')]]));
  const credentialId = randomBytes(16);
  const authData = Buffer.concat([
    createHash('sha256').update(rp.id).digest(), Buffer.from([0x41]), Buffer.alloc(4), Buffer.alloc(16),
    Buffer.from([credentialId.length >> 8, credentialId.length & 0xff]), credentialId, coseKey,
  ]);
  const attestationObject = cbor(new Map<Cbor, Cbor>([['fmt', 'none'], ['attStmt', new Map()], ['authData', authData]]));
  const clientData = JSON.stringify({ type: 'webauthn.create', challenge: options.challenge, origin: rp.origin, crossOrigin: false });
  const id = credentialId.toString('base64url');
  return {
    id, rawId: id, type: 'public-key', clientExtensionResults: {},
    response: { clientDataJSON: Buffer.from(clientData).toString('base64url'), attestationObject: attestationObject.toString('base64url'), transports },
  };
}
