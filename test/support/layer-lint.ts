import { ESLint } from 'eslint';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const eslint = new ESLint({ cwd: ROOT });

/**
 * The layer rule's findings (sc-layers/imports, or a parse failure) for `source` as if it were the file at
 * `filePath` from the repository root: ESLint with the project's own configuration, in memory.
 */
export async function layerFindings(filePath: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath: `${ROOT}${filePath}` });
  return (result?.messages ?? [])
    .filter((m) => m.ruleId === 'sc-layers/imports' || m.fatal)
    .map((m) => m.message);
}
