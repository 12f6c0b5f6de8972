/**
 * The window's language: the one a person chose in the window (kept in the data folder, so it survives a
 * restart), else the first OS language the window speaks, else English. One small JSON file rather than a
 * database row: it is a preference of this installation, read before anyone logs on, with no history.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { matchLocale, type AppLocale } from '../../contract/locale';
import { appLocaleSchema } from '../../contract/ipc';

export const PREFERENCES_FILE = 'preferences.json';
/** A preferences file is a few bytes; anything far larger is not ours and is ignored. */
const MAX_FILE_BYTES = 4096;

const preferencesSchema = z.object({ language: appLocaleSchema.optional() });

export interface LanguageSettingOptions {
  dataDir: string;
  /** The OS's (or browser's) preferred languages, most preferred first (BCP 47 tags). */
  systemLocales?: readonly string[];
}

export class LanguageSetting {
  private chosen: AppLocale | undefined;
  private readonly system: AppLocale;
  private readonly file: string;

  constructor(options: LanguageSettingOptions) {
    this.file = path.join(options.dataDir, PREFERENCES_FILE);
    this.system = matchLocale(options.systemLocales ?? []);
    this.chosen = readChosen(this.file);
  }

  /** The language the window shows and verification messages are sent in. */
  current(): AppLocale {
    return this.chosen ?? this.system;
  }

  /** Remembers a person's choice (written atomically: a crash leaves the old file or the new one). */
  choose(language: AppLocale): AppLocale {
    const parsed = appLocaleSchema.parse(language);
    const temporary = `${this.file}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, `${JSON.stringify({ language: parsed })}\n`, { mode: 0o600 });
    fs.renameSync(temporary, this.file);
    this.chosen = parsed;
    return parsed;
  }
}

/** The saved choice; a missing, unreadable or foreign file means "no choice" (the OS language applies). */
function readChosen(file: string): AppLocale | undefined {
  try {
    if (fs.statSync(file).size > MAX_FILE_BYTES) return undefined;
    const parsed = preferencesSchema.safeParse(JSON.parse(fs.readFileSync(file, 'utf8')));
    return parsed.success ? parsed.data.language : undefined;
  } catch {
    return undefined;
  }
}
