/**
 * Reads a OneRoster bulk zip into its CSV files, refusing anything a zip can hide: more
 * entries than the binding has files, names that are not a known file at the root (no
 * directories, no `../`, no absolute paths, no duplicates), declared sizes over the limits, a
 * compression ratio no CSV reaches, and more bytes inflated than declared or allowed (a bomb
 * that lies in its headers is stopped after the limit, not after the disk). Files Kelid does
 * not use (classes.csv, courses.csv, demographics.csv…) are skipped without being inflated.
 * Nothing is written anywhere: the files come back as buffers.
 */
import yauzl from 'yauzl';

/** The files of the OneRoster 1.2 CSV binding; a zip may hold any of them at its root, nothing else. */
export const ONEROSTER_FILE_NAMES = [
  'manifest.csv', 'academicSessions.csv', 'categories.csv', 'classes.csv', 'classResources.csv', 'courses.csv',
  'courseResources.csv', 'demographics.csv', 'enrollments.csv', 'lineItemLearningObjectiveIds.csv', 'lineItems.csv',
  'lineItemScoreScales.csv', 'orgs.csv', 'resources.csv', 'results.csv', 'resultLearningObjectiveIds.csv',
  'resultScoreScales.csv', 'roles.csv', 'scoreScales.csv', 'userProfiles.csv', 'userResources.csv', 'users.csv',
] as const;

/** The files Kelid reads; the others are listed, checked by name and skipped. */
export const READ_FILES = ['manifest.csv', 'orgs.csv', 'users.csv', 'enrollments.csv', 'academicSessions.csv'] as const;
export type ReadFile = (typeof READ_FILES)[number];

export const ZIP_LIMITS = {
  entries: ONEROSTER_FILE_NAMES.length,
  /** Per file, declared and inflated: 100,000 users with long names fit in a fifth of it. */
  entryBytes: 64 * 1024 * 1024,
  /** All the files read, declared and inflated. */
  totalBytes: 160 * 1024 * 1024,
  /** Inflated ÷ compressed: CSV compresses 5–20×, a bomb 1000× and more. */
  ratio: 200,
} as const;

export type ZipProblem = 'oneroster.zip_invalid' | 'oneroster.zip_entry_name' | 'oneroster.zip_too_large';

/** Why a zip was refused whole (a catalog code), with the entry's name when one is to blame. */
export class ZipError extends Error {
  readonly code: ZipProblem;
  readonly entry: string | undefined;
  constructor(code: ZipProblem, entry?: string) {
    super(code);
    this.name = 'ZipError';
    this.code = code;
    this.entry = entry;
  }
}

const known = new Set<string>(ONEROSTER_FILE_NAMES);
const read = new Set<string>(READ_FILES);

/** The files of the zip that Kelid reads, by name. Throws ZipError; never a library's error. */
export async function readOneRosterZip(zip: Buffer): Promise<Map<ReadFile, Buffer>> {
  let file: yauzl.ZipFile;
  try {
    file = await open(zip);
  } catch (error) {
    throw asZipError(error);
  }
  if (file.entryCount > ZIP_LIMITS.entries) { file.close(); throw new ZipError('oneroster.zip_too_large'); }
  const files = new Map<ReadFile, Buffer>();
  const seen = new Set<string>();
  let total = 0;
  try {
    for (let entry = await next(file); entry; entry = await next(file)) {
      const name = entry.fileName;
      // The only names allowed are the binding's, at the root: a directory, `a/../orgs.csv` or `/etc/x` is none of them.
      if (!known.has(name)) throw new ZipError('oneroster.zip_entry_name', name.slice(0, 100));
      if (seen.has(name)) throw new ZipError('oneroster.zip_entry_name', name);
      seen.add(name);
      if (!read.has(name)) continue;
      if (entry.uncompressedSize > ZIP_LIMITS.entryBytes) throw new ZipError('oneroster.zip_too_large', name);
      if (entry.uncompressedSize > Math.max(entry.compressedSize, 1) * ZIP_LIMITS.ratio) throw new ZipError('oneroster.zip_too_large', name);
      total += entry.uncompressedSize;
      if (total > ZIP_LIMITS.totalBytes) throw new ZipError('oneroster.zip_too_large', name);
      files.set(name as ReadFile, await inflate(file, entry));
    }
  } catch (error) {
    throw asZipError(error);
  } finally {
    file.close();
  }
  return files;
}

const open = (zip: Buffer) => new Promise<yauzl.ZipFile>((resolve, reject) => {
  yauzl.fromBuffer(zip, { lazyEntries: true, validateEntrySizes: true, decodeStrings: true }, (error, file) => (error ? reject(error) : resolve(file)));
});

/** The next entry, or undefined at the end; an entry yauzl finds unsafe (`../`, absolute) rejects. */
function next(file: yauzl.ZipFile): Promise<yauzl.Entry | undefined> {
  return new Promise((resolve, reject) => {
    const cleanup = () => { file.off('entry', onEntry); file.off('end', onEnd); file.off('error', onError); };
    const onEntry = (entry: yauzl.Entry) => { cleanup(); resolve(entry); };
    const onEnd = () => { cleanup(); resolve(undefined); };
    const onError = (error: Error) => { cleanup(); reject(error); };
    file.on('entry', onEntry).on('end', onEnd).on('error', onError);
    file.readEntry();
  });
}

/**
 * The entry's bytes. yauzl's validateEntrySizes fails a stream that inflates past its declared
 * size; the count here is the second lock, in case a declared size were ever trusted wrongly.
 */
function inflate(file: yauzl.ZipFile, entry: yauzl.Entry): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    file.openReadStream(entry, (error, stream) => {
      if (error) return reject(error);
      const chunks: Buffer[] = [];
      let size = 0;
      stream.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > ZIP_LIMITS.entryBytes || size > entry.uncompressedSize) {
          stream.destroy(new ZipError('oneroster.zip_too_large', entry.fileName));
          return;
        }
        chunks.push(chunk);
      });
      stream.once('error', reject);
      stream.once('end', () => resolve(Buffer.concat(chunks, size)));
    });
  });
}

function asZipError(error: unknown): ZipError {
  if (error instanceof ZipError) return error;
  const message = error instanceof Error ? error.message : '';
  if (/invalid relative path|absolute path|invalid characters in fileName|strong.*name/i.test(message)) return new ZipError('oneroster.zip_entry_name');
  if (/too many bytes|size mismatch|too large/i.test(message)) return new ZipError('oneroster.zip_too_large');
  return new ZipError('oneroster.zip_invalid');
}
