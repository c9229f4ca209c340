/**
 * Reads a OneRoster bulk zip into its CSV files, refusing anything a zip can hide: more
 * entries than the binding has files, files that are not the binding's at the root or in
 * the one folder that holds them all (a folder compressed whole, as Windows' "Send to compressed
 * folder" and a Mac's "Compress" make it; no deeper folders, no `../`, no absolute paths, no
 * duplicates), declared sizes over the limits, a
 * compression ratio no CSV reaches, and more bytes inflated than declared or allowed (a bomb
 * that lies in its headers is stopped after the limit, not after the disk), bytes the
 * directory does not list. Files Kelid does not use (classes.csv, courses.csv,
 * demographics.csv…) are skipped without being inflated.
 * Nothing is written anywhere: the files come back as buffers.
 */
import { quotable } from '../../domain/text.ts';
import { checkZip, ZipRefused, type ZipLimits } from '../imports/zip-guard.ts';

/** The files of the OneRoster 1.2 CSV binding; a zip may hold any of them at its root (or in its one folder), nothing else. */
export const ONEROSTER_FILE_NAMES = [
  'manifest.csv', 'academicSessions.csv', 'categories.csv', 'classes.csv', 'classResources.csv', 'courses.csv',
  'courseResources.csv', 'demographics.csv', 'enrollments.csv', 'lineItemLearningObjectiveIds.csv', 'lineItems.csv',
  'lineItemScoreScales.csv', 'orgs.csv', 'resources.csv', 'results.csv', 'resultLearningObjectiveIds.csv',
  'resultScoreScales.csv', 'roles.csv', 'scoreScales.csv', 'userProfiles.csv', 'userResources.csv', 'users.csv',
] as const;

/** The files Kelid reads; the others are listed, checked by name and skipped. */
export const READ_FILES = ['manifest.csv', 'orgs.csv', 'users.csv', 'roles.csv', 'enrollments.csv', 'academicSessions.csv'] as const;
export type ReadFile = (typeof READ_FILES)[number];

export const ZIP_LIMITS = {
  /**
   * The binding's files and as many of a Mac Finder's `__MACOSX/._<file>` twins; the folder they
   * are in, `__MACOSX/` and its copy of that folder (folders' own entries are never read); a
   * `.DS_Store` and its twin.
   */
  entries: ONEROSTER_FILE_NAMES.length * 2 + 5,
  /** Per file, declared and inflated: 100,000 users with long names fit in a fifth of it. */
  entryBytes: 64 * 1024 * 1024,
  /** All the files read, declared and inflated. */
  totalBytes: 160 * 1024 * 1024,
  /** Inflated ÷ compressed: CSV compresses 5–20×, a bomb 1000× and more. */
  ratio: 200,
} as const;

export type ZipProblem =
  | 'oneroster.zip_invalid' | 'oneroster.zip_too_large' | 'oneroster.zip_entry_name' | 'oneroster.zip_entry_named'
  | 'oneroster.zip_entry_case' | 'oneroster.zip_entry_twice' | 'oneroster.zip_too_deep' | 'oneroster.zip_two_places';

/**
 * Why a zip was refused whole (a catalog code), with its parameters: `entry`, the name of the
 * entry to blame (quoted as quotable() shows it), and for some codes another name (`file`: the
 * name it should have; `folder`: where it sits; `first`: the first file, in another place).
 */
export class ZipError extends Error {
  readonly code: ZipProblem;
  readonly params: Readonly<Record<string, string>>;
  constructor(code: ZipProblem, params: Record<string, string> = {}) {
    super(code);
    this.name = 'ZipError';
    this.code = code;
    this.params = params;
  }

  get entry(): string | undefined {
    return this.params.entry;
  }
}

const known = new Set<string>(ONEROSTER_FILE_NAMES);

/** The binding's names by their lower case: `Manifest.csv` is refused with the name it must have. */
const byLowerCase = new Map(ONEROSTER_FILE_NAMES.map((name) => [name.toLowerCase(), name]));

/**
 * What a Mac or Windows adds to the zips it makes (`__MACOSX/._orgs.csv`, `.DS_Store`, AppleDouble
 * `._orgs.csv` files copied from a USB stick; Explorer's `Thumbs.db` and `desktop.ini`): metadata
 * no person sees, left unread rather than refusing the zip; every other name must be a OneRoster file.
 */
const isSystemMetadata = (name: string) => {
  const base = name.slice(name.lastIndexOf('/') + 1);
  return name.startsWith('__MACOSX/') || base === '.DS_Store' || base.startsWith('._') || /^(thumbs\.db|desktop\.ini)$/i.test(base);
};

/**
 * Judges one file of the zip (not a folder's own entry, not metadata) and answers its name in
 * the binding; throws the ZipError that says what to fix. The files must all sit in one place:
 * the root or one folder (`export/`), the place of the first file.
 */
function fileOf(name: string, place: { folder?: string; first?: string }, seen: Set<string>): string {
  const slash = name.lastIndexOf('/');
  const folder = name.slice(0, slash + 1);
  const file = name.slice(slash + 1);
  const entry = quotable(name, 100);
  if (!known.has(file)) {
    const meant = byLowerCase.get(file.toLowerCase());
    throw meant === undefined ? new ZipError('oneroster.zip_entry_named', { entry }) : new ZipError('oneroster.zip_entry_case', { entry, file: meant });
  }
  // `a/b/users.csv`: the folder above the export was compressed.
  if (folder !== '' && folder.indexOf('/') !== folder.length - 1) throw new ZipError('oneroster.zip_too_deep', { entry, folder: quotable(folder, 100) });
  place.folder ??= folder;
  place.first ??= name;
  if (folder !== place.folder) throw new ZipError('oneroster.zip_two_places', { entry, first: quotable(place.first, 100) });
  if (seen.has(file)) throw new ZipError('oneroster.zip_entry_twice', { entry });
  seen.add(file);
  return file;
}

const read = new Set<string>(READ_FILES);

const LIMITS: ZipLimits = {
  maxEntries: ZIP_LIMITS.entries, maxTotalBytes: ZIP_LIMITS.totalBytes, maxEntryBytes: ZIP_LIMITS.entryBytes, maxRatio: ZIP_LIMITS.ratio, ratioFrom: 0,
};

/**
 * The files of the zip that Kelid reads, by name, through the one zip guard (imports/zip-guard.ts:
 * directory limits, nothing hidden between entries, each entry inflated once within the limits).
 * Throws ZipError; never a library's error.
 */
export async function readOneRosterZip(zip: Buffer): Promise<Map<ReadFile, Buffer>> {
  const seen = new Set<string>();
  const place: { folder?: string; first?: string } = {};
  // By the entry's name in the zip: 'orgs.csv', or 'export/orgs.csv' in a folder.
  const chunks = new Map<string, { file: ReadFile; parts: Buffer[] }>();
  try {
    await checkZip(zip, LIMITS, {
      // The only names allowed are the binding's, all at the root or all in one folder: a deeper
      // folder, a second one, `a/../orgs.csv` or `/etc/x` is none of them.
      admit: (name) => {
        // A folder's own entry holds nothing that is read (zip-guard never inflates one): the files decide where they are.
        if (isSystemMetadata(name) || name.endsWith('/')) return false;
        const file = fileOf(name, place, seen);
        if (!read.has(file)) return false;
        chunks.set(name, { file: file as ReadFile, parts: [] });
        return true;
      },
      onData: (name, chunk) => chunks.get(name)?.parts.push(chunk),
    });
  } catch (error) {
    throw asZipError(error);
  }
  return new Map([...chunks.values()].map(({ file, parts }) => [file, Buffer.concat(parts)]));
}

function asZipError(error: unknown): ZipError {
  if (error instanceof ZipError) return error;
  if (error instanceof ZipRefused && error.reason === 'bomb') return new ZipError('oneroster.zip_too_large');
  // yauzl refuses unsafe names (`../x`, `/etc/x`) while it lists the directory.
  if (/invalid relative path|absolute path|invalid characters in fileName/i.test(String(error))) return new ZipError('oneroster.zip_entry_name');
  return new ZipError('oneroster.zip_invalid');
}
