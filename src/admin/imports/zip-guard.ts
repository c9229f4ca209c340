/**
 * A zip from outside (an XLSX is one) checked before anything unpacks it for real: the central
 * directory's entry count, declared sizes and compression ratios; no bytes hidden between the
 * entries it lists (a streaming unzipper, like exceljs's, reads local headers in file order
 * and would find entries the directory never declared); one name per entry, whichever tool
 * reads it (below, `checkOneName`); then every entry inflated once with
 * yauzl (`validateEntrySizes`: an entry that inflates past its declared size is an error), the
 * bytes counted against the budget. A zip bomb costs at most the budget's worth of inflating.
 */
import { isUtf8 } from 'node:buffer';
import type { Entry, ZipFile } from 'yauzl';

export type ZipLimits = {
  /** Entries in the central directory. */
  maxEntries: number;
  /** Declared uncompressed bytes of all entries together, and bytes actually inflated. */
  maxTotalBytes: number;
  /** The same for one entry (default: maxTotalBytes). */
  maxEntryBytes?: number;
  /** Uncompressed / compressed, for an entry above `ratioFrom` bytes uncompressed. */
  maxRatio: number;
  ratioFrom: number;
};

/** An XLSX of 100,000 rows is some 20 MB of XML in a few MB of zip; XML compresses 10–30×. */
export const XLSX_LIMITS: ZipLimits = { maxEntries: 1000, maxTotalBytes: 300 * 1024 * 1024, maxRatio: 200, ratioFrom: 1024 * 1024 };

/** `bomb`: over a limit; `not_zip`: not a zip, or a damaged or tampered one. */
export class ZipRefused extends Error {
  readonly reason: 'bomb' | 'not_zip';
  constructor(reason: 'bomb' | 'not_zip', detail: string) {
    super(`${reason}: ${detail}`);
    this.name = 'ZipRefused';
    this.reason = reason;
  }
}

const LOCAL_HEADER = 0x04034b50;
const END_OF_DIRECTORY = 0x06054b50;

/** What the caller does with the entries: which to inflate, and each inflated chunk. */
export type ZipVisitor = {
  /**
   * Each listed entry's name, before anything is inflated: false skips the entry (not inflated,
   * not counted against the limits); throwing refuses the zip with the caller's own error.
   */
  admit?: (name: string) => boolean;
  /** Every inflated chunk of an admitted entry, in order (to scan or keep it while it is in hand). */
  onData?: (name: string, chunk: Buffer) => void;
};

/**
 * Checks `bytes` as a zip within `limits`, inflating each admitted entry once (the XLSX reader
 * admits all and scans; the OneRoster reader admits the files it reads and keeps them).
 * Answers the entries' names; throws ZipRefused, or what `admit`/`onData` throw.
 */
export async function checkZip(bytes: Buffer, limits: ZipLimits, visitor: ZipVisitor = {}): Promise<string[]> {
  if (bytes.length < 22 || bytes.readUInt32LE(0) !== LOCAL_HEADER) throw new ZipRefused('not_zip', 'no local header at 0');
  let zip: ZipFile;
  try {
    zip = await openZip(bytes);
  } catch (error) {
    throw new ZipRefused('not_zip', String(error));
  }
  try {
    if (zip.entryCount > limits.maxEntries) throw new ZipRefused('bomb', `${zip.entryCount} entries`);
    const entries = await readDirectory(zip);
    // Before any name is judged: a tampered zip is refused as one, whatever its names say.
    checkNothingHidden(bytes, entries);
    const admitted = entries.filter((entry) => visitor.admit?.(entry.fileName) ?? true);
    const entryMax = limits.maxEntryBytes ?? limits.maxTotalBytes;
    let declared = 0;
    for (const entry of admitted) {
      if (entry.uncompressedSize > entryMax) throw new ZipRefused('bomb', `declared size of ${entry.fileName}`);
      declared += entry.uncompressedSize;
      if (declared > limits.maxTotalBytes) throw new ZipRefused('bomb', `declared ${declared} bytes`);
      if (entry.uncompressedSize > limits.ratioFrom && entry.uncompressedSize / Math.max(1, entry.compressedSize) > limits.maxRatio) {
        throw new ZipRefused('bomb', `ratio of ${entry.fileName}`);
      }
    }
    let inflated = 0;
    for (const entry of admitted) {
      if (entry.fileName.endsWith('/')) continue;
      const stream = await openEntry(zip, entry);
      let inflatedHere = 0;
      try {
        for await (const chunk of stream as AsyncIterable<Buffer>) {
          inflated += chunk.length;
          inflatedHere += chunk.length;
          if (inflated > limits.maxTotalBytes || inflatedHere > entryMax) throw new ZipRefused('bomb', `inflated ${inflated} bytes`);
          visitor.onData?.(entry.fileName, chunk);
        }
      } catch (error) {
        stream.destroy();
        if (error instanceof ZipRefused) throw error;
        // yauzl's validateEntrySizes: more bytes than the entry declared is a bomb that lied.
        throw new ZipRefused(/too many bytes/i.test(String(error)) ? 'bomb' : 'not_zip', String(error));
      }
    }
    return entries.map((e) => e.fileName);
  } finally {
    zip.close();
  }
}

// yauzl is loaded at the first zip: a process serving sign-ins never reads one.
const openZip = async (bytes: Buffer) => {
  const { default: yauzl } = await import('yauzl');
  return new Promise<ZipFile>((resolve, reject) => yauzl.fromBuffer(bytes, { lazyEntries: true, validateEntrySizes: true, decodeStrings: true, strictFileNames: false }, (error, zip) => (error ? reject(error) : resolve(zip))));
};

const readDirectory = (zip: ZipFile) => new Promise<Entry[]>((resolve, reject) => {
  const entries: Entry[] = [];
  zip.on('entry', (entry: Entry) => { entries.push(readAsWritten(entry)); zip.readEntry(); });
  zip.once('end', () => resolve(entries));
  zip.once('error', (error: Error) => reject(new ZipRefused('not_zip', String(error))));
  zip.readEntry();
});

const openEntry = (zip: ZipFile, entry: Entry) => new Promise<NodeJS.ReadableStream & { destroy(): void }>((resolve, reject) =>
  zip.openReadStream(entry, (error, stream) => (error ? reject(new ZipRefused('not_zip', String(error))) : resolve(stream))));

/** yauzl's entry as it is: the name's bytes as the directory has them. */
type ListedEntry = Entry & { fileNameRaw?: Buffer };

const UTF8_FLAG = 0x800;
const UNICODE_PATH = 0x7075;

/**
 * An entry whose name's bytes are UTF-8 though its flags do not say so (a Mac's Archive Utility
 * sets no flag): yauzl reads such a name as CP437, «╪«╪▒┘ê╪¼█î» for «خروجی», and a refusal
 * would quote that. Read as UTF-8 instead. Plain ASCII reads the same either way (so do the
 * `/`, `\` and `..` yauzl judged the name by); a name with the flag or an Info-ZIP Unicode Path
 * is left as yauzl read it; bytes that are not UTF-8 stay CP437, as the zip format says.
 */
function readAsWritten(entry: Entry): Entry {
  const raw = (entry as ListedEntry).fileNameRaw;
  if (raw === undefined || (entry.generalPurposeBitFlag & UTF8_FLAG) !== 0 || entry.extraFields.some((field) => field.id === UNICODE_PATH)) return entry;
  if (raw.every((byte) => byte < 0x80) || !isUtf8(raw)) return entry;
  (entry as { fileName: string }).fileName = raw.toString('utf8').replace(/\\/g, '/');
  return entry;
}

/**
 * An entry has one name, the one yauzl gives (and the importers judge), whatever tool an admin
 * opens the zip with: its local header's name is the directory's, byte for byte; and an Info-ZIP
 * Unicode Path (extra field 0x7075, which yauzl prefers to the plain name) over a name flagged as
 * UTF-8, or plain ASCII, must say the same. The field exists to spell names a legacy code page
 * cannot (a Persian folder from an old zipper), which such names never need; other tools
 * (Python's zipfile) ignore it, so a differing one would show `users_OLD.csv` there and import
 * as users.csv here.
 */
function checkOneName(bytes: Buffer, at: number, entry: ListedEntry): void {
  const raw = entry.fileNameRaw ?? Buffer.alloc(0);
  if (!bytes.subarray(at + 30, at + 30 + bytes.readUInt16LE(at + 26)).equals(raw)) throw new ZipRefused('not_zip', `${entry.fileName}: the local header names another file`);
  // The plain name, where it can be read for sure: flagged as UTF-8, or ASCII (the same in every code page).
  const flagged = (entry.generalPurposeBitFlag & UTF8_FLAG) !== 0;
  const plain = flagged ? raw.toString('utf8') : /^[\x20-\x7e]*$/.test(raw.toString('latin1')) ? raw.toString('latin1') : undefined;
  if (plain !== undefined && entry.fileName !== plain.replace(/\\/g, '/')) throw new ZipRefused('not_zip', `${plain}: its Unicode Path names another file`);
}

/**
 * The listed entries, in file order, must tile the file from byte 0 to the central directory:
 * each local header, its data, and (flag bit 3) its data descriptor of 12 or 16 bytes (20 or
 * 24 in zip64), then the next. Anything else is bytes a sequential reader would see and the
 * directory does not declare. Each entry's name is checked on the way (checkOneName).
 */
function checkNothingHidden(bytes: Buffer, entries: readonly Entry[]): void {
  const end = bytes.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (end < 0 || bytes.readUInt32LE(end) !== END_OF_DIRECTORY) throw new ZipRefused('not_zip', 'no end of central directory');
  const directoryOffset = bytes.readUInt32LE(end + 16);
  const sorted = [...entries].sort((a, b) => a.relativeOffsetOfLocalHeader - b.relativeOffsetOfLocalHeader);
  let expected = 0;
  for (const [i, entry] of sorted.entries()) {
    const at = entry.relativeOffsetOfLocalHeader;
    if (at !== expected || at + 30 > bytes.length || bytes.readUInt32LE(at) !== LOCAL_HEADER) throw new ZipRefused('not_zip', `bytes before ${entry.fileName}`);
    checkOneName(bytes, at, entry);
    const dataEnd = at + 30 + bytes.readUInt16LE(at + 26) + bytes.readUInt16LE(at + 28) + entry.compressedSize;
    const next = sorted[i + 1]?.relativeOffsetOfLocalHeader ?? directoryOffset;
    const gap = next - dataEnd;
    const fits = gap === 0 || ((entry.generalPurposeBitFlag & 0x8) !== 0 && [12, 16, 20, 24].includes(gap));
    if (!fits) throw new ZipRefused('not_zip', `bytes after ${entry.fileName}`);
    expected = next;
  }
  if (sorted.length === 0 && directoryOffset !== 0) throw new ZipRefused('not_zip', 'bytes before the directory');
}
