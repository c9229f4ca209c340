// A tiny zip writer for tests (deflate or stored entries, no data descriptors): enough to craft
// the zips an importer must refuse, such as an entry that inflates far past what it declares.
import { crc32, deflateRawSync } from 'node:zlib';

export type ZipEntry = {
  name: string;
  data: string | Buffer;
  /** The uncompressed size written in the headers, when it should lie (default: the true size). */
  declaredSize?: number;
  /** Deflated (8, the default) or stored (0). */
  method?: 0 | 8;
  /** The name in the local header, when it should differ from the directory's. */
  localName?: string;
  /** An Info-ZIP Unicode Path extra field (0x7075) over the name, in both headers. */
  unicodePath?: string;
  /** Whether the headers flag the name as UTF-8 (default true); a Mac's Archive Utility does not. */
  utf8Flag?: boolean;
};

export function buildZip(entries: readonly ZipEntry[]): Buffer {
  const locals: Buffer[] = [];
  const directory: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name, 'utf8');
    const data = typeof entry.data === 'string' ? Buffer.from(entry.data, 'utf8') : entry.data;
    const method = entry.method ?? 8;
    const body = method === 8 ? deflateRawSync(data) : data;
    const size = entry.declaredSize ?? data.length;
    const crc = crc32(data);
    const localName = entry.localName === undefined ? name : Buffer.from(entry.localName, 'utf8');
    const extra = entry.unicodePath === undefined ? Buffer.alloc(0) : unicodePathField(name, entry.unicodePath);
    const flags = entry.utf8Flag === false ? 0 : 0x800;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0); local.writeUInt16LE(20, 4); local.writeUInt16LE(flags, 6); local.writeUInt16LE(method, 8);
    local.writeUInt32LE(crc, 14); local.writeUInt32LE(body.length, 18); local.writeUInt32LE(size, 22); local.writeUInt16LE(localName.length, 26);
    local.writeUInt16LE(extra.length, 28);
    locals.push(local, localName, extra, body);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0); central.writeUInt16LE(20, 4); central.writeUInt16LE(20, 6); central.writeUInt16LE(flags, 8);
    central.writeUInt16LE(method, 10); central.writeUInt32LE(crc, 16); central.writeUInt32LE(body.length, 20); central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28); central.writeUInt16LE(extra.length, 30); central.writeUInt32LE(offset, 42);
    directory.push(central, name, extra);
    offset += 30 + localName.length + extra.length + body.length;
  }
  const directoryBytes = Buffer.concat(directory);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0); end.writeUInt16LE(entries.length, 8); end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directoryBytes.length, 12); end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directoryBytes, end]);
}

/** Info-ZIP's Unicode Path extra field: id 0x7075, version 1, the CRC-32 of the plain name, the UTF-8 name. */
function unicodePathField(plainName: Buffer, unicodeName: string): Buffer {
  const utf8 = Buffer.from(unicodeName, 'utf8');
  const field = Buffer.alloc(4 + 5 + utf8.length);
  field.writeUInt16LE(0x7075, 0); field.writeUInt16LE(5 + utf8.length, 2); field.writeUInt8(1, 4); field.writeUInt32LE(crc32(plainName), 5);
  utf8.copy(field, 9);
  return field;
}

/**
 * `zip` with a stored entry (`name`, `data`) slipped in front of its first listed entry, which the
 * central directory does not list; every offset after it moved to match. A streaming unzipper
 * would read the hidden entry; a guard that tiles the file by the directory refuses it.
 */
export function smuggle(zip: Buffer, name: string, data: Buffer): Buffer {
  const extra = buildZip([{ name, data, method: 0 }]);
  const localLength = extra.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
  const result = Buffer.concat([extra.subarray(0, localLength), zip]);
  const end = result.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  result.writeUInt32LE(result.readUInt32LE(end + 16) + localLength, end + 16);
  let at = result.readUInt32LE(end + 16);
  while (result.readUInt32LE(at) === 0x02014b50) {
    result.writeUInt32LE(result.readUInt32LE(at + 42) + localLength, at + 42);
    at += 46 + result.readUInt16LE(at + 28) + result.readUInt16LE(at + 30) + result.readUInt16LE(at + 32);
  }
  return result;
}
